package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.compose.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A problem written in the override file is reported at the override file's line, not the main file's. */
class OverrideFileErrorsTest {
    @TempDir
    Path dir;

    private Stack stack(String override, String... infrastructure) {
        Path main = Fixtures.write(dir, "docker-compose.yml", """
                services:
                  db:
                    image: postgres:15
                  api:
                    image: app:1
                """);
        Path over = Fixtures.write(dir, "docker-compose.override.yml", override);
        ComposeFile compose = ComposeLoader.load(List.of(main, over), null, Map.of(), Map.of(),
                ComposeLoader.builtins("7", "shop"), Map.of(), Log.NONE);
        return StackResolver.resolve(compose, new StackConfig("shop", "shop", "7", Set.of(infrastructure), null));
    }

    @Test
    void replicasOfInfrastructureNameTheOverrideFile() {
        String m = assertThrows(ComposeException.class, () -> stack("""
                services:
                  db:
                    deploy:
                      replicas: 2
                """, "db")).getMessage();
        assertEquals("docker-compose.override.yml:4: services.db.deploy.replicas: 2 replicas, but db is"
                + " infrastructure: one container with a fixed name, never recreated; remove deploy.replicas, or"
                + " remove db from <infrastructure>", m);
    }

    @Test
    void aPortRangeMismatchNamesTheOverrideFile() {
        Stack s = stack("""
                services:
                  api:
                    ports:
                      - "8000-8002:80-81"
                """);
        String m = assertThrows(ConfigException.class,
                () -> ContainerSpecs.forService(s, s.service("api").orElseThrow())).getMessage();
        assertEquals("docker-compose.override.yml:3: services.api.ports: host range 8000-8002 and container range"
                + " 80-81 differ in size", m);
    }

    @Test
    void anInfrastructureBuildNamesTheOverrideFile() {
        Stack s = stack("""
                services:
                  db:
                    build: ./db
                """, "db");
        List<String> notes = ImageBuilds.infrastructureBuildNotes(s);
        assertEquals(List.of("docker-compose.override.yml:3: services.db.build: not built by sancho (infrastructure"
                + " is never recreated); it runs image postgres:15"), notes);
    }
}
