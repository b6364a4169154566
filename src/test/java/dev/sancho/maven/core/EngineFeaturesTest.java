package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** healthcheck.start_interval on an engine older than API 1.44: left out with one file:line warning, like Compose v2. */
class EngineFeaturesTest {
    @TempDir
    Path dir;

    private List<String> warnings(String api) {
        Stack stack = StackResolver.resolve(Fixtures.inline(dir, """
                services:
                  db:
                    image: postgres:15
                    healthcheck:
                      test: ["CMD", "pg_isready"]
                      start_interval: 1s
                  app:
                    image: app:1
                """), new StackConfig("shop", "shop", "1", Set.of("db"), null));
        FakeDockerEngine engine = new FakeDockerEngine();
        engine.api = api;
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        EngineFeatures.warnUnsupported(engine, stack, log);
        return log.warnings;
    }

    @Test
    void anOldEngineGetsOneWarningAtTheKey() {
        assertEquals(List.of("docker-compose.yml:6: services.db.healthcheck.start_interval: needs Docker Engine API"
                + " 1.44 (Engine 25) or later; this engine speaks 1.41, so it is not applied"), warnings("1.41"));
    }

    @Test
    void aNewEnoughOrUnknownEngineGetsNone() {
        assertEquals(List.of(), warnings("1.44"));
        assertEquals(List.of(), warnings(null));
    }
}
