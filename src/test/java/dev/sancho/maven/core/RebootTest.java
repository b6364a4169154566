package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB;
import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.PROJECT;
import static dev.sancho.maven.plan.SeedStack.PROXY;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.SeedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * After an engine restart (a reboot) exactly the current deploy serves: kept deploys never come back by themselves,
 * whatever restart policy the compose file gives them, and the current one does, also without {@code restart:}.
 */
class RebootTest {
    @RegisterExtension
    final VirtualTime time = new VirtualTime();

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

    void deploy(SeedStack s, String id) {
        clock = clock.plusSeconds(60);
        DeployOptions opts = new DeployOptions(2, Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, clock, Set.of());
        DeployRun.run(engine, new DeployRun.Request(s.stack(id), DeployRun.Steps.ALL, opts,
                new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30)), List.of(), Map.of(), List.of(),
                List.of(), false), log);
    }

    List<String> runningApps() {
        return engine.listContainers(Labels.appSelector(PROJECT)).stream().filter(ContainerInfo::running)
                .map(ContainerInfo::name).sorted().toList();
    }

    /** The operator's case: restart: always on the backend, unless-stopped on the frontend, keep=2. */
    SeedStack operatorsStack() {
        return seed.with("backend", "restart", "always").with("frontend", "restart", "unless-stopped");
    }

    @Test
    void afterAnEngineRestartOnlyTheCurrentDeployRunsWhateverTheComposePolicy() {
        SeedStack s = operatorsStack();
        deploy(s, "a1");
        deploy(s, "a2");
        deploy(s, "a3");
        String db = engine.findContainer(DB).orElseThrow().id();

        engine.restartEngine();

        assertEquals(List.of("sancho_backend_a3", "sancho_frontend_a3"), runningApps());
        assertTrue(engine.findContainer(DB).orElseThrow().running(), "infrastructure comes back");
        assertTrue(engine.findContainer(PROXY).orElseThrow().running());
        assertEquals(db, engine.findContainer(DB).orElseThrow().id());
        // kept deploys were stopped for good: policy no, their compose policy recorded for a rollback
        ContainerInfo kept = engine.findContainer("sancho_backend_a2").orElseThrow();
        assertEquals("no", engine.restartPolicy(kept.id()));
        assertEquals("always", kept.label(Labels.RESTART));
        assertEquals("always", engine.restartPolicy(engine.findContainer("sancho_backend_a3").orElseThrow().id()));
    }

    @Test
    void theRunbooksAppsWithoutRestartComeBackAfterAReboot() {
        deploy(seed, "d1");
        ContainerInfo backend = engine.findContainer("sancho_backend_d1").orElseThrow();
        assertEquals("unless-stopped", engine.restartPolicy(backend.id()), "sancho's default for app services");

        engine.restartEngine();

        assertEquals(List.of("sancho_backend_d1", "sancho_frontend_d1"), runningApps());
    }

    @Test
    void anExplicitNoIsHonoured() {
        deploy(seed.with("frontend", "restart", "'no'"), "d1");

        engine.restartEngine();

        assertEquals(List.of("sancho_backend_d1"), runningApps());
        assertEquals("no", engine.findContainer("sancho_frontend_d1").orElseThrow().label(Labels.RESTART));
    }

    @Test
    void aRollbackStartsTheKeptDeployWithItsComposePolicyAndRetiresTheOneItLeaves() {
        SeedStack s = operatorsStack();
        deploy(s, "a1");
        deploy(s, "a2");

        Rollback.rollback(engine, s.stack("a3"), new Rollback.Options("a1", false, Duration.ofSeconds(2), Duration.ZERO),
                log);

        assertEquals("always", engine.restartPolicy(engine.findContainer("sancho_backend_a1").orElseThrow().id()));
        assertEquals("no", engine.restartPolicy(engine.findContainer("sancho_backend_a2").orElseThrow().id()));
        engine.restartEngine();
        assertEquals(List.of("sancho_backend_a1", "sancho_frontend_a1"), runningApps());
    }

    @Test
    void verifyFailsNamingEachRunningContainerOfAnotherDeployAndTheNextDeployStopsThem() {
        SeedStack s = operatorsStack();
        deploy(s, "a1");
        deploy(s, "a2");
        // what a reboot did before this fix, or a deploy killed between its start and its cutover
        engine.startContainer(engine.findContainer("sancho_backend_a1").orElseThrow().id());

        Verifier.Report report = Verifier.verify(engine, s.stack("a3"), VerifyOptions.defaults(), log);

        assertFalse(report.ok());
        List<Verifier.Check> strays = report.failures().stream().filter(c -> c.kind().equals("stray")).toList();
        assertEquals(1, strays.size(), report.failures()::toString);
        assertEquals("sancho_backend_a1", strays.get(0).subject());
        assertTrue(strays.get(0).detail().contains("its deploy a1 is not the current one (a2)"), strays.get(0).detail());
        assertTrue(strays.get(0).detail().contains("mvn sancho:deploy stops it at its cutover"), strays.get(0).detail());
        assertTrue(Status.render(engine, s.stack("a3")).stream().anyMatch(l -> l.contains("sancho_backend_a1")
                && l.contains("running !")), "status marks it");

        deploy(s, "a3");

        assertEquals(List.of("sancho_backend_a3", "sancho_frontend_a3"), runningApps());
        assertEquals("no", engine.restartPolicy(engine.findContainer("sancho_backend_a1").orElseThrow().id()));
    }
}
