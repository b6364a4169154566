package dev.sancho.maven.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sancho.maven.common.ConfigException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Finds the credentials for a registry in the order jib and the docker-maven-plugin use: the settings.xml
 * {@code <server>} whose id is the registry host, then in {@code $DOCKER_CONFIG/config.json} (default
 * {@code ~/.docker}) {@code credHelpers[registry]}, {@code credsStore}, {@code auths[registry]} ({@code auth},
 * {@code username}/{@code password} or {@code identitytoken}). A source that has nothing for the registry passes on
 * to the next one; none at all is an anonymous pull.
 *
 * <p>Credential helpers speak the docker-credential-helpers protocol: {@code docker-credential-NAME get} reads the
 * server URL on stdin and answers {@code {"Username":..., "Secret":...}}; the username {@code <token>} marks an
 * identity token. Their failures are one line naming the helper and the registry; secrets never appear in a message.
 * Answers are remembered per registry, so a helper runs once per registry and goal.
 */
public final class RegistryCredentials {
    /** Docker Hub's names: the one images imply, and those logins and helpers know it by. */
    public static final String DOCKER_HUB = "docker.io";
    static final String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";
    private static final List<String> DOCKER_HUB_ALIASES = List.of("docker.io", "index.docker.io",
            "registry-1.docker.io", "registry.hub.docker.com");

    /** Runs {@code docker-credential-NAME get}: here a process, in tests a stub. */
    @FunctionalInterface
    interface Helpers {
        /** @return the helper's answer; a helper that cannot be started throws {@link HelperMissing} */
        HelperAnswer get(String helper, String serverUrl) throws IOException;
    }

    record HelperAnswer(int exitCode, String stdout, String stderr) {}

    static final class HelperMissing extends IOException {
        HelperMissing(String message) {
            super(message);
        }
    }

    public static final RegistryCredentials NONE = new RegistryCredentials(ServerLogins.NONE, null, null);

    private final ServerLogins servers;
    private final Path configFile;
    private final Helpers helpers;
    private final Map<String, Optional<RegistryAuth>> cache = new ConcurrentHashMap<>();

    RegistryCredentials(ServerLogins servers, Path configDir, Helpers helpers) {
        this.servers = servers;
        this.configFile = configDir == null ? null : configDir.resolve("config.json");
        this.helpers = helpers;
    }

    /**
     * @param servers settings.xml's servers (passwords decrypted)
     * @param env     the environment: {@code DOCKER_CONFIG}, {@code HOME} and the {@code PATH} helpers are found on
     */
    public static RegistryCredentials of(ServerLogins servers, Map<String, String> env) {
        Path dir = DockerConnect.configDir(env);
        return new RegistryCredentials(servers, dir, new ProcessHelpers(env.get("PATH")));
    }

    /** The registry an image reference points at: its first component when that is a host, else Docker Hub. */
    public static String registryOf(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 0) {
            return DOCKER_HUB;
        }
        String first = reference.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            return DOCKER_HUB_ALIASES.contains(first.toLowerCase(Locale.ROOT)) ? DOCKER_HUB : first;
        }
        return DOCKER_HUB;
    }

    /** Whether the reference names its registry host (an image name without one goes to Docker Hub). */
    public static boolean namesRegistry(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String first = reference.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost");
    }

    public Optional<RegistryAuth> forImage(String reference) {
        return forRegistry(registryOf(reference));
    }

    /** @throws ConfigException when config.json is unreadable or a credential helper fails (one line) */
    public Optional<RegistryAuth> forRegistry(String registry) {
        Optional<RegistryAuth> known = cache.get(registry);
        if (known != null) {
            return known;
        }
        Optional<RegistryAuth> found = lookup(registry);
        cache.put(registry, found);
        return found;
    }

    /** Which sources were searched, for the message of an anonymous pull that was refused. */
    public String searched() {
        return "settings.xml <server>, and credHelpers, credsStore and auths of "
                + (configFile == null ? "~/.docker/config.json" : configFile.toString());
    }

    private Optional<RegistryAuth> lookup(String registry) {
        Optional<RegistryAuth> server = fromSettings(registry);
        if (server.isPresent()) {
            return server;
        }
        if (configFile == null || !Files.isRegularFile(configFile)) {
            return Optional.empty();
        }
        JsonNode config = readConfig();
        String helper = findKey(config.path("credHelpers"), registry).map(k -> config.path("credHelpers").path(k)
                .asText("")).orElse("");
        if (!helper.isBlank()) {
            Optional<RegistryAuth> a = fromHelper(helper.trim(), registry, "credHelpers");
            if (a.isPresent()) {
                return a;
            }
        }
        String store = config.path("credsStore").asText("");
        if (!store.isBlank()) {
            Optional<RegistryAuth> a = fromHelper(store.trim(), registry, "credsStore");
            if (a.isPresent()) {
                return a;
            }
        }
        return fromAuths(config.path("auths"), registry);
    }

    private Optional<RegistryAuth> fromSettings(String registry) {
        List<String> ids = DOCKER_HUB.equals(registry) ? DOCKER_HUB_ALIASES : List.of(registry);
        for (String id : ids) {
            Optional<ServerLogins.Login> login = servers.find(id);
            if (login.isPresent()) {
                String user = login.get().username();
                String password = login.get().password();
                if (user == null || user.isBlank() || password == null || password.isEmpty()) {
                    throw new ConfigException("settings.xml server '" + id + "' (credentials for registry "
                            + registry + ") needs both <username> and <password>");
                }
                return Optional.of(new RegistryAuth(registry, user, password, false,
                        "settings.xml server '" + id + "'"));
            }
        }
        return Optional.empty();
    }

    private JsonNode readConfig() {
        try {
            JsonNode node = JsonTree.read(Files.readString(configFile, StandardCharsets.UTF_8));
            return node.isMissingNode() ? JsonTree.emptyObject() : node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's message quotes the document around the error: it may hold an auth value. The place only.
            var at = e.getLocation();
            throw new ConfigException("Docker config file " + configFile + " cannot be read as JSON (registry"
                    + " credentials)" + (at == null || at.getLineNr() < 1 ? "" : ": error at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + "; fix or remove it");
        } catch (IOException e) {
            throw new ConfigException("Docker config file " + configFile + " cannot be read (registry credentials, "
                    + e.getClass().getSimpleName() + "): fix or remove it");
        }
    }

    private Optional<RegistryAuth> fromHelper(String name, String registry, String key) {
        String serverUrl = DOCKER_HUB.equals(registry) ? DOCKER_HUB_SERVER : registry;
        String where = "docker-credential-" + name + " (" + key + " of " + configFile + ") for registry " + registry;
        HelperAnswer answer;
        try {
            answer = helpers.get(name, serverUrl);
        } catch (HelperMissing e) {
            throw new ConfigException("credential helper " + where + " is not on PATH: install it or remove "
                    + key + " from " + configFile);
        } catch (IOException e) {
            throw new ConfigException("credential helper " + where + " could not run: " + e.getMessage());
        }
        if (answer.exitCode() != 0) {
            String out = firstLine(answer.stdout()) + firstLine(answer.stderr());
            if (out.toLowerCase(Locale.ROOT).contains("credentials not found")) {
                return Optional.empty(); // the protocol's "nothing stored for this server"
            }
            throw new ConfigException("credential helper " + where + " failed (exit " + answer.exitCode() + "): "
                    + (out.isBlank() ? "no message" : out.trim()));
        }
        JsonNode json;
        try {
            json = JsonTree.read(answer.stdout());
        } catch (IOException e) {
            throw new ConfigException("credential helper " + where + " did not answer with JSON"
                    + " {\"Username\": ..., \"Secret\": ...}");
        }
        String user = json == null ? "" : json.path("Username").asText("");
        String secret = json == null ? "" : json.path("Secret").asText("");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        String source = "credential helper docker-credential-" + name + " (" + key + ")";
        return Optional.of("<token>".equals(user)
                ? new RegistryAuth(registry, null, secret, true, source)
                : new RegistryAuth(registry, user, secret, false, source));
    }

    private Optional<RegistryAuth> fromAuths(JsonNode auths, String registry) {
        Optional<String> key = findKey(auths, registry);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        JsonNode entry = auths.path(key.get());
        String source = "auths[\"" + key.get() + "\"] of " + configFile;
        String token = entry.path("identitytoken").asText("");
        if (!token.isEmpty()) {
            return Optional.of(new RegistryAuth(registry, null, token, true, source));
        }
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source + ": \"auth\" is not base64 of USER:PASSWORD (run docker login "
                        + registry + " again)");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new ConfigException(source + ": \"auth\" is not base64 of USER:PASSWORD (run docker login "
                        + registry + " again)");
            }
            user = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        if (user.isEmpty() || password.isEmpty()) {
            return Optional.empty(); // an entry docker login leaves when a credsStore holds the secret
        }
        return Optional.of(new RegistryAuth(registry, user, password, false, source));
    }

    /** The key of {@code map} that names {@code registry}: with or without scheme and path, Docker Hub by any alias. */
    static Optional<String> findKey(JsonNode map, String registry) {
        Iterator<String> names = map.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            String host = hostOf(key);
            if (host.equalsIgnoreCase(registry)
                    || DOCKER_HUB.equals(registry) && DOCKER_HUB_ALIASES.contains(host.toLowerCase(Locale.ROOT))) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    private static String hostOf(String key) {
        String s = key.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        return slash >= 0 ? s.substring(0, slash) : s;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** Finds {@code docker-credential-NAME} on PATH and runs it with a time limit. */
    static final class ProcessHelpers implements Helpers {
        private final String path;

        ProcessHelpers(String path) {
            this.path = path;
        }

        @Override
        public HelperAnswer get(String helper, String serverUrl) throws IOException {
            String exe = "docker-credential-" + helper;
            Path found = null;
            for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe)) && Files.isRegularFile(Path.of(dir, exe))) {
                    found = Path.of(dir, exe);
                    break;
                }
            }
            if (found == null) {
                throw new HelperMissing(exe);
            }
            Process p = new ProcessBuilder(found.toString(), "get").start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream out = p.getInputStream(); InputStream err = p.getErrorStream()) {
                var outF = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(out));
                var errF = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(err));
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("no answer within 60 s");
                }
                return new HelperAnswer(p.exitValue(), outF.join(), errF.join());
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }

        private static String readAll(InputStream in) {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
