package dev.sancho.maven.plan;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.NetworkInfo;
import dev.sancho.maven.docker.VolumeInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one stack the core and plan tests deploy: the runbook's ({@code src/test/resources/compose/runbook}) with the
 * test images and without healthchecks. traefik and db are infrastructure, backend and frontend are recreated per
 * deploy. It is written as a compose file and built like the Mojos build it ({@link ComposeLoader} and
 * {@link StackResolver}), so a test sees the stack the plugin would see; {@link #yaml()} shows the text.
 *
 * <p>Immutable: every {@code with...} returns a changed copy, so a test can keep a base and vary it.
 *
 * <p>Also here: the engine state a deploy of this stack leaves ({@link #healthy}) and helpers to change it.
 */
public final class SeedStack {
    public static final String PROJECT = "sancho";
    public static final String DB = "sancho_db_v2";
    public static final String PROXY = "sancho_traefik_persistent";
    public static final String VOLUME = "sancho_postgres_data";
    public static final String NETWORK = "sancho_default";
    public static final String PGDATA = "/var/lib/postgresql/data";
    public static final String SECRET = "s3cr3t-Pa55";
    public static final String DB_IMAGE = "sancho-it/postgres:15";
    public static final String PROXY_IMAGE = "sancho-it/nginx:1";
    public static final String APP_IMAGE = "sancho-it/app:1";
    public static final Set<String> INFRASTRUCTURE = Set.of("traefik", "db");

    private final Path dir;
    /** service -> key -> the YAML after {@code key:} (a value with a newline is written as an indented block). */
    private final Map<String, Map<String, String>> services;
    /** top-level volume key -> the YAML after {@code key:} (empty: a plain volume). */
    private final Map<String, String> volumes;
    /** The process environment the file is interpolated with. */
    private final Map<String, String> variables;

    private SeedStack(Path dir, Map<String, Map<String, String>> services, Map<String, String> volumes,
            Map<String, String> variables) {
        this.dir = dir;
        this.services = services;
        this.volumes = volumes;
        this.variables = variables;
    }

    /** The seed stack, its docker-compose.yml written to {@code dir} (bind sources are relative to it). */
    public static SeedStack in(Path dir) {
        Map<String, Map<String, String>> s = new LinkedHashMap<>();
        s.put("traefik", keys(
                "image", "${PROXY_IMAGE}",
                "container_name", PROXY,
                "ports", "['127.0.0.1:18080:80']",
                "volumes", "['./letsencrypt:/letsencrypt']"));
        s.put("db", keys(
                "image", "${DB_IMAGE}",
                "container_name", DB,
                "environment", "POSTGRES_DB: maestro_inventario\nPOSTGRES_USER: maestro\n"
                        + "POSTGRES_PASSWORD: ${DB_PASSWORD}",
                "volumes", "['" + VOLUME + ":" + PGDATA + "']",
                "stop_grace_period", "30s"));
        s.put("backend", keys(
                "image", "${APP_IMAGE}",
                "container_name", "sancho_backend_${DEPLOY_ID}",
                "environment", "SPRING_DATASOURCE_USERNAME: maestro\nSPRING_DATASOURCE_PASSWORD: ${DB_PASSWORD}",
                "depends_on", "[db]",
                "stop_grace_period", "3s"));
        s.put("frontend", keys(
                "image", "${APP_IMAGE}",
                "container_name", "sancho_frontend_${DEPLOY_ID}",
                "depends_on", "[backend]"));
        Map<String, String> v = new LinkedHashMap<>();
        v.put(VOLUME, "{external: true}");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PROXY_IMAGE", PROXY_IMAGE);
        env.put("DB_IMAGE", DB_IMAGE);
        env.put("APP_IMAGE", APP_IMAGE);
        env.put("DB_PASSWORD", SECRET);
        return new SeedStack(dir, s, v, env);
    }

    private static Map<String, String> keys(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private SeedStack copy(java.util.function.Consumer<SeedStack> change) {
        Map<String, Map<String, String>> s = new LinkedHashMap<>();
        services.forEach((name, keys) -> s.put(name, new LinkedHashMap<>(keys)));
        SeedStack c = new SeedStack(dir, s, new LinkedHashMap<>(volumes), new LinkedHashMap<>(variables));
        change.accept(c);
        return c;
    }

    /** backend and frontend run this image. */
    public SeedStack withAppImage(String image) {
        return copy(c -> c.variables.put("APP_IMAGE", image));
    }

    public SeedStack withDbImage(String image) {
        return copy(c -> c.variables.put("DB_IMAGE", image));
    }

    /** The database password (db's POSTGRES_PASSWORD, backend's SPRING_DATASOURCE_PASSWORD). */
    public SeedStack withDbPassword(String password) {
        return copy(c -> c.variables.put("DB_PASSWORD", password));
    }

    /** Sets {@code key} of {@code service} to this YAML, e.g. {@code with("backend", "ports", "['8080']")}. */
    public SeedStack with(String service, String key, String yaml) {
        return copy(c -> c.service(service).put(key, yaml));
    }

    /** Removes {@code key} from {@code service}, e.g. its {@code depends_on}. */
    public SeedStack without(String service, String key) {
        return copy(c -> c.service(service).remove(key));
    }

    /** The stack without these services (infrastructure stays infrastructure). */
    public SeedStack withoutServices(String... names) {
        return copy(c -> Arrays.stream(names).forEach(n -> {
            if (c.services.remove(n) == null) {
                throw new IllegalArgumentException("no service " + n + " in the seed stack");
            }
        }));
    }

    /**
     * Adds the one-shot app service {@code job} (a migration, say), which {@code dependent} waits for with
     * {@code condition: service_completed_successfully}, besides what it already depends on.
     */
    public SeedStack withJob(String job, String dependent) {
        return copy(c -> {
            Map<String, Map<String, String>> reordered = new LinkedHashMap<>();
            c.services.forEach((name, keys) -> {
                if (name.equals(dependent)) {
                    reordered.put(job, keys("image", "${APP_IMAGE}", "container_name",
                            "sancho_" + job + "_${DEPLOY_ID}"));
                }
                reordered.put(name, keys);
            });
            Map<String, String> keys = reordered.get(dependent);
            StringBuilder deps = new StringBuilder("{");
            for (String dep : dependencies(keys.get("depends_on"))) {
                deps.append(dep).append(": {condition: service_started}, ");
            }
            deps.append(job).append(": {condition: ").append(Labels.CONDITION_COMPLETED).append("}}");
            keys.put("depends_on", deps.toString());
            c.services.clear();
            c.services.putAll(reordered);
        });
    }

    /** The services of a short-form {@code depends_on: [a, b]} written by this class. */
    private static List<String> dependencies(String shortForm) {
        if (shortForm == null) {
            return List.of();
        }
        if (!shortForm.startsWith("[") || !shortForm.endsWith("]")) {
            throw new IllegalStateException("not a short-form depends_on: " + shortForm);
        }
        String inner = shortForm.substring(1, shortForm.length() - 1).strip();
        return inner.isEmpty() ? List.of() : List.of(inner.split("\\s*,\\s*"));
    }

    /** Adds a volume {@code key} that is not external (a deploy creates it), mounted by backend at /cache. */
    public SeedStack withOwnVolume(String key) {
        return copy(c -> {
            c.volumes.put(key, "");
            c.service("backend").put("volumes", "['" + key + ":/cache']");
        });
    }

    /** The database's external data volume under another name (a typo in the compose file, say). */
    public SeedStack withExternalVolume(String name) {
        return copy(c -> {
            c.volumes.clear();
            c.volumes.put(name, "{external: true}");
            c.service("db").put("volumes", "['" + name + ":" + PGDATA + "']");
        });
    }

    private Map<String, String> service(String name) {
        Map<String, String> s = services.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no service " + name + " in the seed stack");
        }
        return s;
    }

    /** The compose file as written (before interpolation). */
    public String yaml() {
        StringBuilder y = new StringBuilder("services:\n");
        services.forEach((name, keys) -> {
            y.append("  ").append(name).append(":\n");
            keys.forEach((k, v) -> block(y, "    ", k, v));
        });
        if (!volumes.isEmpty()) {
            y.append("volumes:\n");
            volumes.forEach((k, v) -> block(y, "  ", k, v));
        }
        return y.toString();
    }

    private static void block(StringBuilder y, String indent, String key, String value) {
        y.append(indent).append(key).append(':');
        if (value.contains("\n")) {
            y.append('\n');
            value.lines().forEach(l -> y.append(indent).append("  ").append(l).append('\n'));
        } else {
            y.append(value.isEmpty() ? "" : " " + value).append('\n');
        }
    }

    /** Writes docker-compose.yml to the directory and loads and resolves it for this deploy id. */
    public Stack stack(String deployId) {
        return stack(deployId, null);
    }

    /** The same, for a project of this identity ({@link ProjectIdentity}); null: none recorded (earlier versions). */
    public Stack stack(String deployId, String identity) {
        Path file = Fixtures.write(dir, "docker-compose.yml", yaml());
        ComposeFile compose = ComposeLoader.load(file, variables, Map.of(),
                ComposeLoader.builtins(deployId, PROJECT), Fixtures.POM, Log.NONE);
        if (!compose.warnings().isEmpty()) {
            throw new IllegalStateException("the seed stack should load without warnings: " + compose.warnings()
                    + "\n" + yaml());
        }
        Set<String> infra = new LinkedHashSet<>(INFRASTRUCTURE);
        infra.retainAll(services.keySet());
        return StackResolver.resolve(compose, new StackConfig(PROJECT, "inventario", deployId, infra, null, false,
                identity));
    }

    // ---- the engine side: what deploys of this stack leave behind --------------------------------------------

    /**
     * A healthy stack as deploys leave it: db (healthy, on its volume) and traefik (with ./letsencrypt, which is
     * created in {@code dir}) running, deploy d2 running, d1 kept stopped; the images, the volume and the network.
     */
    public static FakeDockerEngine healthy(Path dir) {
        try {
            Files.createDirectories(dir.resolve("letsencrypt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FakeDockerEngine e = new FakeDockerEngine();
        e.volumes.put(VOLUME, new VolumeInfo(VOLUME, "local", null, Map.of()));
        e.networks.put(NETWORK, new NetworkInfo("n1", NETWORK, "bridge", Map.of()));
        List.of(DB_IMAGE, PROXY_IMAGE, APP_IMAGE).forEach(e::addImage);
        put(e, DB, DB_IMAGE, "running", "healthy", Map.of(),
                List.of(new ContainerInfo.MountInfo("volume", VOLUME, PGDATA, false)));
        put(e, PROXY, PROXY_IMAGE, "running", null, Map.of(Labels.PROJECT, PROJECT, Labels.ROLE, "infra"),
                List.of(new ContainerInfo.MountInfo("bind", dir.resolve("letsencrypt").toString(), "/letsencrypt",
                        false)));
        put(e, "sancho_backend_d1", "exited", null, app("backend", "d1", "2026-01-01T10:00:00Z"), List.of());
        put(e, "sancho_frontend_d1", "exited", null, app("frontend", "d1", "2026-01-01T10:00:00Z"), List.of());
        put(e, "sancho_backend_d2", "running", "healthy", app("backend", "d2", "2026-01-02T10:00:00Z"), List.of());
        put(e, "sancho_frontend_d2", "running", null, app("frontend", "d2", "2026-01-02T10:00:00Z"), List.of());
        // every container on the project network under its service name, as deploys leave them
        Map.of(DB, "db", PROXY, "traefik", "sancho_backend_d1", "backend", "sancho_frontend_d1", "frontend",
                "sancho_backend_d2", "backend", "sancho_frontend_d2", "frontend")
                .forEach((name, alias) -> aliases(e, name, Map.of(NETWORK, List.of(alias))));
        return e;
    }

    /** Puts a container on networks with exactly these aliases (as inspect reports them). */
    public static ContainerInfo aliases(FakeDockerEngine e, String name, Map<String, List<String>> networks) {
        ContainerInfo old = e.findContainer(name).orElseThrow();
        ContainerInfo c = new ContainerInfo(old.id(), old.name(), old.image(), old.imageId(), old.state(),
                old.health(), old.exitCode(), old.labels(), old.created(), old.mounts(), networks);
        e.containers.put(old.id(), c);
        return c;
    }

    /** An app container running {@link #APP_IMAGE}, put on the engine directly. */
    public static ContainerInfo put(FakeDockerEngine engine, String name, String state, String health,
            Map<String, String> labels, List<ContainerInfo.MountInfo> mounts) {
        return put(engine, name, APP_IMAGE, state, health, labels, mounts);
    }

    private static ContainerInfo put(FakeDockerEngine engine, String name, String image, String state, String health,
            Map<String, String> labels, List<ContainerInfo.MountInfo> mounts) {
        String id = "x" + (engine.containers.size() + 100);
        ContainerInfo c = new ContainerInfo(id, name, image, "sha256:" + image, state, health,
                "exited".equals(state) ? 0 : null, labels, Instant.parse("2026-01-01T00:00:00Z"), mounts, Map.of());
        engine.containers.put(id, c);
        return c;
    }

    /** The labels a deploy gives an app container of this project. */
    public static Map<String, String> app(String service, String deployId, String deployedAt) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(Labels.PROJECT, PROJECT);
        l.put(Labels.SERVICE, service);
        l.put(Labels.ROLE, "app");
        l.put(Labels.DEPLOY_ID, deployId);
        l.put(DeployHistory.DEPLOYED_AT, deployedAt);
        return l;
    }

    /** Changes a container's state and health (an exited one has exit code 137), and its mounts unless null. */
    public static ContainerInfo set(FakeDockerEngine e, String name, String state, String health,
            List<ContainerInfo.MountInfo> mounts) {
        ContainerInfo old = e.findContainer(name).orElseThrow();
        ContainerInfo c = new ContainerInfo(old.id(), old.name(), old.image(), old.imageId(), state, health,
                "exited".equals(state) ? 137 : null, old.labels(), old.created(),
                mounts == null ? old.mounts() : mounts, old.networkAliases());
        e.containers.put(old.id(), c);
        return c;
    }

    @Override
    public String toString() {
        return yaml();
    }
}
