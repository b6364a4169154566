package dev.sancho.maven.plan;

import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.NetworkDef;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.VolumeDef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runbook's stack, built by hand: db and traefik are infrastructure, backend and frontend per deploy. */
public final class SeedStack {
    public static final String PROJECT = "sancho";
    public static final String DB = "sancho_db_v2";
    public static final String PROXY = "sancho_traefik_persistent";
    public static final String VOLUME = "sancho_postgres_data";
    public static final String NETWORK = "sancho_default";
    public static final String SECRET = "s3cr3t-Pa55";
    public static final String DB_IMAGE = "sancho-it/postgres:15";
    public static final String PROXY_IMAGE = "sancho-it/nginx:1";

    private SeedStack() {}

    public static Stack stack(String deployId) {
        return stack(deployId, "sancho-it/app:1", SECRET, DB_IMAGE);
    }

    public static Stack stack(String deployId, String appImage, String dbPassword, String dbImage) {
        Map<String, String> dbEnv = new LinkedHashMap<>();
        dbEnv.put("POSTGRES_DB", "maestro_inventario");
        dbEnv.put("POSTGRES_USER", "maestro");
        dbEnv.put("POSTGRES_PASSWORD", dbPassword);
        Service db = service("db", dbImage, DB, dbEnv,
                List.of(new Service.Mount("volume", VOLUME, "/var/lib/postgresql/data", false)), Map.of(),
                List.of());
        Service proxy = service("traefik", PROXY_IMAGE, PROXY, Map.of(),
                List.of(new Service.Mount("bind", "/srv/sancho/letsencrypt", "/letsencrypt", false)), Map.of(),
                List.of(new Service.PortMapping("127.0.0.1", "18080", "80", "tcp")));
        Service backend = service("backend", appImage, "sancho_backend_${DEPLOY_ID}",
                Map.of("DATABASE_PASSWORD", dbPassword, "DEPLOY_ID", deployId), List.of(),
                Map.of("db", "service_started"), List.of());
        Service frontend = service("frontend", appImage, "sancho_frontend_${DEPLOY_ID}", Map.of(), List.of(),
                Map.of("backend", "service_started"), List.of());
        Map<String, Service> services = new LinkedHashMap<>();
        List.of(proxy, db, backend, frontend).forEach(s -> services.put(s.name(), s));
        ComposeFile compose = new ComposeFile(Path.of("/srv/sancho/docker-compose.yml"), null, services,
                Map.of(VOLUME, new VolumeDef(VOLUME, VOLUME, null, Map.of(), Map.of(), true)),
                Map.of(), List.of());
        return new Stack(PROJECT, deployId, compose, List.of(
                new StackService(proxy, Role.INFRA, PROXY),
                new StackService(db, Role.INFRA, DB),
                new StackService(backend, Role.APP, "sancho_backend_" + deployId),
                new StackService(frontend, Role.APP, "sancho_frontend_" + deployId)),
                Map.of(VOLUME, VOLUME), Map.of("default", NETWORK), List.of());
    }

    public static Service service(String name, String image, String containerName, Map<String, String> env,
            List<Service.Mount> mounts, Map<String, String> dependsOn, List<Service.PortMapping> ports) {
        return new Service(name, 3, image, null, containerName, null, null, env, ports, mounts, Map.of(),
                Map.of(), null, null, dependsOn, null, null, null, List.of(), null, Duration.ofSeconds(3));
    }

    /** The same stack with these published ports on the given app service (e.g. a fixed host port). */
    public static Stack withPorts(Stack s, String service, List<Service.PortMapping> ports) {
        return withService(s, service, b -> new Service(b.name(), b.line(), b.image(), b.build(), b.containerName(),
                b.command(), b.entrypoint(), b.environment(), ports, b.volumes(), b.networks(), b.labels(),
                b.healthcheck(), b.restart(), b.dependsOn(), b.user(), b.workingDir(), b.hostname(), b.extraHosts(),
                b.stopSignal(), b.stopGracePeriod(), b.containerNameTemplate()));
    }

    /** The same stack with this {@code depends_on} (service -> condition) on the given service. */
    public static Stack withDependsOn(Stack s, String service, Map<String, String> dependsOn) {
        return withService(s, service, b -> new Service(b.name(), b.line(), b.image(), b.build(), b.containerName(),
                b.command(), b.entrypoint(), b.environment(), b.ports(), b.volumes(), b.networks(), b.labels(),
                b.healthcheck(), b.restart(), dependsOn, b.user(), b.workingDir(), b.hostname(), b.extraHosts(),
                b.stopSignal(), b.stopGracePeriod(), b.containerNameTemplate()));
    }

    /** The stack plus a one-shot app service {@code job} that {@code dependent} waits for to complete. */
    public static Stack withJob(Stack s, String job, String dependent) {
        Service j = service(job, "sancho-it/app:1", "sancho_" + job + "_${DEPLOY_ID}", Map.of(), List.of(), Map.of(),
                List.of());
        List<StackService> services = new java.util.ArrayList<>();
        services.add(new StackService(j, Role.APP, "sancho_" + job + "_" + s.deployId()));
        services.addAll(s.services());
        Stack with = new Stack(s.project(), s.deployId(), s.compose(), services, s.volumeNames(), s.networkNames(),
                s.warnings());
        Map<String, String> deps = new LinkedHashMap<>(with.service(dependent).orElseThrow().service().dependsOn());
        deps.put(job, Labels.CONDITION_COMPLETED);
        return withDependsOn(with, dependent, deps);
    }

    private static Stack withService(Stack s, String service, java.util.function.UnaryOperator<Service> change) {
        List<StackService> services = s.services().stream().map(ss -> ss.name().equals(service)
                ? new StackService(change.apply(ss.service()), ss.role(), ss.containerName()) : ss).toList();
        return new Stack(s.project(), s.deployId(), s.compose(), services, s.volumeNames(), s.networkNames(),
                s.warnings());
    }

    /** Adds a non-external named volume and a network to a stack (for create-if-missing tests). */
    public static Stack withOwnVolume(Stack s, String key) {
        Map<String, VolumeDef> vols = new LinkedHashMap<>(s.compose().volumes());
        vols.put(key, new VolumeDef(key, null, null, Map.of(), Map.of(), false));
        Map<String, String> names = new LinkedHashMap<>(s.volumeNames());
        names.put(key, PROJECT + "_" + key);
        List<StackService> services = s.services().stream().map(ss -> {
            if (!ss.name().equals("backend")) {
                return ss;
            }
            Service b = ss.service();
            Service nb = new Service(b.name(), b.line(), b.image(), null, b.containerName(), null, null,
                    b.environment(), b.ports(), List.of(new Service.Mount("volume", key, "/cache", false)),
                    b.networks(), b.labels(), b.healthcheck(), b.restart(), b.dependsOn(), null, null, null,
                    List.of(), null, b.stopGracePeriod());
            return new StackService(nb, ss.role(), ss.containerName());
        }).toList();
        ComposeFile c = s.compose();
        return new Stack(s.project(), s.deployId(), new ComposeFile(c.path(), c.name(), c.services(), vols,
                Map.of("default", new NetworkDef("default", NETWORK, null, Map.of(), false)), List.of()),
                services, names, s.networkNames(), List.of());
    }
}
