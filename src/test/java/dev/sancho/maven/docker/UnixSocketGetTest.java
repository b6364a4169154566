package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketGetTest {

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String body(EngineGet.Reply r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aContentLengthBodyIsReadToItsLength() throws IOException {
        EngineGet.Reply r = UnixSocketGet.read(in("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: 7\r\n\r\n{\"a\":1}trailing garbage"));
        assertEquals(200, r.status());
        assertEquals("{\"a\":1}", body(r));
    }

    @Test
    void aChunkedBodyIsJoinedAndItsExtensionsAndTrailersIgnored() throws IOException {
        EngineGet.Reply r = UnixSocketGet.read(in("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "4;ext=1\r\n[{\"I\r\n8\r\nd\":\"x\"}]\r\n0\r\nX-Trailer: t\r\n\r\n"));
        assertEquals("[{\"Id\":\"x\"}]", body(r));
    }

    @Test
    void aBodyWithoutLengthRunsToTheEndAndAnErrorStatusIsKept() throws IOException {
        EngineGet.Reply r = UnixSocketGet.read(in("HTTP/1.0 404 Not Found\r\n\r\n{\"message\":\"no such container\"}"));
        assertEquals(404, r.status());
        assertEquals("{\"message\":\"no such container\"}", body(r));
        assertArrayEquals(new byte[0], UnixSocketGet.read(in("HTTP/1.1 204 No Content\r\n\r\n")).body());
    }

    @Test
    void aTruncatedOrForeignAnswerIsAnError() {
        assertThrows(EOFException.class, () -> UnixSocketGet.read(in("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}")));
        assertThrows(EOFException.class, () -> UnixSocketGet.read(in("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n10\r\nshort")));
        assertThrows(EOFException.class, () -> UnixSocketGet.read(in("HTTP/1.1 200 OK\r\nContent-")));
        IOException e = assertThrows(IOException.class, () -> UnixSocketGet.read(in("SSH-2.0-OpenSSH_9.2\r\n")));
        assertEquals("not an HTTP answer from the engine: SSH-2.0-OpenSSH_9.2", e.getMessage());
    }

    @Test
    void oneGetOverARealUnixSocketSendsTheRequestLineAndReadsTheAnswer(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("d.sock");
        AtomicReference<String> request = new AtomicReference<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread engine = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    StringBuilder got = new StringBuilder();
                    while (!got.toString().contains("\r\n\r\n") && c.read(buf) > 0) {
                        got.append(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
                        buf.clear();
                    }
                    request.set(got.toString());
                    c.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]"
                            .getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    request.set("server failed: " + e);
                }
            });
            engine.start();
            EngineGet.Reply r = new UnixSocketGet(socket).get("/containers/json?all=1");
            engine.join(5000);
            assertEquals("[]", body(r));
            assertEquals("GET /containers/json?all=1 HTTP/1.1", request.get().lines().findFirst().orElseThrow());
        }
        Files.deleteIfExists(socket);
        IOException gone = assertThrows(IOException.class, () -> new UnixSocketGet(socket).get("/version"));
        assertEquals("no such socket. Is dockerd running? Set DOCKER_HOST or -Dsancho.dockerHost.",
                DockerErrors.connectionCause(gone));
    }
}
