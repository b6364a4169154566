package dev.sancho.maven.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An upgraded ("hijacked") connection over one {@code ssh ... docker system dial-stdio} process of its own, outside
 * the pool: the request is sent, the engine answers {@code 101 UPGRADED}, then what {@code hijackedInput} yields goes
 * to the engine while the response body is what the engine sends (attach). Ending the process (close, this JVM
 * killed) ends the stream on the engine's side too: the end of our ssh's stdin reaches dial-stdio as EOF.
 */
final class SshHijack {
    private SshHijack() {}

    static DockerHttpClient.Response execute(DockerHttpClient.Request request, ProcessSocket socket) {
        try {
            socket.connect(null);
            OutputStream out = socket.getOutputStream();
            byte[] body = request.bodyBytes() == null ? new byte[0] : request.bodyBytes();
            StringBuilder head = new StringBuilder(request.method() + " " + request.path() + " HTTP/1.1\r\n");
            head.append("Host: localhost\r\n");
            request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: ").append(body.length)
                    .append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String status = line(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer from the engine: " + status);
            }
            int code = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            long length = -1;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    String name = h.substring(0, colon).trim();
                    String value = h.substring(colon + 1).trim();
                    headers.put(name, List.of(value));
                    if (name.toLowerCase(Locale.ROOT).equals("content-length")) {
                        length = Long.parseLong(value);
                    }
                }
            }
            if (code != 101) {
                // an error answer (no such container...): its body, then the process ends
                byte[] error = length < 0 ? new byte[0] : in.readNBytes((int) Math.min(length, 1 << 20));
                quietlyClose(socket);
                return response(code, headers, new ByteArrayInputStream(error), socket);
            }
            InputStream input = request.hijackedInput();
            Thread writer = new Thread(() -> {
                byte[] buf = new byte[1024];
                try {
                    for (int n; (n = input.read(buf)) >= 0; ) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException | RuntimeException ended) {
                    // the connection is gone: the response body ends too, which the caller sees
                }
            }, "sancho-ssh-hijack");
            writer.setDaemon(true);
            writer.start();
            return response(200, headers, in, socket);
        } catch (IOException | RuntimeException e) {
            quietlyClose(socket);
            throw e instanceof RuntimeException r ? r : new RuntimeException(e);
        }
    }

    private static DockerHttpClient.Response response(int code, Map<String, List<String>> headers, InputStream body,
            ProcessSocket socket) {
        return new DockerHttpClient.Response() {
            @Override
            public int getStatusCode() {
                return code;
            }

            @Override
            public Map<String, List<String>> getHeaders() {
                return headers;
            }

            @Override
            public InputStream getBody() {
                return body;
            }

            @Override
            public void close() {
                quietlyClose(socket);
            }
        };
    }

    private static void quietlyClose(ProcessSocket socket) {
        try {
            socket.close(); // ends its ssh process
        } catch (IOException ignored) {
            // gone already
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the engine closed the connection before answering");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
