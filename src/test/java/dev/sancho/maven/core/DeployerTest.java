package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
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

import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Plan;
import dev.sancho.maven.plan.Planner;
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

class DeployerTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;
    SeedStack seed;
    FakeDockerEngine engine;
    Instant clock = Instant.parse("2026-02-01T10:00:00Z");

    @BeforeEach
    void engine() {
        seed = SeedStack.in(dir);
        engine = new FakeDockerEngine() {
            @Override
            public List<String> logTail(String id, int lines) {
                return List.of("FATAL: password authentication failed, password=" + SECRET);
            }
        };
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1", "sancho-it/app:2").forEach(engine::addImage);
        engine.createVolume(VOLUME, null, Map.of(), Map.of());
    }

    final Fixtures.RecordingLog log = new Fixtures.RecordingLog();
    final List<String> warnings = log.warnings;

    Deployer.Result deploy(Stack stack, int keep) {
        clock = clock.plusSeconds(60);
        DeployOptions opts = new DeployOptions(keep, Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, clock,
                Set.of());
        Plan plan = Planner.plan(stack, StateReader.observe(engine, stack), opts);
        return Deployer.execute(engine, plan, SecretMask.of(stack), log);
    }

    /** backend publishes 127.0.0.1:28490:8080 (fixed); frontend publishes 8080 on a port the engine picks. */
    Stack fixedPortStack(String deployId) {
        return seed.with("backend", "ports", "['127.0.0.1:28490:8080']")
                .with("frontend", "ports", "['127.0.0.1::8080']").stack(deployId);
    }

    int at(String call) {
        int i = engine.calls.indexOf(call);
        assertTrue(i >= 0, call + " not in " + engine.calls);
        return i;
    }

    List<ContainerInfo> apps() {
        return engine.listContainers(Labels.appSelector(PROJECT));
    }

    @Test
    void tenDeploysKeepTheSameDatabaseContainerAndAtMostKeepStoppedDeploys() {
        deploy(seed.stack("d1"), 2);
        String dbId = engine.findContainer(DB).orElseThrow().id();
        for (int i = 2; i <= 10; i++) {
            deploy(seed.withAppImage(i % 2 == 0 ? "sancho-it/app:2" : "sancho-it/app:1").stack("d" + i), 2);
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
    void containersAreCreatedAtOnceAndOneThatCannotBeCreatedTakesTheOthersWithIt() {
        deploy(seed.stack("d1"), 2);
        FakeDockerEngine before = engine;
        engine = new FakeDockerEngine() {
            @Override
            public String createContainer(dev.sancho.maven.docker.ContainerSpec spec) {
                if (spec.name().equals("sancho_frontend_d2")) {
                    throw new dev.sancho.maven.docker.DockerOperationException("no space left on device");
                }
                return super.createContainer(spec);
            }
        }.withStateOf(before);
        engine.calls.clear();
        assertThrows(RuntimeException.class, () -> deploy(seed.stack("d2"), 2));
        assertTrue(engine.findContainer("sancho_backend_d2").isEmpty(), "created beside the failed one: removed "
                + engine.calls);
        assertTrue(engine.calls.stream().noneMatch(c -> c.startsWith("start ") || c.startsWith("stop ")),
                engine.calls::toString);
        assertTrue(engine.findContainer("sancho_backend_d1").orElseThrow().running());
    }

    @Test
    void aNewDeployThatNeverBecomesHealthyIsRemovedAndThePreviousOneKeepsRunning() {
        deploy(seed.stack("d1"), 2);
        engine.healthOnStart.put("sancho_backend_d2", "unhealthy");
        engine.calls.clear();
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> deploy(seed.stack("d2"), 2));
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
    void aOneShotJobRunsToCompletionBeforeItsDependentAndIsLeftExited() {
        engine.exitOnStart.put("sancho_migrate_d1", 0);
        deploy(seed.withJob("migrate", "backend").stack("d1"), 2);
        engine.calls.clear();
        engine.exitOnStart.put("sancho_migrate_d2", 0);
        deploy(seed.withJob("migrate", "backend").stack("d2"), 2);
        assertTrue(at("start sancho_migrate_d2") < at("start sancho_backend_d2"), engine.calls::toString);
        ContainerInfo job = engine.findContainer("sancho_migrate_d2").orElseThrow();
        assertEquals("exited", job.state());
        assertEquals("true", job.label(Labels.JOB));
        assertTrue(engine.findContainer("sancho_backend_d2").orElseThrow().running());
        assertFalse(engine.findContainer("sancho_backend_d1").orElseThrow().running());
    }

    @Test
    void aFailingJobFailsTheDeployBeforeItsDependentStartsAndThePreviousDeployKeepsServing() {
        deploy(seed.stack("d1"), 2);
        engine.calls.clear();
        engine.exitOnStart.put("sancho_migrate_d2", 3);
        CheckFailedException e = assertThrows(CheckFailedException.class,
                () -> deploy(seed.withJob("migrate", "backend").stack("d2"), 2));
        assertTrue(e.getMessage().startsWith("deploy d2 failed: sancho_migrate_d2: the job exited with code 3"),
                e.getMessage());
        assertTrue(engine.calls.stream().noneMatch(c -> c.equals("start sancho_backend_d2")), engine.calls::toString);
        assertTrue(engine.findContainer("sancho_migrate_d2").isEmpty(), "the failed job's container is removed");
        assertTrue(engine.findContainer("sancho_backend_d1").orElseThrow().running());
    }

    @Test
    void aMissingImageFailsInOneLineBeforeAnythingChanges() {
        deploy(seed.stack("d1"), 2);
        engine.calls.clear();
        ConfigException e = assertThrows(ConfigException.class,
                () -> deploy(seed.withAppImage("sancho-it/app:404").stack("d2"), 2));
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
        ConfigException e = assertThrows(ConfigException.class, () -> deploy(seed.stack("d1"), 2));
        assertTrue(e.getMessage().contains("volume " + VOLUME + " does not exist"), e.getMessage());
        assertEquals(List.of(), engine.calls);
    }

    @Test
    void previousDeployIsStoppedOnlyAfterTheNewOneIsReady() {
        deploy(seed.stack("d1"), 2);
        engine.calls.clear();
        deploy(seed.stack("d2"), 2);
        int lastStart = engine.calls.lastIndexOf("start sancho_frontend_d2");
        int firstStop = engine.calls.indexOf("stop sancho_backend_d1");
        assertTrue(lastStart >= 0 && firstStop > lastStart, engine.calls::toString);
    }

    @Test
    void aDependencyStartsBeforeItsDependentAndAnIndependentWaveStartsTogether() {
        deploy(seed.stack("d1"), 2);
        assertTrue(at("start sancho_backend_d1") < at("start sancho_frontend_d1"), engine.calls::toString);
        engine.calls.clear();
        deploy(seed.without("frontend", "depends_on").stack("d2"), 2);
        // one wave: both started together, nothing (no await, no other call) between them
        assertEquals(1, Math.abs(at("start sancho_backend_d2") - at("start sancho_frontend_d2")), engine.calls::toString);
    }

    @Test
    void aFixedHostPortStopsThePreviousContainerOfThatServiceRightBeforeTheNewOneStarts() {
        deploy(fixedPortStack("d1"), 2);
        assertEquals(List.of(), warnings, "first deploy: nothing to stop, nothing to warn about");
        engine.calls.clear();
        Deployer.Result r = deploy(fixedPortStack("d2"), 2);

        assertTrue(at("stop sancho_backend_d1") < at("start sancho_backend_d2"), engine.calls::toString);
        assertTrue(at("start sancho_frontend_d2") < at("stop sancho_frontend_d1"), "frontend still side by side: "
                + engine.calls);
        assertEquals(1, engine.calls.stream().filter("stop sancho_backend_d1"::equals).count(),
                "the cutover does not stop it again: " + engine.calls);
        assertEquals(Set.of("sancho_backend_d1", "sancho_frontend_d1"), Set.copyOf(r.stopped()));
        assertEquals(List.of("backend publishes host port 28490: the previous deploy's backend must stop before the"
                + " new one starts (a short outage); put it behind the proxy (no host port) for zero-downtime"
                + " redeploys"), warnings);
        assertEquals("d2", DeployHistory.of(apps()).current().orElseThrow().id());

        // retention still counts the deploy whose backend stopped early as kept
        deploy(fixedPortStack("d3"), 1);
        assertEquals(List.of("d2"), DeployHistory.of(apps()).kept().stream().map(DeployHistory.Deploy::id).toList(),
                "d2 is kept and a rollback target");
        assertTrue(engine.findContainer("sancho_backend_d1").isEmpty());
        assertTrue(engine.findContainer("sancho_backend_d2").isPresent());
    }

    @Test
    void aFailedDeployStartsTheStoppedFirstContainerAgainAndRemovesTheNewOnes() {
        deploy(fixedPortStack("d1"), 2);
        engine.healthOnStart.put("sancho_backend_d2", "unhealthy");
        engine.calls.clear();
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> deploy(fixedPortStack("d2"), 2));

        assertTrue(e.getMessage().startsWith("deploy d2 failed: sancho_backend_d2: its healthcheck reports unhealthy"),
                e.getMessage());
        assertTrue(e.getMessage().contains("The new containers were removed; sancho_backend_d1 (stopped for its host"
                + " port) was started again and the previous deploy keeps serving (sancho_backend_d1,"
                + " sancho_frontend_d1)."), e.getMessage());
        int stopOld = at("stop sancho_backend_d1");
        int startNew = at("start sancho_backend_d2");
        int removeNew = at("remove sancho_backend_d2");
        int restartOld = engine.calls.lastIndexOf("start sancho_backend_d1");
        assertTrue(stopOld < startNew && startNew < removeNew && removeNew < restartOld,
                "the port is freed before the old backend starts again: " + engine.calls);
        assertTrue(engine.findContainer("sancho_backend_d1").orElseThrow().running());
        assertTrue(engine.findContainer("sancho_frontend_d1").orElseThrow().running());
        assertTrue(engine.calls.stream().noneMatch("stop sancho_frontend_d1"::equals), engine.calls::toString);
        assertTrue(engine.findContainer("sancho_backend_d2").isEmpty());
        assertTrue(engine.findContainer("sancho_frontend_d2").isEmpty());
        assertEquals("d1", DeployHistory.of(apps()).current().orElseThrow().id());
    }

    @Test
    void whenTheStoppedContainerCannotStartAgainTheFailureSaysHowToRecover() {
        deploy(fixedPortStack("d1"), 2);
        String oldBackend = engine.findContainer("sancho_backend_d1").orElseThrow().id();
        FakeDockerEngine failing = new FakeDockerEngine() {
            @Override
            public void startContainer(String id) {
                if (id.equals(oldBackend)) {
                    throw new dev.sancho.maven.docker.DockerOperationException("port is already allocated");
                }
                super.startContainer(id);
            }
        };
        failing.containers.putAll(engine.containers);
        failing.images.putAll(engine.images);
        failing.volumes.putAll(engine.volumes);
        failing.networks.putAll(engine.networks);
        failing.healthOnStart.put("sancho_backend_d2", "unhealthy");
        engine = failing;
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> deploy(fixedPortStack("d2"), 2));
        assertTrue(e.getMessage().contains("The new containers were removed, but the previous deploy's backend could"
                + " not be started again (port is already allocated): start it by hand (docker start"
                + " sancho_backend_d1)"), e.getMessage());
        assertFalse(e.getMessage().contains("keeps serving"), e.getMessage());
    }

    @Test
    void aPublishedPortWithoutHostPortKeepsTheSideBySideDeploy() {
        deploy(seed.with("backend", "ports", "['8080']").stack("d1"), 2);
        engine.calls.clear();
        deploy(seed.with("backend", "ports", "[{target: 8080, published: ''}]").stack("d2"), 2);
        assertTrue(at("start sancho_frontend_d2") < at("stop sancho_backend_d1"), engine.calls::toString);
        assertEquals(List.of(), warnings);
    }
}
