package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.sancho.maven.common.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS decided like the docker CLI, and every way it fails in one line, against a real TLS server (the JDK's https
 * server answering /_ping and /version on 127.0.0.1) with certificates openssl made (scripts/test-tls-certs.sh).
 * The IT deploy-tls does the same against a dockerd with --tlsverify.
 */
class TlsConfigTest {
    @TempDir
    static Path certs;
    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();
    private HttpsServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void makeCertificates() throws Exception {
        Process p = new ProcessBuilder("bash", "scripts/test-tls-certs.sh", certs.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @BeforeEach
    void isolate() {
        env.put("HOME", home.toString());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** An https "engine" with the server certificate CERT; NEEDCLIENT: it requires a client certificate. */
    private int engine(String cert, boolean needClient) throws IOException {
        SSLContext ctx = TlsConfig.sslContext(new TlsConfig.Files(certs.resolve("ca.pem"),
                certs.resolve(cert + "-cert.pem"), certs.resolve(cert + "-key.pem"), "server"));
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                var p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(needClient);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestURI().getPath().endsWith("/version")
                    ? "{\"Version\":\"tls-test\",\"ApiVersion\":\"1.41\"}".getBytes(StandardCharsets.UTF_8)
                    : "OK".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    private Path dir(String name, String... files) throws IOException {
        Path d = Files.createDirectories(home.resolve(name));
        for (String f : files) {
            String[] fromTo = f.split("=");
            Files.copy(certs.resolve(fromTo[0]), d.resolve(fromTo.length > 1 ? fromTo[1] : fromTo[0]));
        }
        return d;
    }

    private String ping(String host) {
        try (DockerEngine engine = DockerConnect.connect(host, env)) {
            return engine.ping();
        }
    }

    @Test
    void anyNonEmptyDockerTlsVerifyTurnsTlsOnAsForTheCli() throws IOException {
        int port = engine("server", true);
        env.put("DOCKER_CERT_PATH", dir("full", "ca.pem", "cert.pem", "key.pem").toString());
        for (String value : new String[] {"1", "0", "false", "yes"}) {
            env.put("DOCKER_TLS_VERIFY", value);
            assertEquals("tls-test, API 1.41", ping("tcp://127.0.0.1:" + port), value);
        }
        env.put("DOCKER_TLS_VERIFY", "");
        assertNull(TlsConfig.files(new DockerConnect.Address("tcp://127.0.0.1:" + port, "x"), env), "empty = off");
    }

    @Test
    void certificatesDefaultToTheDockerConfigDirectory() throws IOException {
        int port = engine("server", true);
        dir(".docker", "ca.pem", "cert.pem", "key.pem");
        env.put("DOCKER_TLS_VERIFY", "1");
        assertEquals("tls-test, API 1.41", ping("tcp://127.0.0.1:" + port));
    }

    @Test
    void aCaAloneIsEnoughWhenTheEngineAsksForNoClientCertificate() throws IOException {
        int port = engine("server", false);
        env.put("DOCKER_TLS_VERIFY", "1");
        env.put("DOCKER_CERT_PATH", dir("ca-only", "ca.pem").toString());
        assertEquals("tls-test, API 1.41", ping("tcp://127.0.0.1:" + port));
    }

    @Test
    void aContextsTlsMaterialIsUsed() throws IOException {
        int port = engine("server", true);
        String name = "tls-ctx";
        String hash = DockerConnect.sha256Hex(name);
        Path meta = Files.createDirectories(home.resolve(".docker/contexts/meta/" + hash));
        Files.writeString(meta.resolve("meta.json"), "{\"Name\":\"" + name + "\",\"Endpoints\":{\"docker\":{\"Host\":"
                + "\"tcp://127.0.0.1:" + port + "\",\"SkipTLSVerify\":false}}}");
        Path tls = Files.createDirectories(home.resolve(".docker/contexts/tls/" + hash + "/docker"));
        for (String f : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
            Files.copy(certs.resolve(f), tls.resolve(f));
        }
        env.put("DOCKER_CONTEXT", name);
        assertEquals("tls-test, API 1.41", ping(null));
    }

    @Test
    void aMissingClientKeyIsOneLineNamingTheFileAndNothingIsSent() throws IOException {
        int port = engine("server", true);
        env.put("DOCKER_TLS_VERIFY", "1");
        Path d = dir("no-key", "ca.pem", "cert.pem");
        env.put("DOCKER_CERT_PATH", d.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> ping("tcp://127.0.0.1:" + port));
        assertEquals("DOCKER_TLS_VERIFY is set, certificates from " + d + " (DOCKER_CERT_PATH): " + d.resolve("cert.pem")
                + " is there but its key " + d.resolve("key.pem") + " is missing (a client certificate needs both)",
                e.getMessage());
        assertEquals(0, requests.get(), "no request went out");
    }

    @Test
    void aMissingCaIsOneLine() throws IOException {
        env.put("DOCKER_TLS_VERIFY", "1");
        Path d = dir("no-ca", "cert.pem", "key.pem");
        env.put("DOCKER_CERT_PATH", d.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> ping("tcp://127.0.0.1:1"));
        assertTrue(e.getMessage().endsWith(d.resolve("ca.pem") + " is missing (the CA that signed the engine's certificate)"),
                e.getMessage());
    }

    @Test
    void handshakeFailuresSayWhichCertificateOrName() throws IOException {
        int port = engine("server", true);
        env.put("DOCKER_TLS_VERIFY", "1");

        env.put("DOCKER_CERT_PATH", dir("ca-only", "ca.pem").toString());
        String noClient = assertThrows(EngineUnreachableException.class, () -> ping("tcp://127.0.0.1:" + port)).getMessage();
        // the JDK server just closes after a TLS 1.3 handshake without client certificate (dockerd sends an alert)
        assertTrue(noClient.startsWith("Cannot reach Docker at tcp://127.0.0.1:" + port + ": TLS: the engine at 127.0.0.1:"
                + port + " "), noClient);
        assertTrue(noClient.contains("put cert.pem and key.pem next to ca.pem"), noClient);

        Path other = dir("other", "other-ca.pem=ca.pem", "cert.pem", "key.pem");
        env.put("DOCKER_CERT_PATH", other.toString());
        String wrongCa = assertThrows(EngineUnreachableException.class, () -> ping("tcp://127.0.0.1:" + port)).getMessage();
        assertTrue(wrongCa.contains("TLS: the engine's certificate at 127.0.0.1:" + port + " is not signed by the CA in "
                + other.resolve("ca.pem")), wrongCa);
        assertEquals(0, requests.get(), "no request went out");
        for (String m : new String[] {noClient, wrongCa}) {
            assertFalse(m.contains("\n"), m);
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws IOException {
        int port = engine("ip-only", false);
        env.put("DOCKER_TLS_VERIFY", "1");
        env.put("DOCKER_CERT_PATH", dir("ca-only", "ca.pem").toString());
        String m = assertThrows(EngineUnreachableException.class, () -> ping("tcp://localhost:" + port)).getMessage();
        assertTrue(m.contains("TLS: the engine's certificate at localhost:" + port + " is not issued for that name"), m);
    }

    @Test
    void aPlainHttpEngineIsNotTalkedToInTheClear() throws Exception {
        // answers like Go's net/http (a dockerd without TLS) does to bytes that are no HTTP request: 400, then close
        try (var plain = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var first = new java.util.concurrent.CompletableFuture<Integer>();
            Thread t = new Thread(() -> {
                try (var s = plain.accept()) {
                    first.complete(s.getInputStream().read());
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n400 Bad Request"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    first.completeExceptionally(e);
                }
            });
            t.start();
            env.put("DOCKER_TLS_VERIFY", "1");
            env.put("DOCKER_CERT_PATH", dir("ca-only", "ca.pem").toString());
            int port = plain.getLocalPort();
            String m = assertThrows(EngineUnreachableException.class, () -> ping("tcp://127.0.0.1:" + port)).getMessage();
            assertTrue(m.contains("TLS: 127.0.0.1:" + port + " does not answer in TLS"), m);
            assertEquals(0x16, first.get(10, java.util.concurrent.TimeUnit.SECONDS), "the first byte sent opens a TLS handshake");
            t.join(5000);
        }
    }

    @Test
    void tlsWithoutVerificationIsRefusedRatherThanHalfDone() {
        env.put("DOCKER_TLS", "1");
        ConfigException e = assertThrows(ConfigException.class, () -> ping("tcp://127.0.0.1:1"));
        assertTrue(e.getMessage().startsWith("DOCKER_TLS is set without DOCKER_TLS_VERIFY"), e.getMessage());
    }
}
