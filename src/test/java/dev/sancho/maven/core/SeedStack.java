package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.NetworkDef;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.VolumeDef;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Role;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runbook's stack built by hand (no compose loader needed): db + traefik infrastructure, backend app. */
final class SeedStack {
    static final String PROJECT = "sancho";
    static final String DB = "sancho_db_v2";
    static final String TRAEFIK = "sancho_traefik_persistent";
    static final String VOLUME = "sancho_postgres_data";
    static final String PGDATA = "/var/lib/postgresql/data";

    private SeedStack() {}

    static Service service(String name, String image, List<Service.Mount> mounts, Duration stopGrace) {
        return new Service(name, 1, image, null, null, null, null, Map.of("POSTGRES_PASSWORD", "s3cret"), List.of(),
                mounts, Map.of(), Map.of(), null, null, Map.of(), null, null, null, List.of(), null, stopGrace);
    }

    static Stack stack(Path dir) {
        Service db = service("db", "sancho-it/postgres:15", List.of(new Service.Mount("volume", "pgdata", PGDATA,
                false)), Duration.ofSeconds(30));
        Service traefik = service("traefik", "sancho-it/app:1", List.of(new Service.Mount("bind",
                dir.resolve("letsencrypt").toString(), "/letsencrypt", false)), null);
        Service backend = service("backend", "sancho-it/app:1", List.of(), Duration.ofSeconds(3));
        Service frontend = service("frontend", "sancho-it/app:1", List.of(), null);
        Map<String, Service> services = new LinkedHashMap<>();
        for (Service s : List.of(db, traefik, backend, frontend)) {
            services.put(s.name(), s);
        }
        ComposeFile compose = new ComposeFile(dir.resolve("docker-compose.yml"), null, services,
                Map.of("pgdata", new VolumeDef("pgdata", VOLUME, null, Map.of(), Map.of(), true)),
                Map.of("default", new NetworkDef("default", "sancho_default", null, Map.of(), false)), List.of());
        return new Stack(PROJECT, "d3", compose, List.of(
                new StackService(db, Role.INFRA, DB),
                new StackService(traefik, Role.INFRA, TRAEFIK),
                new StackService(backend, Role.APP, "sancho_backend_d3"),
                new StackService(frontend, Role.APP, "sancho_frontend_d3")),
                Map.of("pgdata", VOLUME), Map.of("default", "sancho_default"), List.of());
    }

    static ContainerInfo put(FakeDockerEngine engine, String name, String state, String health,
            Map<String, String> labels, List<ContainerInfo.MountInfo> mounts) {
        String id = "x" + (engine.containers.size() + 100);
        ContainerInfo c = new ContainerInfo(id, name, "sancho-it/app:1", "sha256:x", state, health,
                "exited".equals(state) ? 0 : null, labels, Instant.parse("2026-01-01T00:00:00Z"), mounts, Map.of());
        engine.containers.put(id, c);
        return c;
    }

    static Map<String, String> app(String service, String deployId, String deployedAt) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(Labels.PROJECT, PROJECT);
        l.put(Labels.SERVICE, service);
        l.put(Labels.ROLE, "app");
        l.put(Labels.DEPLOY_ID, deployId);
        l.put(DeployHistory.DEPLOYED_AT, deployedAt);
        return l;
    }

    /** A healthy stack as a deploy leaves it: infra running, deploy d2 running, d1 kept stopped. */
    static FakeDockerEngine healthy(Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("letsencrypt"));
        FakeDockerEngine e = new FakeDockerEngine();
        e.volumes.put(VOLUME, new dev.sancho.maven.docker.VolumeInfo(VOLUME, "local", null, Map.of()));
        e.networks.put("sancho_default", new dev.sancho.maven.docker.NetworkInfo("n1", "sancho_default", "bridge",
                Map.of()));
        e.addImage("sancho-it/postgres:15");
        e.addImage("sancho-it/app:1");
        put(e, DB, "running", "healthy", Map.of(), List.of(new ContainerInfo.MountInfo("volume", VOLUME, PGDATA,
                false)));
        put(e, TRAEFIK, "running", null, Map.of(Labels.PROJECT, PROJECT, Labels.ROLE, "infra"),
                List.of(new ContainerInfo.MountInfo("bind", dir.resolve("letsencrypt").toString(), "/letsencrypt",
                        false)));
        put(e, "sancho_backend_d1", "exited", null, app("backend", "d1", "2026-01-01T10:00:00Z"), List.of());
        put(e, "sancho_frontend_d1", "exited", null, app("frontend", "d1", "2026-01-01T10:00:00Z"), List.of());
        put(e, "sancho_backend_d2", "running", "healthy", app("backend", "d2", "2026-01-02T10:00:00Z"), List.of());
        put(e, "sancho_frontend_d2", "running", null, app("frontend", "d2", "2026-01-02T10:00:00Z"), List.of());
        return e;
    }

    static ContainerInfo with(FakeDockerEngine e, String name, String state, String health,
            List<ContainerInfo.MountInfo> mounts) {
        ContainerInfo old = e.findContainer(name).orElseThrow();
        ContainerInfo c = new ContainerInfo(old.id(), old.name(), old.image(), old.imageId(), state, health,
                "exited".equals(state) ? 137 : null, old.labels(), old.created(),
                mounts == null ? old.mounts() : mounts, old.networkAliases());
        e.containers.put(old.id(), c);
        return c;
    }

    /** Collects everything logged, for assertions that nothing secret is printed. */
    static final class CapturingLog implements Log {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(String message) {
            lines.add(message);
        }

        @Override
        public void warn(String message) {
            lines.add("WARN " + message);
        }

        @Override
        public void debug(String message) {
            lines.add("DEBUG " + message);
        }

        String all() {
            return String.join("\n", lines);
        }
    }
}
