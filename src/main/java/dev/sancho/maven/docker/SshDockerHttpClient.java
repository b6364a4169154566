package dev.sancho.maven.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentLengthStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EmptyInputStream;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * docker-java's transport over {@code ssh:// + docker system dial-stdio}: httpclient5 does the HTTP (keep-alive,
 * chunked bodies, streams), and each pooled connection is one ssh process ({@link ProcessSocket}). Sequential
 * calls reuse one process; concurrent ones (the adapter runs some calls in parallel) get at most
 * {@link #MAX_CONNECTIONS} processes, the others wait for a free one. So a deploy opens a handful of ssh sessions,
 * not one per call (each costs a handshake, and sshd's MaxStartups would throttle a burst).
 *
 * <p>Every process is ended on {@link #close()}, and by a shutdown hook when the JVM exits first (Ctrl-C).
 */
final class SshDockerHttpClient implements DockerHttpClient {
    /** ssh processes at most; the default MaxSessions/MaxStartups of sshd are 10. */
    static final int MAX_CONNECTIONS = 4;

    /** The Host header: dial-stdio ignores it, the engine only wants one. */
    private static final HttpHost TARGET = new HttpHost("http", "localhost", 2375);

    private final Set<ProcessSocket> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger started = new AtomicInteger();
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient http;
    private final List<String> command;
    private final SshAddress ssh;
    private final dev.sancho.maven.common.ShutdownHooks.Registration reaper;

    SshDockerHttpClient(SshAddress ssh, List<String> sshOptions) {
        this(ssh, ssh.command(sshOptions), true);
    }

    /** Over any command that speaks HTTP to an engine on its stdin/stdout (tests: a local dial-stdio). */
    SshDockerHttpClient(SshAddress ssh, List<String> command, boolean unused) {
        this.command = List.copyOf(command);
        this.ssh = ssh;
        var operator = new DefaultHttpClientConnectionOperator(
                proxy -> {
                    started.incrementAndGet();
                    return new ProcessSocket(command, ssh, live);
                },
                DefaultSchemePortResolver.INSTANCE,
                SystemDefaultDnsResolver.INSTANCE,
                scheme -> null);
        pool = new PoolingHttpClientConnectionManager(operator, null, null, null,
                new ManagedHttpClientConnectionFactory(null, null, null, null, SshDockerHttpClient::contentLength, null));
        // reads block until the engine answers: a build or a pull may be silent for minutes
        pool.setDefaultSocketConfig(SocketConfig.copy(SocketConfig.DEFAULT).setSoTimeout(Timeout.ZERO_MILLISECONDS).build());
        pool.setMaxTotal(MAX_CONNECTIONS);
        pool.setDefaultMaxPerRoute(MAX_CONNECTIONS);
        // no stale check: it needs a read with a timeout, which a pipe has not; a connection whose ssh died while
        // idle fails its next request with no answer, and the client retries that once on a new one
        pool.setDefaultConnectionConfig(ConnectionConfig.custom().setValidateAfterInactivity(TimeValue.NEG_ONE_SECOND).build());
        http = HttpClients.custom().setConnectionManager(pool).disableConnectionState().build();
        // after the deploy lock is released over these very processes (Ctrl-C): one ordered hook, not two racing
        reaper = dev.sancho.maven.common.ShutdownHooks.register(
                dev.sancho.maven.common.ShutdownHooks.Stage.CLOSE_TRANSPORTS, this::killAll);
    }

    /** The engine marks raw streams with {@code Transfer-Encoding: identity}: read them until the connection ends. */
    private static long contentLength(org.apache.hc.core5.http.HttpMessage message) throws org.apache.hc.core5.http.HttpException {
        Header te = message.getFirstHeader(HttpHeaders.TRANSFER_ENCODING);
        if (te != null && "identity".equalsIgnoreCase(te.getValue())) {
            return ContentLengthStrategy.UNDEFINED;
        }
        return DefaultContentLengthStrategy.INSTANCE.determineLength(message);
    }

    /** ssh processes currently open, for tests. */
    int openProcesses() {
        return live.size();
    }

    /** ssh processes started so far, for tests. */
    int startedProcesses() {
        return started.get();
    }

    @Override
    public Response execute(Request request) {
        if (request.hijackedInput() != null) {
            return SshHijack.execute(request, new ProcessSocket(command, ssh, live));
        }
        HttpUriRequestBase req = new HttpUriRequestBase(request.method(), URI.create(request.path()));
        req.setScheme(TARGET.getSchemeName());
        req.setAuthority(new URIAuthority(TARGET.getHostName(), TARGET.getPort()));
        request.headers().forEach(req::addHeader);
        byte[] bytes = request.bodyBytes();
        if (bytes != null) {
            req.setEntity(new ByteArrayEntity(bytes, null));
        } else if (request.body() != null) {
            req.setEntity(new InputStreamEntity(request.body(), -1, null)); // chunked: a build context streams
        }
        try {
            return new SshResponse(req, http.executeOpen(TARGET, req, new HttpCoreContext()));
        } catch (IOException e) {
            throw new RuntimeException(e); // DockerErrors finds the TransportException in the causes
        }
    }

    @Override
    public void close() throws IOException {
        try {
            http.close();
        } finally {
            killAll();
            reaper.remove();
        }
    }

    private void killAll() {
        List.copyOf(live).forEach(ProcessSocket::kill);
    }

    /**
     * A response whose connection goes back to the pool when its body was read to the end or closed (closing a
     * body drains it, which for a finished answer costs nothing), or is small and of known length (read on close). A stream closed before its end (a caller that
     * stopped following a stream) is aborted instead: draining it could block forever; that connection's ssh ends.
     */
    private static final class SshResponse implements Response {
        private static final long SMALL_BODY = 1 << 20;
        private final HttpUriRequestBase request;
        private final ClassicHttpResponse response;
        private volatile boolean finished;
        private InputStream body;

        SshResponse(HttpUriRequestBase request, ClassicHttpResponse response) {
            this.request = request;
            this.response = response;
            HttpEntity entity = response.getEntity();
            this.finished = entity == null || entity.getContentLength() == 0;
        }

        @Override
        public int getStatusCode() {
            return response.getCode();
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return Stream.of(response.getHeaders()).collect(Collectors.groupingBy(NameValuePair::getName,
                    Collectors.mapping(NameValuePair::getValue, Collectors.toList())));
        }

        @Override
        public String getHeader(String name) {
            Header h = response.getFirstHeader(name);
            return h == null ? null : h.getValue();
        }

        @Override
        public synchronized InputStream getBody() {
            if (body == null) {
                try {
                    HttpEntity entity = response.getEntity();
                    body = entity == null ? EmptyInputStream.INSTANCE : new Tracked(entity.getContent());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }
            return body;
        }

        @Override
        public void close() {
            HttpEntity entity = response.getEntity();
            if (!finished && entity != null && entity.getContentLength() > 0 && entity.getContentLength() <= SMALL_BODY) {
                // an answer of known, small length that nobody read (docker-java ignores some): reading the rest
                // keeps the connection, and its ssh session, for the next call
                try {
                    EntityUtils.consume(entity);
                    finished = true;
                } catch (IOException | RuntimeException e) {
                    // then it is discarded below
                }
            }
            if (!finished) {
                request.abort();
            }
            try {
                response.close();
            } catch (IOException | RuntimeException ignored) {
                // the connection is discarded either way
            }
        }

        /** Notes when the body was read to its end or closed (drained) by the caller. */
        private final class Tracked extends FilterInputStream {
            Tracked(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                int b = super.read();
                finished |= b < 0;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                finished |= n < 0;
                return n;
            }

            @Override
            public void close() throws IOException {
                super.close();
                finished = true;
            }
        }
    }
}
