package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sancho.maven.docker.ContainerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traefik cannot run here (no image), so the zero-downtime contract with it is checked on the generated container
 * config: the compose labels reach every deploy's containers unchanged, so old and new containers are ONE Traefik
 * service (same router and service names) while both run, and Traefik drops the old one when it stops.
 */
class TraefikLabelsTest {
    /** The label set of the Deploying page (src/site/markdown/deploy.md). */
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

    /** The same labels as the Deploying page's compose file writes them. */
    static final String COMPOSE_LABELS = """
            traefik.enable: "true"
            traefik.docker.network: sancho_default
            traefik.http.routers.backend.rule: Host(`shop.example.com`) && PathPrefix(`/api`)
            traefik.http.routers.backend.entrypoints: websecure
            traefik.http.routers.backend.tls.certresolver: le
            traefik.http.routers.backend.service: backend
            traefik.http.routers.backend.middlewares: backend-retry
            traefik.http.middlewares.backend-retry.retry.attempts: "3"
            traefik.http.services.backend.loadbalancer.server.port: "8080"
            traefik.http.services.backend.loadbalancer.healthcheck.path: /health
            traefik.http.services.backend.loadbalancer.healthcheck.interval: 2s
            """;

    @TempDir
    Path dir;

    /** The seed stack's backend behind Traefik: the Deploying page's labels, a graceful stop. */
    ContainerSpec spec(String deployId) {
        Stack s = SeedStack.in(dir).with("backend", "labels", COMPOSE_LABELS)
                .with("backend", "stop_signal", "SIGTERM").with("backend", "stop_grace_period", "20s")
                .stack(deployId);
        return ContainerSpecs.forService(s, s.service("backend").orElseThrow());
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
