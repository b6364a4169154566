package dev.sancho.maven.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.sancho.maven.common.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Finds the engine the way the docker CLI does, so {@code docker ps} and the plugin talk to the same daemon:
 * {@code sancho.dockerHost}, else {@code DOCKER_HOST}, else the current Docker context, else the local socket.
 * Every bad address becomes a {@link ConfigException} naming its source; docker-java would otherwise fail with a
 * NullPointerException on a value without scheme.
 *
 * <p>This class is the transport side of the seam: it decides which engine and how requests reach it (unix socket,
 * tcp, TLS, ssh) and hands {@link DockerJavaEngine} a ready {@link DockerHttpClient}; the adapter only makes calls.
 * {@code ssh://} is the docker CLI's way: the system ssh runs {@code docker system dial-stdio} on the remote host
 * ({@link SshAddress}, {@link SshDockerHttpClient}).
 */
public final class DockerConnect {
    private DockerConnect() {}

    public static final String DEFAULT_ADDRESS = "unix:///var/run/docker.sock";

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://(.*)$");

    /**
     * A resolved, validated engine address.
     *
     * @param source  where it came from, for messages: {@code parameter sancho.dockerHost}, {@code DOCKER_HOST},
     *                {@code Docker context NAME}, or {@code default}
     * @param context the Docker context it came from (its TLS material applies), else null
     */
    public record Address(String address, String source, String context) {
        public Address(String address, String source) {
            this(address, source, null);
        }
    }

    /** sancho.dockerHost, else DOCKER_HOST, else the current Docker context, else unix:///var/run/docker.sock. */
    public static String resolveAddress(String configured, Map<String, String> env) {
        return resolve(configured, env).address();
    }

    /** Like {@link #resolveAddress} but also says where the address came from. */
    public static Address resolve(String configured, Map<String, String> env) {
        if (configured != null && !configured.isBlank()) {
            return validate(configured.trim(), "parameter sancho.dockerHost");
        }
        String fromEnv = env.get("DOCKER_HOST");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return validate(fromEnv.trim(), "DOCKER_HOST");
        }
        Address fromContext = fromContext(env);
        if (fromContext != null) {
            return fromContext;
        }
        return new Address(DEFAULT_ADDRESS, "default");
    }

    /**
     * Resolves, validates and connects. Does not contact the engine yet: call {@link DockerEngine#ping()}.
     * Three separate steps, so another transport or another adapter can replace one of them:
     * {@link #resolve} (which engine), {@link #clientConfig} and {@link #httpClient} (how requests reach it),
     * then the adapter that makes the calls ({@link DockerJavaEngine}).
     */
    public static DockerEngine connect(String configured, Map<String, String> env) {
        return connect(configured, env, List.of(), RegistryCredentials.of(ServerLogins.NONE, env));
    }

    /** Like {@link #connect(String, Map, List, RegistryCredentials)} with the docker CLI's registry credentials. */
    public static DockerEngine connect(String configured, Map<String, String> env, List<String> sshOptions) {
        return connect(configured, env, sshOptions, RegistryCredentials.of(ServerLogins.NONE, env));
    }

    /**
     * Like {@link #connect(String, Map)}; {@code sshOptions} are extra arguments for {@code ssh} when the address is
     * {@code ssh://} (e.g. {@code -i KEY}, {@code -F CONFIG}, {@code -o StrictHostKeyChecking=yes}), and
     * {@code registries} says where pulls, pushes and builds find registry credentials.
     */
    public static DockerEngine connect(String configured, Map<String, String> env, List<String> sshOptions,
            RegistryCredentials registries) {
        quietLibraryDebugLogs();
        Address address = resolve(configured, env);
        if (address.address().regionMatches(true, 0, "unix://", 0, 7)) {
            // Reads straight over the socket; docker-java and httpclient5 are set up on the first write only, so
            // status and verify never load them (~0.6 s of a Maven run). A unix socket has no TLS to check here.
            Lazy<DockerClientConfig> config = new Lazy<>(() -> clientConfig(address, env));
            Lazy<DockerHttpClient> http = new Lazy<>(() -> httpClient(config.get(), null));
            return new DockerJavaEngine(address.address(), config, http,
                    new UnixSocketGet(Path.of(address.address().substring(7))), registries);
        }
        DockerClientConfig config = clientConfig(address, env);
        DockerHttpClient http = address.address().regionMatches(true, 0, "ssh://", 0, 6)
                ? new SshDockerHttpClient(SshAddress.parse(address.address(), address.source()), sshOptions)
                : httpClient(config, TlsConfig.files(address, env));
        return new DockerJavaEngine(address.address(), config, http, registries);
    }

    /**
     * docker-java's settings for {@code address}: the host and the docker CLI's config directory (registry
     * credentials). TLS is not docker-java's business here: {@link TlsConfig} builds it into the transport.
     */
    static DockerClientConfig clientConfig(Address address, Map<String, String> env) {
        return new DefaultDockerClientConfig.Builder()
                .withDockerHost(address.address())
                .withDockerConfig(configDir(env).toString())
                .withDockerTlsVerify(false)
                .build();
    }

    /** The transport over a unix socket or plain tcp: httpclient5. */
    static DockerHttpClient httpClient(DockerClientConfig config) {
        return httpClient(config, null);
    }

    /**
     * The transport: httpclient5 over the config's unix socket or tcp address; with {@code tls} (not null) over
     * https only, with an SSLContext from those files, and TLS failures said in one line.
     */
    static DockerHttpClient httpClient(DockerClientConfig config, TlsConfig.Files tls) {
        ApacheDockerHttpClient.Builder builder = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(20)
                .connectionTimeout(Duration.ofSeconds(10));
        if (tls == null) {
            if ("unix".equalsIgnoreCase(config.getDockerHost().getScheme())) {
                // Without a context of ours, httpclient5 builds the JDK's default one (trust store loaded, ~0.2 s)
                // although no TLS ever runs over a unix socket.
                builder.sslConfig(DockerConnect::noTlsOverUnixSocket);
            }
            return builder.build();
        }
        DockerHttpClient https = builder.sslConfig(TlsConfig.sslConfig(TlsConfig.sslContext(tls))).build();
        return TlsConfig.explained(https, tls, config.getDockerHost());
    }

    /** A TLS context that trusts nobody, for a transport that never negotiates TLS (a unix socket). */
    private static SSLContext noTlsOverUnixSocket() throws NoSuchAlgorithmException, KeyManagementException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[0], new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("no TLS over a unix socket");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("no TLS over a unix socket");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    static Address validate(String value, String source) {
        var m = SCHEME.matcher(value);
        if (!m.matches()) {
            throw new ConfigException("Docker address '" + value + "' from " + source + " has no scheme: use "
                    + suggestion(value) + " (unix:///path/to/docker.sock or tcp://HOST:PORT)");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String rest = m.group(2);
        switch (scheme) {
            case "unix" -> {
                if (!rest.startsWith("/")) {
                    throw new ConfigException("Docker address '" + value + "' from " + source
                            + " needs an absolute socket path: e.g. unix:///var/run/docker.sock");
                }
            }
            case "tcp" -> {
                if (rest.isEmpty() || rest.startsWith("/") || rest.startsWith(":")) {
                    throw new ConfigException("Docker address '" + value + "' from " + source
                            + " has no host: e.g. tcp://localhost:2375");
                }
            }
            case "ssh" -> SshAddress.parse(value, source);
            case "npipe" -> {
                if (!isWindows()) {
                    throw new ConfigException("Docker address '" + value + "' from " + source
                            + " is a Windows named pipe, which does not exist on this system:"
                            + " use e.g. unix:///var/run/docker.sock");
                }
            }
            default -> throw new ConfigException("Docker address '" + value + "' from " + source
                    + " has unsupported scheme " + scheme + "://: use unix:///path/to/docker.sock, tcp://HOST:PORT"
                    + " or ssh://USER@HOST");
        }
        return new Address(value, source);
    }

    private static String suggestion(String value) {
        return value.startsWith("/") ? "unix://" + value : "tcp://" + value;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** The docker CLI's config directory: DOCKER_CONFIG, else ~/.docker. */
    static Path configDir(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir.trim());
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home == null ? System.getProperty("user.home") : home, ".docker");
    }

    /** The current context's docker endpoint, or null when the context is "default" (= DOCKER_HOST rules). */
    static Address fromContext(Map<String, String> env) {
        Path dir = configDir(env);
        String name = env.get("DOCKER_CONTEXT");
        String nameSource = "DOCKER_CONTEXT";
        if (name == null || name.isBlank()) {
            Path configFile = dir.resolve("config.json");
            if (!Files.isRegularFile(configFile)) {
                return null;
            }
            JsonNode config = readJson(configFile, "Docker config");
            name = config.path("currentContext").asText("");
            nameSource = configFile.toString();
        }
        name = name.trim();
        if (name.isEmpty() || "default".equals(name)) {
            return null;
        }
        Path meta = dir.resolve("contexts").resolve("meta").resolve(sha256Hex(name)).resolve("meta.json");
        if (!Files.isRegularFile(meta)) {
            throw new ConfigException("Docker context '" + name + "' (from " + nameSource + ") does not exist: no "
                    + meta + ". Run `docker context ls`, or set DOCKER_HOST / -Dsancho.dockerHost,"
                    + " e.g. unix:///var/run/docker.sock");
        }
        String host = readJson(meta, "Docker context " + name).path("Endpoints").path("docker").path("Host").asText("");
        if (host.isBlank()) {
            throw new ConfigException("Docker context '" + name + "' has no docker endpoint host in " + meta
                    + ": set DOCKER_HOST or -Dsancho.dockerHost, e.g. unix:///var/run/docker.sock");
        }
        Address a = validate(host.trim(), "Docker context " + name);
        return new Address(a.address(), a.source(), name);
    }

    private static JsonNode readJson(Path file, String what) {
        try {
            return JsonTree.read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's message quotes the text around the error, which may be a credential ("auths"): the place
            // only, and no cause that -X would print
            var at = e.getLocation();
            throw new ConfigException(what + " file " + file + " is not valid JSON"
                    + (at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ": fix it, or remove it");
        } catch (IOException e) {
            throw new ConfigException(what + " file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * At -X, docker-java logs every command with its fields ("Cmd: CreateContainerCmdImpl[... env={...}]") and
     * httpclient5 logs the wire (inspect answers carry Config.Env): environment values, secrets included, would
     * land in build.log. docker-java also logs a failed pull as an ERROR with a stack trace, although the facade
     * reports it in one line. So docker-java is silenced and httpclient5 capped at info (Maven's slf4j provider
     * reads per-logger levels from system properties when a logger is created, i.e. when these classes load,
     * after this call). A user who really wants them can set the properties on the command line: we never
     * override a value.
     */
    static void quietLibraryDebugLogs() {
        quiet("com.github.dockerjava", "off");
        quiet("org.apache.hc", "info");
    }

    private static void quiet(String logger, String level) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
            System.setProperty(key, level);
        }
    }
}
