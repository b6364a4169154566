package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB;
import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.PROJECT;
import static dev.sancho.maven.plan.SeedStack.PROXY;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static dev.sancho.maven.plan.SeedStack.SECRET;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Plan;
import dev.sancho.maven.plan.Planner;
import dev.sancho.maven.plan.SeedStack;
import dev.sancho.maven.plan.Stack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeployerTest {
    FakeDockerEngine engine;
    Instant clock = Instant.parse("2026-02-01T10:00:00Z");

    @BeforeEach
    void engine() {
        engine = new FakeDockerEngine() {
            @Override
            public List<String> logTail(String id, int lines) {
                return List.of("FATAL: password authentication failed, password=" + SECRET);
            }
        };
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1", "sancho-it/app:2").forEach(engine::addImage);
        engine.createVolume(VOLUME, null, Map.of(), Map.of());
    }

    Deployer.Result deploy(Stack stack, int keep) {
        clock = clock.plusSeconds(60);
        DeployOptions opts = new DeployOptions(keep, Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, clock,
                Set.of());
        Plan plan = Planner.plan(stack, StateReader.observe(engine, stack), opts);
        return Deployer.execute(engine, plan, SecretMask.of(stack), Log.NONE);
    }

    List<ContainerInfo> apps() {
        return engine.listContainers(Labels.appSelector(PROJECT));
    }

    @Test
    void tenDeploysKeepTheSameDatabaseContainerAndAtMostKeepStoppedDeploys() {
        deploy(SeedStack.stack("d1"), 2);
        String dbId = engine.findContainer(DB).orElseThrow().id();
        for (int i = 2; i <= 10; i++) {
            deploy(SeedStack.stack("d" + i, i % 2 == 0 ? "sancho-it/app:2" : "sancho-it/app:1", SECRET, DB_IMAGE), 2);
            assertEquals(dbId, engine.findContainer(DB).orElseThrow().id(), "deploy " + i);
            assertTrue(engine.findContainer(DB).orElseThrow().running());
        }
        DeployHistory history = DeployHistory.of(apps());
        assertEquals("d10", history.current().orElseThrow().id());
        assertEquals(List.of("d9", "d8"), history.inactive().stream().map(DeployHistory.Deploy::id).toList());
        assertEquals(6, apps().size());
        assertTrue(engine.calls.stream().noneMatch(c -> c.startsWith("remove " + DB) || c.startsWith("stop " + DB)
                || c.startsWith("remove " + PROXY) || c.startsWith("stop " + PROXY)), engine.calls::toString);
        assertEquals(1, engine.calls.stream().filter(c -> c.equals("create " + DB)).count());
    }

    @Test
    void aNewDeployThatNeverBecomesHealthyIsRemovedAndThePreviousOneKeepsRunning() {
        deploy(SeedStack.stack("d1"), 2);
        engine.healthOnStart.put("sancho_backend_d2", "unhealthy");
        engine.calls.clear();
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> deploy(SeedStack.stack("d2"), 2));
        assertTrue(e.getMessage().startsWith("deploy d2 failed: sancho_backend_d2: its healthcheck reports unhealthy"),
                e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), "secret masked in log lines: " + e.getMessage());
        assertTrue(e.getMessage().contains("password=******"), e.getMessage());
        assertTrue(e.getMessage().contains("previous deploy keeps serving"), e.getMessage());
        assertTrue(engine.findContainer("sancho_backend_d1").orElseThrow().running());
        assertTrue(engine.findContainer("sancho_frontend_d1").orElseThrow().running());
        assertTrue(engine.findContainer("sancho_backend_d2").isEmpty());
        assertTrue(engine.findContainer("sancho_frontend_d2").isEmpty(), "created but never started: removed too");
        assertTrue(engine.calls.stream().noneMatch(c -> c.startsWith("stop ")), engine.calls::toString);
    }

    @Test
    void aMissingImageFailsInOneLineBeforeAnythingChanges() {
        deploy(SeedStack.stack("d1"), 2);
        engine.calls.clear();
        ConfigException e = assertThrows(ConfigException.class,
                () -> deploy(SeedStack.stack("d2", "sancho-it/app:404", SECRET, DB_IMAGE), 2));
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().startsWith("image sancho-it/app:404 is not on the engine at fake://engine and"
                + " cannot be pulled"), e.getMessage());
        assertTrue(e.getMessage().contains("docker load -i"), e.getMessage());
        assertEquals(List.of(), engine.calls);
    }

    @Test
    void aBlockedPlanChangesNothing() {
        engine.volumes.clear();
        engine.calls.clear();
        ConfigException e = assertThrows(ConfigException.class, () -> deploy(SeedStack.stack("d1"), 2));
        assertTrue(e.getMessage().contains("volume " + VOLUME + " does not exist"), e.getMessage());
        assertEquals(List.of(), engine.calls);
    }

    @Test
    void previousDeployIsStoppedOnlyAfterTheNewOneIsReady() {
        deploy(SeedStack.stack("d1"), 2);
        engine.calls.clear();
        deploy(SeedStack.stack("d2"), 2);
        int lastStart = engine.calls.lastIndexOf("start sancho_frontend_d2");
        int firstStop = engine.calls.indexOf("stop sancho_backend_d1");
        assertTrue(lastStart >= 0 && firstStop > lastStart, engine.calls::toString);
    }
}
