package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.PROJECT;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Plan;
import dev.sancho.maven.plan.Planner;
import dev.sancho.maven.plan.SeedStack;
import dev.sancho.maven.plan.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service with deploy.replicas: 2 through deploy, cutover, retention, rollback, verify, status and cleanup. */
class ReplicasTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;
    SeedStack seed;
    FakeDockerEngine engine;
    Instant clock = Instant.parse("2026-02-01T10:00:00Z");

    @BeforeEach
    void engine() throws Exception {
        Files.createDirectories(dir.resolve("letsencrypt"));
        seed = SeedStack.in(dir).with("backend", "deploy", "{replicas: 2}");
        engine = new FakeDockerEngine();
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1", "sancho-it/app:2").forEach(engine::addImage);
        engine.createVolume(VOLUME, null, Map.of(), Map.of());
    }

    void deploy(String id, int keep) {
        clock = clock.plusSeconds(60);
        Stack stack = seed.stack(id);
        Plan plan = Planner.plan(stack, StateReader.observe(engine, stack),
                new DeployOptions(keep, Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, clock, Set.of()));
        Deployer.execute(engine, plan, SecretMask.of(stack), Log.NONE);
    }

    String state(String name) {
        return engine.findContainer(name).map(ContainerInfo::state).orElse("absent");
    }

    @Test
    void bothReplicasRunBehindTheServiceNameAndTheCutoverStopsBothOfThePreviousDeploy() {
        deploy("d1", 1);
        assertEquals("running", state("sancho_backend_d1"));
        assertEquals("running", state("sancho_backend_d1_2"));
        assertEquals("running", state("sancho_frontend_d1"));
        assertEquals("absent", state("sancho_frontend_d1_2"), "only backend has replicas");
        for (String name : List.of("sancho_backend_d1", "sancho_backend_d1_2")) {
            String id = engine.findContainer(name).orElseThrow().id();
            assertTrue(engine.specs.get(id).networks().get("sancho_default").contains("backend"), name);
        }

        deploy("d2", 1);
        assertEquals("running", state("sancho_backend_d2"));
        assertEquals("running", state("sancho_backend_d2_2"));
        assertEquals("exited", state("sancho_backend_d1"));
        assertEquals("exited", state("sancho_backend_d1_2"));
        assertEquals(List.of("d1"), history().kept().stream().map(DeployHistory.Deploy::id).toList());

        deploy("d3", 1); // keep 1: d1 goes, all three of its containers
        assertEquals("absent", state("sancho_backend_d1"));
        assertEquals("absent", state("sancho_backend_d1_2"));
        assertEquals("absent", state("sancho_frontend_d1"));
        assertEquals("exited", state("sancho_backend_d2_2"));
    }

    @Test
    void aRollbackStartsEveryReplicaOfTheTargetAndStopsEveryReplicaOfTheCurrent() throws Exception {
        deploy("d1", 1);
        deploy("d2", 1);
        Rollback.rollback(engine, seed.stack("d3"), new Rollback.Options(null, false, Duration.ofSeconds(1),
                Duration.ZERO), Log.NONE);
        assertEquals("running", state("sancho_backend_d1"));
        assertEquals("running", state("sancho_backend_d1_2"));
        assertEquals("exited", state("sancho_backend_d2"));
        assertEquals("exited", state("sancho_backend_d2_2"));
    }

    @Test
    void aDeployMissingAReplicaIsIncompleteNeitherARollbackTargetNorVerified() throws Exception {
        deploy("d1", 1);
        deploy("d2", 1);
        engine.removeContainer(engine.findContainer("sancho_backend_d1_2").orElseThrow().id());
        DeployHistory h = history();
        assertEquals(List.of("backend"), h.find("d1").orElseThrow().missingServices());
        assertEquals(List.of(), h.kept(), "interrupted: not a rollback target");

        Verifier.Report ok = Verifier.verify(engine, seed.stack("d3"), VerifyOptions.defaults(), Log.NONE);
        assertTrue(ok.checks().stream().anyMatch(c -> c.subject().equals("sancho_backend_d2_2") && c.ok()),
                ok.table()::toString);
        engine.stopContainer(engine.findContainer("sancho_backend_d2_2").orElseThrow().id(), Duration.ZERO);
        Verifier.Report r = Verifier.verify(engine, seed.stack("d3"), VerifyOptions.defaults(), Log.NONE);
        assertFalse(r.ok(), String.join("\n", r.table()));
        assertTrue(r.checks().stream().anyMatch(c -> !c.ok() && c.subject().equals("sancho_backend_d2_2")),
                String.join("\n", r.table()));
        engine.removeContainer(engine.findContainer("sancho_backend_d2_2").orElseThrow().id());
        r = Verifier.verify(engine, seed.stack("d3"), VerifyOptions.defaults(), Log.NONE);
        assertTrue(r.checks().stream().anyMatch(c -> !c.ok() && c.detail().contains("has 1 of its 2 replicas")),
                String.join("\n", r.table()));
    }

    @Test
    void statusListsAndCleanupRemovesEveryReplica() {
        deploy("d1", 5);
        deploy("d2", 5);
        String text = String.join("\n", Status.render(engine, seed.stack("d3")));
        assertTrue(text.contains("sancho_backend_d1_2") && text.contains("sancho_backend_d2_2"), text);
        Cleanup.Result r = Cleanup.run(engine, PROJECT, null, seed.stack("d3").infrastructureNames(), 0, false, Log.NONE);
        assertTrue(r.removed().containsAll(List.of("sancho_backend_d1", "sancho_backend_d1_2")), r.removed()::toString);
        assertEquals("running", state("sancho_backend_d2_2"));
    }

    @Test
    void aFailedReplicaFailsTheDeployAndRemovesEveryNewReplica() {
        deploy("d1", 1);
        engine.healthOnStart.put("sancho_backend_d2_2", "unhealthy");
        assertThrows(CheckFailedException.class, () -> deploy("d2", 1));
        assertEquals("absent", state("sancho_backend_d2"));
        assertEquals("absent", state("sancho_backend_d2_2"));
        assertEquals("running", state("sancho_backend_d1"));
        assertEquals("running", state("sancho_backend_d1_2"));
    }

    DeployHistory history() {
        return DeployHistory.of(engine.listContainers(Labels.appSelector(PROJECT)));
    }
}
