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

    /** A key of the override file under a mapping of the main file: the override's file with the override's line. */
    @Test
    void aStartIntervalWrittenInTheOverrideIsWarnedThere() {
        Path main = Fixtures.write(dir, "docker-compose.yml", """
                services:
                  db:
                    image: postgres:15
                    healthcheck:
                      test: ["CMD", "pg_isready"]
                """);
        Path over = Fixtures.write(dir, "docker-compose.override.yml", "\n".repeat(600) + """
                services:
                  db:
                    healthcheck:
                      start_interval: 1s
                """);
        var compose = dev.sancho.maven.compose.ComposeLoader.load(List.of(main, over), null, java.util.Map.of(),
                java.util.Map.of(), dev.sancho.maven.compose.ComposeLoader.builtins("1", "shop"), java.util.Map.of(),
                dev.sancho.maven.common.Log.NONE);
        Stack stack = StackResolver.resolve(compose, new StackConfig("shop", "shop", "1", Set.of("db"), null));
        FakeDockerEngine engine = new FakeDockerEngine();
        engine.api = "1.41";
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        EngineFeatures.warnUnsupported(engine, stack, log);
        assertEquals(List.of("docker-compose.override.yml:604: services.db.healthcheck.start_interval: needs Docker"
                + " Engine API 1.44 (Engine 25) or later; this engine speaks 1.41, so it is not applied"), log.warnings);
    }

    /** Without subpath support the engine would mount the WHOLE volume where one directory was asked for. */
    @Test
    void aVolumeSubpathIsRefusedByAnEngineTooOldForIt() {
        Stack stack = StackResolver.resolve(Fixtures.inline(dir, """
                services:
                  db:
                    image: postgres:16
                    volumes:
                      - {type: volume, source: data, target: /var/lib/postgresql/data, volume: {subpath: pg16}}
                volumes:
                  data:
                """), new StackConfig("shop", "shop", "1", Set.of("db"), null));
        FakeDockerEngine engine = new FakeDockerEngine();
        engine.api = "1.41";
        String m = org.junit.jupiter.api.Assertions.assertThrows(dev.sancho.maven.compose.ComposeException.class,
                () -> EngineFeatures.refuseUnsupported(engine, stack)).getMessage();
        assertEquals("docker-compose.yml:4: services.db.volumes: volume.subpath pg16 needs Docker Engine API 1.45"
                + " (Engine 26) or later; this engine speaks 1.41 and would mount the whole volume data at"
                + " /var/lib/postgresql/data: refused, nothing was changed", m);
        engine.api = "1.45";
        EngineFeatures.refuseUnsupported(engine, stack);
        assertEquals(List.of(), engine.calls, "only the version was asked");
    }
}
