package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project of infrastructure only (the shared proxy of several apps, src/site/markdown/deploy.md "Several projects on one engine") deploys and verifies. */
class InfraOnlyStackTest {
    @TempDir
    Path dir;

    @Test
    void aProxyOnlyProjectDeploysAndItsVerifyExpectsNoAppDeploy() {
        var stack = StackResolver.resolve(Fixtures.inline(dir, """
                name: edge
                services:
                  proxy:
                    image: sancho-it/nginx:1
                    container_name: edge_proxy
                    networks: [edge]
                networks:
                  edge:
                    name: edge
                """), new StackConfig(null, "edge", "e1", Set.of("proxy"), null, false, "com.acme:edge:compose.yml"));
        FakeDockerEngine engine = new FakeDockerEngine();
        engine.addImage("sancho-it/nginx:1");
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        DeployRun.run(engine, new DeployRun.Request(stack, DeployRun.Steps.ALL, new DeployOptions(1, Duration.ofSeconds(2),
                Duration.ZERO, Duration.ZERO, Instant.parse("2026-03-01T10:00:00Z"), Set.of()),
                new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30)), List.of(), Map.of(), List.of(), List.of(),
                false), log);
        assertTrue(engine.findContainer("edge_proxy").orElseThrow().running());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("All ") && l.endsWith(" checks passed.")), log.lines::toString);
    }
}
