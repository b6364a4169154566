package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.Labels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CleanupTest {
    FakeDockerEngine engine = new FakeDockerEngine();
    static final Set<String> INFRA = Set.of("sancho_db_v2", "sancho_traefik_persistent");

    void app(String project, String service, String deployId, int day, String state) {
        Map<String, String> labels = new HashMap<>();
        labels.put(Labels.PROJECT, project);
        labels.put(Labels.ROLE, "app");
        labels.put(Labels.SERVICE, service);
        labels.put(Labels.DEPLOY_ID, deployId);
        labels.put(Labels.DEPLOYED_AT, "2026-01-" + (10 + day) + "T00:00:00Z");
        engine.add(project + "_" + service + "_" + deployId, "sancho-it/app:1", state, labels);
    }

    @Test
    void removesLeftoversAndDeploysBeyondKeepButNothingElse() {
        engine.add("sancho_db_v2", "pg", "exited", Map.of(Labels.PROJECT, "sancho", Labels.ROLE, "infra"));
        engine.add("sancho_db_v2_old", "pg", "exited", Map.of());
        engine.add("sancho_backend_manual", "app", "exited", Map.of());
        for (int d = 1; d <= 5; d++) {
            app("sancho", "backend", "d" + d, d, d == 5 ? "running" : "exited");
            app("sanchodep_other", "backend", "d" + d, d, "exited");
        }
        app("sancho", "backend", "d6", 6, "created"); // interrupted deploy
        Cleanup.Result r = Cleanup.run(engine, "sancho", null, INFRA, 2, false, Log.NONE);
        assertEquals(List.of("sancho_backend_d6", "sancho_backend_d2", "sancho_backend_d1"), r.removed());
        assertEquals("d5", r.currentDeploy());
        assertEquals(List.of("d4", "d3"), r.keptDeploys());
        for (String n : List.of("sancho_db_v2", "sancho_db_v2_old", "sancho_backend_manual", "sancho_backend_d5",
                "sanchodep_other_backend_d1")) {
            assertTrue(engine.findContainer(n).isPresent(), n);
        }
        assertTrue(r.summary(false).startsWith("pre-deploy-cleanup: removed 3 containers"), r.summary(false));
    }

    @Test
    void dryRunListsAndChangesNothing() {
        for (int d = 1; d <= 4; d++) {
            app("sancho", "backend", "d" + d, d, "exited");
        }
        engine.calls.clear();
        Cleanup.Result r = Cleanup.run(engine, "sancho", null, INFRA, 1, true, Log.NONE);
        assertEquals(3, r.removed().size());
        assertEquals(List.of(), engine.calls);
        assertTrue(r.summary(true).startsWith("pre-deploy-cleanup: would remove 3 containers"));
    }
}
