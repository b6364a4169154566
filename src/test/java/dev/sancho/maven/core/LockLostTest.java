package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.PROJECT;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.SeedStack;
import dev.sancho.maven.plan.Stack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy whose lock is lost while it runs (its connection to the engine dropped long enough for the lock's process
 * to end: another deploy may take the lock) stops before its cutover: it stops nothing of the previous deploy.
 */
class LockLostTest {
    @TempDir
    Path dir;

    /** Starting this container ends the lock's stream, as a dropped connection would. */
    static final class DroppingEngine extends FakeDockerEngine {
        String dropOnStart;

        @Override
        public synchronized void startContainer(String id) {
            super.startContainer(id);
            ContainerInfo c = inspectContainer(id).orElseThrow();
            if (c.name().equals(dropOnStart)) {
                attached.values().forEach(FakeDockerEngine.Stdin::close);
            }
        }
    }

    @Test
    void aDeployThatLostItsLockStopsNothingOfThePreviousDeploy() {
        SeedStack seed = SeedStack.in(dir);
        DroppingEngine engine = new DroppingEngine();
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1", "sancho-it/app:2").forEach(engine::addImage);
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        deploy(engine, seed.stack("d1"), Instant.parse("2026-03-01T10:00:00Z"), log);
        engine.dropOnStart = PROJECT + "_backend_d2";
        engine.calls.clear();

        CheckFailedException e = assertThrows(CheckFailedException.class,
                () -> deploy(engine, seed.stack("d2"), Instant.parse("2026-03-01T10:01:00Z"), log));

        assertTrue(e.getMessage().startsWith("the deploy lock of project " + PROJECT + " was lost before the cutover"),
                e.getMessage());
        assertEquals(List.of(), engine.calls.stream().filter(c -> c.startsWith("stop ")
                || c.startsWith("update ") || c.startsWith("disconnect")).toList(), engine.calls::toString);
        assertEquals("running", engine.findContainer(PROJECT + "_backend_d1").orElseThrow().state());
        assertTrue(engine.findContainer(PROJECT + "_backend_d2").isEmpty(), "the new deploy was removed again");
    }

    static void deploy(FakeDockerEngine engine, Stack stack, Instant now, Fixtures.RecordingLog log) {
        DeployOptions opts = new DeployOptions(2, Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, now, Set.of());
        DeployRun.run(engine, new DeployRun.Request(stack, DeployRun.Steps.ALL, opts,
                new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30)), List.of(), Map.of(), List.of(),
                List.of(), false), log);
    }
}
