package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB;
import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.PROJECT;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.compose.Fixtures;
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

/** The runbook's deploy sequence as {@link DeployRun} runs it, on the in-memory engine. */
class DeployRunTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;
    SeedStack seed;
    final FakeDockerEngine engine = new FakeDockerEngine();
    final Fixtures.RecordingLog log = new Fixtures.RecordingLog();
    final List<String> lines = log.lines;
    Instant clock = Instant.parse("2026-03-01T10:00:00Z");

    @BeforeEach
    void images() {
        seed = SeedStack.in(dir);
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1", "sancho-it/app:2").forEach(engine::addImage);
    }

    DeployRun.Result deploy(Stack stack, DeployRun.Steps steps, boolean dryRun) {
        clock = clock.plusSeconds(60);
        DeployOptions opts = new DeployOptions(2, Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, clock, Set.of());
        return DeployRun.run(engine, new DeployRun.Request(stack, steps, opts,
                new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30)), List.of(), Map.of(), List.of(),
                List.of(), dryRun), log);
    }

    int line(String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
    }

    boolean hasLine(String prefix) {
        return lines.stream().anyMatch(l -> l.startsWith(prefix));
    }

    @Test
    void theFirstDeployRunsTheRunbookInOrderUnderTheLock() {
        DeployRun.Result r = deploy(seed.stack("d1"), DeployRun.Steps.ALL, false);

        assertEquals("d1", r.deployId());
        // cleanup, then ensure-volume (the external data volume), then the plan, the deploy and verify
        assertTrue(line("pre-deploy-cleanup: removed 0 containers") < line("created volume " + VOLUME));
        assertTrue(line("created volume " + VOLUME) < line("Plan for project " + PROJECT + ", deploy d1:"));
        assertTrue(line("Plan for project") < line("Deployed d1: started "));
        assertTrue(line("Deployed d1") < line("sancho:verify — project " + PROJECT));
        // the lock was the first container created and is gone afterwards
        String lock = PROJECT + "_sancho_lock";
        assertEquals("create " + lock, engine.calls.stream().filter(c -> c.startsWith("create ") && !c.startsWith("create volume")
                && !c.startsWith("create network")).findFirst().orElseThrow());
        assertTrue(engine.calls.contains("remove " + lock), engine.calls::toString);
        assertTrue(engine.findContainer(lock).isEmpty());
        assertTrue(engine.findContainer(DB).map(c -> c.running()).orElse(false));
    }

    @Test
    void aSecondDeployReplacesTheFirstAndKeepsTheDatabaseContainer() {
        deploy(seed.stack("d1"), DeployRun.Steps.ALL, false);
        String db = engine.findContainer(DB).orElseThrow().id();
        lines.clear();

        deploy(seed.stack("d2"), DeployRun.Steps.ALL, false);

        assertEquals(db, engine.findContainer(DB).orElseThrow().id());
        assertTrue(hasLine("Deployed d2: started "), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Deployed d2") && l.contains("; stopped sancho_backend_d1")),
                lines::toString);
        assertTrue(hasLine("volume " + VOLUME + " exists"), "ensure-volume reports the existing volume");
    }

    @Test
    void aDryRunGoesThroughTheSameStepsAndChangesNothing() {
        DeployRun.Result r = deploy(seed.stack("d1"), DeployRun.Steps.ALL, true);

        assertNull(r.deployed());
        assertEquals(List.of(), engine.calls, "a dry run makes no engine change");
        assertTrue(engine.findVolume(VOLUME).isEmpty());
        assertTrue(line("pre-deploy-cleanup: would remove 0 containers") < line("[dry-run] would create volume "
                + VOLUME));
        assertTrue(line("[dry-run] would create volume") < line("Plan for project " + PROJECT + ", deploy d1:"));
        List<String> said = lines.stream().filter(l -> !l.startsWith("DEBUG ")).toList();
        assertEquals("[dry-run] nothing was changed", said.get(said.size() - 1));
    }

    @Test
    void stepsLeftToTheirOwnGoalsAreNotRun() {
        engine.createVolume(VOLUME, null, Map.of(), Map.of()); // as the bound ensure-volume goal would have
        deploy(seed.stack("d1"), new DeployRun.Steps(true, false, false, false), false);

        assertFalse(hasLine("pre-deploy-cleanup:"), lines::toString);
        assertFalse(hasLine("volume " + VOLUME), lines::toString);
        assertFalse(hasLine("sancho:verify"), lines::toString);
        assertTrue(hasLine("Deployed d1: started "), lines::toString);
        assertEquals(List.of("left: pre-deploy-cleanup, ensure-volume, verify"),
                List.of("left: " + String.join(", ", new DeployRun.Steps(true, false, false, false).left())));
    }

    @Test
    void aFailingDeployLeavesThePreviousOneServingAndReleasesTheLock() {
        deploy(seed.stack("d1"), DeployRun.Steps.ALL, false);
        engine.exitOnStart.put("sancho_backend_d2", 3);

        assertThrows(CheckFailedException.class, () -> deploy(seed.stack("d2"), DeployRun.Steps.ALL, false));

        assertTrue(engine.findContainer("sancho_backend_d1").orElseThrow().running());
        assertTrue(engine.findContainer("sancho_backend_d2").isEmpty(), "the failed deploy's containers are removed");
        assertTrue(engine.findContainer(PROJECT + "_sancho_lock").isEmpty(), "the lock is released on failure too");
        assertTrue(engine.listContainers(Map.of(Labels.DEPLOY_ID, "d2")).isEmpty());
    }

    @Test
    void everyDeployEndsWithItsTimeline() {
        deploy(seed.stack("d1"), DeployRun.Steps.ALL, false);
        // first deploy: nothing to take out of service, so no dns, drain or stop of a previous deploy
        assertTrue(hasLine("deployed d1 in 0.0 s: build 0.0, lock 0.0, plan 0.0, start 0.0, ready 0.0, stop 0.0,"
                + " verify 0.0"), lines::toString);
        lines.clear();
        // the new backend reports healthy 0.8 s after its start; the old containers' connections are gone at once
        long healthyAt = Time.nanoTime() + Duration.ofMillis(800).toNanos();
        engine.healthOnStart.put("sancho_backend_d2", "starting");
        FakeDockerEngine timed = new FakeDockerEngine() {
            @Override
            public synchronized java.util.Optional<dev.sancho.maven.docker.ContainerInfo> inspectContainer(String id) {
                return super.inspectContainer(id).map(c -> !"starting".equals(c.health()) || Time.nanoTime() < healthyAt
                        ? c : new dev.sancho.maven.docker.ContainerInfo(c.id(), c.name(), c.image(), c.imageId(),
                                c.state(), "healthy", c.exitCode(), c.labels(), c.created(), c.mounts(),
                                c.networkAliases()));
            }

            @Override
            public synchronized dev.sancho.maven.docker.ExecResult exec(String id, List<String> cmd, Duration t) {
                return cmd.get(0).equals("cat") ? new dev.sancho.maven.docker.ExecResult(0, OpenConnectionsTest.HEADER)
                        : super.exec(id, cmd, t); // verify's DNS checks resolve as the engine's DNS does
            }
        }.withStateOf(engine);
        timed.healthOnStart.putAll(engine.healthOnStart);
        clock = clock.plusSeconds(60);
        DeployOptions opts = new DeployOptions(2, Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(2), clock,
                Set.of());
        DeployRun.run(timed, new DeployRun.Request(seed.stack("d2"), DeployRun.Steps.ALL, opts,
                new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30)), List.of(), Map.of(), List.of(),
                List.of(), false, new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(1), Duration.ofSeconds(2))),
                log);
        // ready 0.8 s (health polled every 100 ms); only then does it join DNS, and the proxy gets its whole 1 s
        // re-resolve interval to see it before the old containers leave; the 1 s drain
        assertEquals("deployed d2 in 2.8 s: build 0.0, lock 0.0, plan 0.0, start 0.0, ready 0.8, dns 1.0, drain 1.0,"
                + " stop 0.0, verify 0.0", lines.stream().filter(l -> l.startsWith("deployed d2")).findFirst()
                .orElseThrow(() -> new AssertionError(lines.toString())));
    }

    @Test
    void aMistypedExternalVolumeOnALaterDeployIsRefusedInOneLineWithNothingCreated() {
        deploy(seed.stack("d1"), DeployRun.Steps.ALL, false); // the first deploy creates the external volume
        assertTrue(engine.findVolume(VOLUME).isPresent());
        // the DB container is gone (docker rm -f) and the compose file's external volume name has a typo
        engine.containers.remove(engine.findContainer(DB).orElseThrow().id());
        engine.calls.clear();
        lines.clear();
        dev.sancho.maven.common.ConfigException e = assertThrows(dev.sancho.maven.common.ConfigException.class,
                () -> deploy(seed.withExternalVolume("sancho_postgres_dta").stack("d2"), DeployRun.Steps.ALL, false));
        assertEquals("volume sancho_postgres_dta (docker-compose.yml volumes.sancho_postgres_dta, external) does not"
                + " exist, and project sancho has been deployed on this engine before: a missing external volume is a"
                + " typo or lost data, not a new database, so sancho does not create it. Check the name (docker volume"
                + " ls), restore it from backup, or if it really is new create it: mvn sancho:ensure-volume, or"
                + " -Dsancho.createExternalVolumes. Nothing was changed.", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(List.of("create sancho_sancho_lock", "attach sancho_sancho_lock", "start sancho_sancho_lock",
                "remove sancho_sancho_lock"), engine.calls,
                "nothing but the deploy lock, taken and released");
        assertTrue(engine.findVolume("sancho_postgres_dta").isEmpty());
    }

    @Test
    void theFirstDeployOrTheParameterCreatesAMissingExternalVolume() {
        Stack stack = seed.withExternalVolume("sancho_postgres_dta").stack("d1");
        assertTrue(VolumeEnsurer.firstDeploy(engine, stack));
        deploy(stack, DeployRun.Steps.ALL, false);
        assertTrue(engine.findVolume("sancho_postgres_dta").isPresent(), "the first deploy creates it");
        assertFalse(VolumeEnsurer.firstDeploy(engine, stack));

        Stack other = seed.withExternalVolume("sancho_pg_new").stack("d2");
        engine.containers.remove(engine.findContainer(DB).orElseThrow().id());
        clock = clock.plusSeconds(60);
        DeployOptions opts = new DeployOptions(2, Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, clock, Set.of());
        DeployRun.run(engine, new DeployRun.Request(other, DeployRun.Steps.ALL, opts,
                new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30)), List.of(), Map.of(), List.of(),
                List.of(), false, null, false, true), log);
        assertTrue(engine.findVolume("sancho_pg_new").isPresent(), "-Dsancho.createExternalVolumes: created");
    }

    @Test
    void aFailedDeploySaysWhereItsTimeWent() {
        deploy(seed.stack("d1"), DeployRun.Steps.ALL, false);
        engine.exitOnStart.put("sancho_backend_d2", 3);
        assertThrows(CheckFailedException.class, () -> deploy(seed.stack("d2"), DeployRun.Steps.ALL, false));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("deploy d2 failed after 0.0 s: build 0.0, lock 0.0,"
                + " plan 0.0, start 0.0, failed 0.0")), lines::toString);
    }

    @Test
    void theFirstDeployCreatesTheProjectsDigestKeyOnceAndLabelsWithIt() {
        String key = "create volume " + DigestKey.volumeName(PROJECT);
        deploy(seed.stack("d1"), DeployRun.Steps.ALL, false);
        assertEquals(1, engine.calls.stream().filter(key::equals).count());
        String id = DigestKey.find(engine, PROJECT).orElseThrow().id();
        assertEquals(id, engine.findContainer(DB).orElseThrow().label(Labels.DIGEST_KEY_ID));
        assertEquals(id, engine.findContainer("sancho_backend_d1").orElseThrow().label(Labels.DIGEST_KEY_ID));
        assertTrue(line("Created volume " + DigestKey.volumeName(PROJECT)) < line("Plan for project " + PROJECT),
                "created before the plan that uses it is printed");

        engine.calls.clear();
        deploy(seed.stack("d2"), DeployRun.Steps.ALL, false);
        assertFalse(engine.calls.contains(key), "read back, not created again");
        assertEquals(id, engine.findContainer("sancho_backend_d2").orElseThrow().label(Labels.DIGEST_KEY_ID));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("drift")), "same key, same digests: no drift");
    }

    @Test
    void aRefusedFirstDeployCreatesNoDigestKey() {
        // a database container sancho did not create, stopped: the plan is blocked
        engine.add(DB, DB_IMAGE, "exited", Map.of());
        assertThrows(RuntimeException.class, () -> deploy(seed.stack("d1"), DeployRun.Steps.ALL, false));
        assertTrue(DigestKey.find(engine, PROJECT).isEmpty(), engine.calls.toString());
        assertFalse(engine.calls.contains("create volume " + DigestKey.volumeName(PROJECT)));
    }
}
