package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.docker.ContainerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Traefik cannot run here (no image), so the zero-downtime contract with it is checked on the generated container
 * config: the compose labels reach every deploy's containers unchanged, so old and new containers are ONE Traefik
 * service (same router and service names) while both run, and Traefik drops the old one when it stops.
 */
class TraefikLabelsTest {
    /** The README's label set. */
    static final Map<String, String> TRAEFIK = new LinkedHashMap<>();

    static {
        TRAEFIK.put("traefik.enable", "true");
        TRAEFIK.put("traefik.docker.network", "sancho_default");
        TRAEFIK.put("traefik.http.routers.backend.rule", "Host(`shop.example.com`) && PathPrefix(`/api`)");
        TRAEFIK.put("traefik.http.routers.backend.entrypoints", "websecure");
        TRAEFIK.put("traefik.http.routers.backend.tls.certresolver", "le");
        TRAEFIK.put("traefik.http.routers.backend.service", "backend");
        TRAEFIK.put("traefik.http.routers.backend.middlewares", "backend-retry");
        TRAEFIK.put("traefik.http.middlewares.backend-retry.retry.attempts", "3");
        TRAEFIK.put("traefik.http.services.backend.loadbalancer.server.port", "8080");
        TRAEFIK.put("traefik.http.services.backend.loadbalancer.healthcheck.path", "/health");
        TRAEFIK.put("traefik.http.services.backend.loadbalancer.healthcheck.interval", "2s");
    }

    static Stack stack(String deployId) {
        Service backend = new Service("backend", 12, "sancho-it/app:1", null, "sancho_backend_" + deployId, null, null,
                Map.of(), List.of(), List.of(), Map.of(), TRAEFIK, null, null, Map.of(), null,
                null, null, List.of(), "SIGTERM", Duration.ofSeconds(20));
        ComposeFile compose = new ComposeFile(Path.of("/srv/sancho/docker-compose.yml"), null,
                Map.of("backend", backend), Map.of(), Map.of(), List.of());
        return new Stack("sancho", deployId, compose,
                List.of(new StackService(backend, Role.APP, "sancho_backend_" + deployId)), Map.of(),
                Map.of("default", "sancho_default"), List.of());
    }

    static ContainerSpec spec(String deployId) {
        Stack s = stack(deployId);
        return ContainerSpecs.forService(s, s.applications().get(0));
    }

    static Map<String, String> traefikLabels(ContainerSpec spec) {
        Map<String, String> out = new TreeMap<>();
        spec.labels().forEach((k, v) -> {
            if (k.startsWith("traefik.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void composeLabelsReachTheContainerUnchanged() {
        ContainerSpec d1 = spec("20260101090000");
        assertEquals(new TreeMap<>(TRAEFIK), traefikLabels(d1));
        assertEquals("backend", d1.labels().get(Labels.SERVICE));
        assertEquals("20260101090000", d1.labels().get(Labels.DEPLOY_ID));
    }

    @Test
    void oldAndNewDeployCarryTheSameRouterAndServiceSoTraefikBalancesAcrossTheSwitch() {
        ContainerSpec old = spec("20260101090000");
        ContainerSpec next = spec("20260101093000");
        assertEquals(traefikLabels(old), traefikLabels(next));
        assertEquals(old.labels().get(Labels.CONFIG_HASH), next.labels().get(Labels.CONFIG_HASH),
                "only the deploy id and the container name differ");
        // Traefik reaches the containers on the network it shares with them, where both carry the service name
        assertEquals(Map.of("sancho_default", List.of("backend")), old.networks());
        assertEquals(old.networks(), next.networks());
        // the graceful stop Traefik needs to finish in-flight requests once the container leaves its service
        assertEquals("SIGTERM", next.stopSignal());
        assertEquals(Duration.ofSeconds(20), next.stopTimeout());
    }
}
