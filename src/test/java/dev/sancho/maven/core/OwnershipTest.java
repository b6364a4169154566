package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB;
import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.PROJECT;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.SeedStack;
import dev.sancho.maven.plan.Stack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two projects of one name on one engine: the second is refused before it changes anything (issue 22). */
class OwnershipTest {
    static final String A = "com.acme:inventario:docker-compose.yml";
    static final String B = "org.other:inventario:docker-compose.yml";

    @TempDir
    Path dir;
    SeedStack seed;
    final FakeDockerEngine engine = new FakeDockerEngine();
    final Fixtures.RecordingLog log = new Fixtures.RecordingLog();
    Instant clock = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeEach
    void images() {
        seed = SeedStack.in(dir);
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1", "sancho-it/app:2").forEach(engine::addImage);
    }

    void deploy(Stack stack) {
        clock = clock.plusSeconds(60);
        DeployOptions opts = new DeployOptions(2, Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, clock, Set.of());
        DeployRun.run(engine, new DeployRun.Request(stack, DeployRun.Steps.ALL, opts,
                new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30)), List.of(), Map.of(), List.of(),
                List.of(), false), log);
    }

    /** Every change a call list records: creates, starts, stops, removals, network changes. */
    static List<String> changes(List<String> calls) {
        return calls.stream().filter(c -> !c.startsWith("find") && !c.startsWith("list") && !c.startsWith("inspect")
                && !c.startsWith("ping")).toList();
    }

    @Test
    void aProjectOfTheSameNameButAnotherIdentityIsRefusedBeforeAnythingChanges() {
        deploy(seed.stack("d1", A));
        ContainerInfo backend = engine.findContainer(PROJECT + "_backend_d1").orElseThrow();
        assertEquals(A, backend.label(Labels.IDENTITY));
        assertEquals(A, engine.findContainer(DB).orElseThrow().label(Labels.IDENTITY));
        engine.calls.clear();

        ConfigException e = assertThrows(ConfigException.class, () -> deploy(seed.stack("d2", B)));

        assertEquals(List.of(), changes(engine.calls));
        assertTrue(e.getMessage().startsWith("project " + PROJECT + " on the engine at " + engine.address()
                + " belongs to " + A + ", not to this build (" + B + "): container "), e.getMessage());
        assertTrue(e.getMessage().contains("carries sancho.identity=" + A + "; nothing was changed."), e.getMessage());
        assertTrue(e.getMessage().contains("Give this one its own: name: in "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Set <identity>" + A + "</identity> (sancho.identity)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(engine.findContainer(PROJECT + "_backend_d1").orElseThrow().running());
    }

    @Test
    void cleanupRollbackAndRecoveryRefuseAnotherIdentityToo() {
        deploy(seed.stack("d1", A));
        deploy(seed.stack("d2", A));
        engine.calls.clear();
        Stack other = seed.stack("d3", B);
        LockOptions lock = new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30));
        assertThrows(ConfigException.class, () -> PreDeployCleanup.run(engine, other, 0, lock, false, log));
        assertThrows(ConfigException.class, () -> Rollback.run(engine, other,
                new Rollback.Options(null, false, Duration.ofSeconds(5), Duration.ZERO), lock, log));
        assertThrows(ConfigException.class, () -> Recovery.recover(engine, other,
                new Recovery.Options(false, false, Duration.ofSeconds(5), Duration.ZERO), log));
        assertEquals(List.of(), changes(engine.calls));
    }

    @Test
    void containersOfAnEarlierVersionAreAdoptedOnceAndTheIdentityIsRecordedByTheNextDeploy() {
        deploy(seed.stack("d1", null)); // an earlier sancho: no identity anywhere
        assertEquals(null, engine.findContainer(PROJECT + "_backend_d1").orElseThrow().label(Labels.IDENTITY));
        log.lines.clear();

        deploy(seed.stack("d2", A));

        assertEquals(1, log.lines.stream().filter(l -> l.startsWith("Project " + PROJECT + ": ")
                && l.contains(" carry no project identity (made by an earlier sancho): adopted as " + A)).count(),
                log.lines::toString);
        assertFalse(engine.findContainer(PROJECT + "_backend_d1").orElseThrow().running()); // cut over as before
        assertEquals(A, engine.findContainer(PROJECT + "_backend_d2").orElseThrow().label(Labels.IDENTITY));
        log.lines.clear();

        deploy(seed.stack("d3", A));
        assertTrue(log.lines.stream().noneMatch(l -> l.contains("carry no project identity")), log.lines::toString);
        // recorded: now another identity of the same name is refused
        assertThrows(ConfigException.class, () -> deploy(seed.stack("d4", B)));
    }

    @Test
    void anInfrastructureContainerOfAnotherSanchoProjectIsNeverAdopted() {
        engine.add(DB, DB_IMAGE, "running", Map.of(Labels.PROJECT, "shop", Labels.ROLE, "infra"));
        engine.calls.clear();
        ConfigException e = assertThrows(ConfigException.class, () -> deploy(seed.stack("d1", A)));
        assertTrue(e.getMessage().contains("belongs to project shop, not to this build (" + A + "): infrastructure"
                + " container " + DB + " (service db) carries sancho.project=shop; nothing was changed."
                + " sancho never adopts another project's infrastructure"), e.getMessage());
        assertEquals(List.of(), changes(engine.calls));
    }

    @Test
    void aContainerWithoutSanchoLabelsUnderAnInfrastructureNameIsStillAdopted() {
        engine.add(DB, DB_IMAGE, "running", Map.of());
        Ownership.require(engine, seed.stack("d1", A), true, log);
    }

    @Test
    void aVolumeOrNetworkOfTheProjectsNameWithAnotherIdentityIsRefused() {
        engine.createVolume(SeedStack.VOLUME, "local", Map.of(), Map.of(Labels.PROJECT, PROJECT, Labels.IDENTITY, B));
        ConfigException e = assertThrows(ConfigException.class, () -> Ownership.require(engine,
                seed.stack("d1", A), false, log));
        assertTrue(e.getMessage().contains(": volume " + SeedStack.VOLUME + " carries sancho.identity=" + B),
                e.getMessage());

        FakeDockerEngine other = new FakeDockerEngine();
        other.createNetwork(PROJECT + "_default", "bridge", Map.of(Labels.PROJECT, PROJECT, Labels.IDENTITY, B));
        assertThrows(ConfigException.class, () -> Ownership.require(other, seed.stack("d1", A), false, log));
        // a shared network made by another project, or by hand, is just used
        FakeDockerEngine shared = new FakeDockerEngine();
        shared.createNetwork(PROJECT + "_default", "bridge", Map.of(Labels.PROJECT, "edge", Labels.IDENTITY, B));
        Ownership.require(shared, seed.stack("d1", A), false, log);
    }
}
