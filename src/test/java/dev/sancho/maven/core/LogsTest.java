package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.SeedStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsTest {
    @TempDir
    Path dir;

    final Log quiet = new Log() {
        @Override
        public void info(String m) {}

        @Override
        public void warn(String m) {}

        @Override
        public void debug(String m) {}
    };

    @Test
    void readsEveryReplicaOfTheCurrentDeployByLabelsAndNeverAnotherProjectsContainer() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        Map<String, String> replica2 = new LinkedHashMap<>(SeedStack.app("backend", "d2", "2026-01-02T10:00:00Z"));
        SeedStack.put(e, "sancho_backend_d2_2", "running", "healthy", replica2, List.of());
        // another project's backend, named like ours would be, running
        Map<String, String> other = new LinkedHashMap<>(SeedStack.app("backend", "d2", "2026-01-03T10:00:00Z"));
        other.put(Labels.PROJECT, "other");
        SeedStack.put(e, "sancho_backend_d9", "running", "healthy", other, List.of());
        List<String> out = new ArrayList<>();
        Logs.run(e, SeedStack.in(dir).stack("d3"), new Logs.Options(null, null, null, false), s -> s, out::add,
                quiet);
        assertEquals(List.of(
                "backend-1  | log of sancho_backend_d2",
                "backend-2  | log of sancho_backend_d2_2",
                "frontend-1 | log of sancho_frontend_d2"), out);

        out.clear();
        Logs.run(e, SeedStack.in(dir).stack("d3"), new Logs.Options("frontend", null, null, true), s -> s, out::add,
                quiet);
        assertEquals(List.of("frontend-1 | log of sancho_frontend_d2"), out);
    }

    @Test
    void masksSecretsAndSaysInOneLineWhatIsWrong() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        List<String> out = new ArrayList<>();
        Logs.run(e, SeedStack.in(dir).stack("d3"), new Logs.Options("backend", null, 10, false),
                s -> s.replace("sancho_backend", "******"), out::add, quiet);
        assertEquals(List.of("backend-1 | log of ******_d2"), out);
        ConfigException unknown = assertThrows(ConfigException.class, () -> Logs.run(e,
                SeedStack.in(dir).stack("d3"), new Logs.Options("nope", null, null, false), s -> s, out::add, quiet));
        assertTrue(unknown.getMessage().startsWith("parameter service (sancho.service) is \"nope\": the stack has"),
                unknown.getMessage());
        e.containers.values().removeIf(c -> c.name().endsWith("_d2"));
        CheckFailedException none = assertThrows(CheckFailedException.class, () -> Logs.run(e,
                SeedStack.in(dir).stack("d3"), new Logs.Options(null, null, null, false), s -> s, out::add, quiet));
        assertTrue(none.getMessage().startsWith("no deploy of project sancho is running"), none.getMessage());
    }
}
