package dev.sancho.maven.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import dev.sancho.maven.common.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * TLS for {@code tcp://} engines the way the docker CLI decides it, built from the PEM files ourselves: docker-java's
 * {@code LocalDirectorySSLConfig} quietly talks plain HTTP when a file is missing, and a request meant for TLS must
 * never go out in the clear.
 * <ul>
 *   <li>DOCKER_HOST / sancho.dockerHost: TLS when DOCKER_TLS_VERIFY is non-empty (any value, "0" included, as the
 *       CLI reads it), with {@code ca.pem}, {@code cert.pem}, {@code key.pem} from DOCKER_CERT_PATH, else the docker
 *       config directory (~/.docker). {@code ca.pem} is required; cert and key are left out when BOTH are absent (a
 *       daemon that does not ask for client certificates), one without the other is an error.</li>
 *   <li>A Docker context: its TLS material, {@code contexts/tls/<sha256 of the name>/docker/{ca,cert,key}.pem}, when
 *       that directory exists (no ca.pem = the system's CAs); environment variables do not apply, as for the CLI.</li>
 * </ul>
 * The server's certificate is always verified, host name included; TLS without verification (DOCKER_TLS alone, a
 * context's SkipTLSVerify) is refused in one line rather than half done.
 */
final class TlsConfig {
    private TlsConfig() {}

    /**
     * The PEM files of one TLS setup. {@code ca} null: the system's CAs; {@code cert}/{@code key} null: no client
     * certificate. {@code origin} says where they came from, for messages.
     */
    record Files(Path ca, Path cert, Path key, String origin) {}

    /** The TLS files for {@code address}, or null when it is plain (not tcp://, or TLS not asked for). */
    static Files files(DockerConnect.Address address, Map<String, String> env) {
        if (!address.address().regionMatches(true, 0, "tcp://", 0, 6)) {
            return null;
        }
        if (address.context() != null) {
            return contextFiles(address.context(), env);
        }
        String verify = env.get("DOCKER_TLS_VERIFY");
        if (verify == null || verify.isEmpty()) {
            String tls = env.get("DOCKER_TLS");
            if (tls != null && !tls.isEmpty()) {
                throw new ConfigException("DOCKER_TLS is set without DOCKER_TLS_VERIFY: TLS without checking the"
                        + " engine's certificate is not supported; set DOCKER_TLS_VERIFY=1 and put the CA that signed"
                        + " the engine's certificate in ca.pem (DOCKER_CERT_PATH)");
            }
            return null;
        }
        String certPath = env.get("DOCKER_CERT_PATH");
        boolean fromEnv = certPath != null && !certPath.isEmpty();
        Path dir = fromEnv ? Path.of(certPath) : DockerConnect.configDir(env);
        String origin = "DOCKER_TLS_VERIFY is set, certificates from " + dir
                + (fromEnv ? " (DOCKER_CERT_PATH)" : " (DOCKER_CERT_PATH is unset: the docker config directory)");
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new ConfigException(origin + ": that directory does not exist. Set DOCKER_CERT_PATH to the"
                    + " directory holding ca.pem (and cert.pem, key.pem for a client certificate)");
        }
        Path ca = dir.resolve("ca.pem");
        if (!java.nio.file.Files.isRegularFile(ca)) {
            throw new ConfigException(origin + ": " + ca + " is missing (the CA that signed the engine's certificate)");
        }
        return clientPair(ca, dir, origin);
    }

    private static Files contextFiles(String context, Map<String, String> env) {
        Path base = DockerConnect.configDir(env).resolve("contexts");
        String hash = DockerConnect.sha256Hex(context);
        Path meta = base.resolve("meta").resolve(hash).resolve("meta.json");
        try {
            if (java.nio.file.Files.isRegularFile(meta) && new ObjectMapper().readTree(meta.toFile())
                    .path("Endpoints").path("docker").path("SkipTLSVerify").asBoolean(false)) {
                throw new ConfigException("Docker context '" + context + "' sets SkipTLSVerify: TLS without checking"
                        + " the engine's certificate is not supported; give the context the CA (docker context update "
                        + context + " --docker ca=ca.pem,...)");
            }
        } catch (IOException e) {
            throw new ConfigException("Docker context '" + context + "': " + meta + " cannot be read: " + e.getMessage(), e);
        }
        Path dir = base.resolve("tls").resolve(hash).resolve("docker");
        if (!java.nio.file.Files.isDirectory(dir)) {
            return null; // the CLI talks plain HTTP to such a context too
        }
        Path ca = dir.resolve("ca.pem");
        return clientPair(java.nio.file.Files.isRegularFile(ca) ? ca : null, dir,
                "TLS material of Docker context " + context + " in " + dir);
    }

    private static Files clientPair(Path ca, Path dir, String origin) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        boolean hasCert = java.nio.file.Files.isRegularFile(cert);
        boolean hasKey = java.nio.file.Files.isRegularFile(key);
        if (hasCert != hasKey) {
            throw new ConfigException(origin + ": " + (hasCert ? cert + " is there but its key " + key : key
                    + " is there but its certificate " + cert) + " is missing (a client certificate needs both)");
        }
        return new Files(ca, hasCert ? cert : null, hasKey ? key : null, origin);
    }

    /** An SSLContext that trusts {@code ca} (else the system) and presents the client certificate when there is one. */
    static SSLContext sslContext(Files f) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (f.ca() == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (Certificate c : certificates(f.ca(), f)) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (f.cert() != null) {
                Collection<? extends Certificate> chain = certificates(f.cert(), f);
                char[] password = "sancho".toCharArray(); // an in-memory store: the password protects nothing
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", privateKey(f.key(), f), password, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(f.origin() + ": cannot set up TLS: " + DockerErrors.oneLine(DockerErrors.rootMessage(e)), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path file, Files f) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ConfigException(f.origin() + ": " + file + " holds no PEM certificate");
            }
            return certs;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(f.origin() + ": " + file + " is not a PEM certificate ("
                    + DockerErrors.oneLine(DockerErrors.rootMessage(e)) + ")", e);
        }
    }

    /** PKCS#8, PKCS#1 RSA and SEC1 EC keys, as openssl writes them; encrypted ones are refused, as by the CLI. */
    private static PrivateKey privateKey(Path file, Files f) {
        try (Reader r = java.nio.file.Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser pem = new PEMParser(r)) {
            Object o = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new ConfigException(f.origin() + ": " + file + " is an encrypted key, which Docker does not"
                        + " support either: decrypt it (openssl pkey -in key.pem -out key.pem)");
            }
            throw new ConfigException(f.origin() + ": " + file + " holds no PEM private key");
        } catch (IOException e) {
            throw new ConfigException(f.origin() + ": " + file + " cannot be read as a PEM key ("
                    + DockerErrors.oneLine(DockerErrors.rootMessage(e)) + ")", e);
        }
    }

    /** docker-java's hook for our context. */
    static SSLConfig sslConfig(SSLContext ctx) {
        return () -> ctx;
    }

    /**
     * One line for a failed TLS handshake with {@code hostPort}, from what the JDK said.
     */
    static String explainHandshake(Files f, String hostPort, Throwable error) {
        String all = chainText(error);
        String lower = all.toLowerCase(Locale.ROOT);
        String ca = f.ca() == null ? "the system's CAs" : "the CA in " + f.ca();
        String root = DockerErrors.oneLine(DockerErrors.rootMessage(error));
        if (error instanceof SSLPeerUnverifiedException || lower.contains("doesn't match any of the subject")
                || lower.contains("no subject alternative")
                // httpclient5 5.6 leaves the name check to the JDK's endpoint identification: "No name matching X found"
                || lower.contains("no name matching")) {
            return "TLS: the engine's certificate at " + hostPort + " is not issued for that name (" + root
                    + "): connect by a name the certificate holds, or reissue it with this name in subjectAltName";
        }
        if (lower.contains("pkix path") || lower.contains("unable to find valid certification path")) {
            return "TLS: the engine's certificate at " + hostPort + " is not signed by " + ca + " (" + root + ")";
        }
        if (lower.contains("certificate_expired") || lower.contains("certificateexpired") || lower.contains("validity check failed")) {
            return "TLS: a certificate has expired (" + root + "); " + f.origin();
        }
        if (lower.contains("certificate_required") || lower.contains("bad_certificate") || lower.contains("unknown_ca")
                || lower.contains("handshake_failure") && f.cert() == null) {
            return "TLS: the engine at " + hostPort + " refused " + (f.cert() == null
                    ? "the connection without a client certificate: put cert.pem and key.pem next to ca.pem"
                    : "the client certificate " + f.cert() + ": is it signed by the CA the engine trusts (dockerd --tlscacert)?")
                    + " (" + root + "; " + f.origin() + ")";
        }
        if (lower.contains("unsupported or unrecognized ssl message") || lower.contains("plaintext connection")) {
            return "TLS: " + hostPort + " does not answer in TLS (a plain-HTTP engine?): unset DOCKER_TLS_VERIFY only"
                    + " if the engine is meant to be reached without TLS (" + root + ")";
        }
        return "TLS handshake with " + hostPort + " failed (" + root + "); " + f.origin();
    }

    private static String chainText(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    /** Whether {@code e} is a TLS-level failure (then {@link #explainHandshake} has the line for it). */
    static SSLException sslCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    private static boolean closedUnanswered(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t.getClass().getSimpleName().equals("NoHttpResponseException") || m.contains("connection reset")
                    || m.contains("broken pipe")) {
                return true;
            }
        }
        return false;
    }

    /** The TLS transport: any TLS failure of a request becomes a {@link TransportException} with its one line. */
    static DockerHttpClient explained(DockerHttpClient http, Files f, URI host) {
        String hostPort = host.getHost() + ":" + host.getPort();
        return new DockerHttpClient() {
            @Override
            public Response execute(Request request) {
                try {
                    return http.execute(request);
                } catch (RuntimeException e) {
                    SSLException ssl = sslCause(e);
                    String line;
                    if (ssl != null) {
                        line = explainHandshake(f, hostPort, ssl);
                    } else if (f.cert() == null && closedUnanswered(e)) {
                        // TLS 1.3: a server that wants a client certificate may just close after the handshake
                        line = "TLS: the engine at " + hostPort + " closed the connection without an answer: if it"
                                + " requires client certificates (dockerd --tlsverify), put cert.pem and key.pem next"
                                + " to ca.pem (" + f.origin() + ")";
                    } else {
                        throw e;
                    }
                    TransportException t = new TransportException(line);
                    t.initCause(e);
                    throw new RuntimeException(t);
                }
            }

            @Override
            public void close() throws IOException {
                http.close();
            }
        };
    }
}
