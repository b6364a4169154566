package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.SeedStack;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusTest {
    @TempDir
    Path dir;

    @Test
    void printsInfrastructureAndDeploysWithTheCurrentMarked() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.containers.remove(e.findContainer(SeedStack.PROXY).orElseThrow().id());
        SeedStack.set(e, "sancho_backend_d1", "exited", "unhealthy", null); // stale health of a stopped container
        List<String> out = Status.render(e, SeedStack.in(dir).stack("d3"));
        String text = String.join("\n", out);
        assertEquals(List.of(
                "sancho:status — project sancho on fake://engine",
                "",
                "Infrastructure",
                "  NAME                       STATE    HEALTH   IMAGE                  CREATED",
                "  sancho_traefik_persistent  MISSING  -        sancho-it/nginx:1      - (mvn sancho:recover recreates it)",
                "  sancho_db_v2               running  healthy  sancho-it/postgres:15  2026-01-01T00:00:00Z",
                "",
                "Deploys (* = current, ! = running but not current)",
                "  DEPLOY  DEPLOYED-AT           SERVICE   CONTAINER           STATE        HEALTH   IMAGE",
                "* d2      2026-01-02T10:00:00Z  backend   sancho_backend_d2   running      healthy  sancho-it/app:1",
                "                                frontend  sancho_frontend_d2  running      -        sancho-it/app:1",
                "  d1      2026-01-01T10:00:00Z  backend   sancho_backend_d1   exited(137)  -        sancho-it/app:1",
                "                                frontend  sancho_frontend_d1  exited       -        sancho-it/app:1"), out,
                text);
        assertFalse(text.contains(SECRET));
        assertTrue(e.calls.isEmpty(), "status is read-only");
    }

    @Test
    void saysSoWhenNothingIsDeployed() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.containers.values().removeIf(c -> c.name().matches(".*_d[12]"));
        String text = String.join("\n", Status.render(e, SeedStack.in(dir).stack("d3")));
        assertTrue(text.contains("(no application containers with label sancho.project=sancho)"), text);
    }
}
