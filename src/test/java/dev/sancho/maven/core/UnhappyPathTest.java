package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB;
import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.NETWORK;
import static dev.sancho.maven.plan.SeedStack.PROXY;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ExecResult;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.ImageInfo;
import dev.sancho.maven.docker.PublishedPort;
import dev.sancho.maven.plan.Action;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Plan;
import dev.sancho.maven.plan.Planner;
import dev.sancho.maven.plan.SeedStack;
import dev.sancho.maven.plan.Stack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: every guarantee on the unhappy path. A deploy that fails its health check takes no traffic, an
 * interrupted cutover heals, a second server never starts on a data volume, a port taken is refused before anything
 * is touched, Ctrl-C undoes (or finishes) what it interrupted.
 */
class UnhappyPathTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;
    SeedStack seed;
    FakeDockerEngine engine;
    Instant clock = Instant.parse("2026-02-01T10:00:00Z");
    final Fixtures.RecordingLog log = new Fixtures.RecordingLog();
    /** What {@code backend} resolves to from inside the proxy, read at every inspect (the health gate polls). */
    final List<Set<String>> seenByProxy = Collections.synchronizedList(new ArrayList<>());

    /**
     * An engine that, at each inspect, asks its DNS what the proxy would get for {@code backend}; a container listed in
     * {@link #later} reports that health once that much (virtual) time has passed since its start.
     */
    class Watching extends FakeDockerEngine {
        Consumer<String> onStart = name -> {};
        final Map<String, Map.Entry<Duration, String>> later = new java.util.HashMap<>();
        final Map<String, Long> startedAt = new java.util.HashMap<>();
        private boolean asking;

        @Override
        public synchronized java.util.Optional<ContainerInfo> inspectContainer(String idOrName) {
            java.util.Optional<ContainerInfo> found = super.inspectContainer(idOrName);
            if (found.isPresent() && later.containsKey(found.get().name()) && found.get().running()) {
                var when = later.get(found.get().name());
                if (Time.nanoTime() - startedAt.getOrDefault(found.get().name(), Time.nanoTime()) >= when.getKey().toNanos()) {
                    SeedStack.set(this, found.get().name(), "running", when.getValue(), null);
                }
            }
            java.util.Optional<ContainerInfo> c = super.inspectContainer(idOrName);
            ContainerInfo proxy = super.inspectContainer(PROXY).orElse(null);
            if (!asking && proxy != null && proxy.running()) {
                asking = true;
                try {
                    ExecResult r = exec(proxy.id(), List.of("getent", "ahostsv4", "backend"), Duration.ofSeconds(1));
                    calls.remove(calls.size() - 1);
                    seenByProxy.add(DnsCheck.firstColumn(r.output()));
                } finally {
                    asking = false;
                }
            }
            return c;
        }

        @Override
        public synchronized void startContainer(String id) {
            super.startContainer(id);
            String name = super.inspectContainer(id).orElseThrow().name();
            startedAt.put(name, Time.nanoTime());
            onStart.accept(name);
        }
    }

    @BeforeEach
    void engine() {
        seed = SeedStack.in(dir);
        engine = new Watching();
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1", "sancho-it/app:2").forEach(engine::addImage);
        engine.createVolume(VOLUME, null, Map.of(), Map.of());
    }

    Plan plan(Stack stack) {
        clock = clock.plusSeconds(60);
        DeployOptions opts = new DeployOptions(2, Duration.ofSeconds(3), Duration.ZERO, Duration.ofSeconds(1), clock,
                Set.of());
        return Planner.plan(stack, StateReader.observe(engine, stack), opts);
    }

    Deployer.Result deploy(String id) {
        return Deployer.execute(engine, plan(seed.stack(id)), SecretMask.of(seed.stack(id)),
                ProxyWaits.dns(Duration.ofSeconds(1)), Timeline.NONE, log);
    }

    ContainerInfo container(String name) {
        return engine.findContainer(name).orElseThrow();
    }

    String ip(String name) {
        return engine.address(name, NETWORK);
    }

    @Test
    void aNewDeployIsCreatedWithoutItsServiceNameAndJoinsDnsOnlyOnceReady() {
        deploy("d1");
        Plan plan = plan(seed.stack("d2"));
        List<String> lines = plan.lines();
        int await = indexOf(lines, "  await    sancho_backend_d2");
        int join = indexOf(lines, "  dns      sancho_backend_d2 joins backend on " + NETWORK);
        int cutover = indexOf(lines, "  cutover  stop sancho_backend_d1");
        assertTrue(await < join && join < cutover, lines::toString);
        Action.CreateContainer create = plan.actions(Action.CreateContainer.class).get(0);
        assertEquals(Map.of(NETWORK, List.of()), create.spec().networks(), "created attached, but without alias");
        assertEquals(NETWORK + "=backend", create.spec().labels().get(Labels.DNS_ALIASES));

        engine.healthOnStart.put("sancho_backend_d2", "starting");
        ((Watching) engine).onStart = name -> {
            if (name.equals("sancho_backend_d2")) {
                assertEquals(Map.of(NETWORK, List.of()), container(name).networkAliases(), "started out of DNS");
            }
        };
        ((Watching) engine).later.put("sancho_backend_d2", Map.entry(Duration.ofMillis(500), "healthy"));
        seenByProxy.clear();
        String d1 = ip("sancho_backend_d1");
        deploy("d2");
        // while d2 waited for its health check, backend answered with d1 alone
        assertTrue(seenByProxy.stream().limit(5).allMatch(x -> x.equals(Set.of(d1))), seenByProxy::toString);
        assertEquals(Set.of(ip("sancho_backend_d2")), seenByProxy.get(seenByProxy.size() - 1));
        assertEquals(Map.of(NETWORK, List.of("backend")), container("sancho_backend_d2").networkAliases());
        assertEquals(Map.of(NETWORK, List.of("backend")), container("sancho_backend_d1").networkAliases(),
                "the stopped d1 keeps its alias for a rollback");
    }

    @Test
    void aDeployThatFailsItsHealthCheckNeverAnswersTheServiceName() {
        deploy("d1");
        String d1 = ip("sancho_backend_d1");
        engine.healthOnStart.put("sancho_backend_d2", "starting");
        ((Watching) engine).later.put("sancho_backend_d2", Map.entry(Duration.ofMillis(700), "unhealthy"));
        seenByProxy.clear();
        assertThrows(CheckFailedException.class, () -> deploy("d2"));
        assertTrue(seenByProxy.size() > 3, seenByProxy::toString);
        assertTrue(seenByProxy.stream().allMatch(s -> s.equals(Set.of(d1))), "backend only ever resolved to d1: "
                + seenByProxy);
        assertFalse(engine.calls.contains("connect " + NETWORK + " sancho_backend_d2"), engine.calls::toString);
        assertTrue(engine.findContainer("sancho_backend_d2").isEmpty());
        assertTrue(container("sancho_backend_d1").running());
    }

    @Test
    void theFirstDeployJoinsAtCreationAsNothingElseAnswersTheName() {
        Plan plan = plan(seed.stack("d1"));
        assertTrue(plan.actions(Action.JoinDns.class).isEmpty(), plan.lines()::toString);
        assertEquals(Map.of(NETWORK, List.of("backend")), plan.actions(Action.CreateContainer.class).stream()
                .filter(c -> c.name().equals("sancho_backend_d1")).findFirst().orElseThrow().spec().networks());
    }

    @Test
    void aContainerAnInterruptedCutoverLeftRunningWithoutItsAliasGetsThemBackWhenTheNextDeployStopsIt() {
        deploy("d1");
        deploy("d2");
        // Ctrl-C in d3's drain, as it was before this fix: d2 running without its alias, d3 serving
        deploy("d3");
        SeedStack.set(engine, "sancho_backend_d2", "running", null, null);
        SeedStack.set(engine, "sancho_frontend_d2", "running", null, null);
        SeedStack.aliases(engine, "sancho_backend_d2", Map.of(NETWORK, List.of()));
        SeedStack.aliases(engine, "sancho_frontend_d2", Map.of(NETWORK, List.of()));
        assertEquals("d3", dev.sancho.maven.plan.DeployHistory.of(engine.listContainers(
                Labels.appSelector("sancho"))).current().orElseThrow().id(), "d3 answers the names: it serves");
        deploy("d4");
        assertFalse(container("sancho_backend_d2").running() || container("sancho_backend_d3").running());
        for (String d : List.of("d2", "d3")) {
            assertEquals(Map.of(NETWORK, List.of("backend")), container("sancho_backend_" + d).networkAliases(), d);
        }
    }

    @Test
    void aStoppedContainerFoundWithoutItsAliasIsRepairedByTheNextDeploy() {
        deploy("d1");
        deploy("d2");
        SeedStack.aliases(engine, "sancho_backend_d1", Map.of(NETWORK, List.of()));
        Plan plan = plan(seed.stack("d3"));
        assertTrue(plan.lines().contains("  repair   sancho_backend_d1 (stopped): gets back DNS alias backend on "
                + NETWORK + " (lost in an interrupted cutover)"), plan.lines()::toString);
        Deployer.execute(engine, plan, SecretMask.of(seed.stack("d3")), ProxyWaits.dns(Duration.ofSeconds(1)),
                Timeline.NONE, log);
        assertEquals(Map.of(NETWORK, List.of("backend")), container("sancho_backend_d1").networkAliases());
    }

    @Test
    void aStoppedContainerFoundOffItsNetworkIsAttachedAgainByTheNextDeploy() {
        deploy("d1");
        deploy("d2");
        // a kill between the disconnect and the connect of a re-alias: no network at all, the label says which
        SeedStack.aliases(engine, "sancho_backend_d1", Map.of());
        Plan plan = plan(seed.stack("d3"));
        assertTrue(plan.lines().contains("  repair   sancho_backend_d1 (stopped): gets back DNS alias backend on "
                + NETWORK + " (lost in an interrupted cutover)"), plan.lines()::toString);
        Deployer.execute(engine, plan, SecretMask.of(seed.stack("d3")), ProxyWaits.dns(Duration.ofSeconds(1)),
                Timeline.NONE, log);
        assertEquals(Map.of(NETWORK, List.of("backend")), container("sancho_backend_d1").networkAliases());
    }

    @Test
    void aDatabaseIsNeverCreatedBesideARunningContainerOnItsVolume() {
        deploy("d1");
        // docker rename sancho_db_v2 sancho_db_v2_old, without the docker stop
        ContainerInfo db = container(DB);
        engine.containers.put(db.id(), new ContainerInfo(db.id(), DB + "_old", db.image(), db.imageId(), db.state(),
                db.health(), db.exitCode(), db.labels(), db.created(), db.mounts(), db.networkAliases()));
        engine.calls.clear();
        Plan plan = plan(seed.stack("d2"));
        String line = "refusing to create or start " + DB + ": its data volume " + VOLUME + " is mounted by the"
                + " running container " + DB + "_old, and two servers on one data volume corrupt it. Stop that one"
                + " first (docker stop " + DB + "_old), then run this again";
        assertEquals(List.of(line), plan.blockers());
        ConfigException e = assertThrows(ConfigException.class, () -> Deployer.execute(engine, plan,
                SecretMask.of(seed.stack("d2")), null, Timeline.NONE, log));
        assertTrue(e.getMessage().endsWith(line), e.getMessage());
        assertEquals(List.of(), engine.calls, "nothing created, started or stopped");
        // the safety net on the plan itself, whatever produced it
        Plan unblocked = new Plan(plan.project(), plan.deployId(), plan.infraNames(), plan.actions(), plan.notes(),
                List.of(), plan.volumeHolds(), plan.identity());
        IllegalStateException bug = assertThrows(IllegalStateException.class, unblocked::assertSafe);
        assertEquals(line, bug.getMessage());

        // a read-only user (a backup reading the files) is no second server
        ContainerInfo old = container(DB + "_old");
        engine.containers.put(old.id(), new ContainerInfo(old.id(), old.name(), old.image(), old.imageId(),
                old.state(), old.health(), old.exitCode(), Map.of(), old.created(),
                List.of(new ContainerInfo.MountInfo("volume", VOLUME, "/backup", true)), Map.of()));
        assertEquals(List.of(), plan(seed.stack("d2")).blockers());
    }

    @Test
    void aKeptOldDatabaseIsNotStartedWhileTheCurrentOneRunsOnTheVolume() {
        deploy("d1");
        ContainerInfo db = container(DB);
        SeedStack.set(engine, DB, "exited", null, null);
        // someone started a hand-made server on the same volume
        ContainerInfo other = engine.add("pg_by_hand", DB_IMAGE, "running", Map.of());
        engine.containers.put(other.id(), new ContainerInfo(other.id(), other.name(), other.image(), other.imageId(),
                "running", null, null, Map.of(), other.created(),
                List.of(new ContainerInfo.MountInfo("volume", VOLUME, "/var/lib/postgresql/data", false)), Map.of()));
        Plan plan = plan(seed.stack("d2"));
        assertTrue(plan.blockers().get(0).startsWith("refusing to create or start " + DB + ": its data volume "
                + VOLUME + " is mounted by the running container pg_by_hand"), plan.blockers()::toString);
        assertEquals(db.id(), container(DB).id());
    }

    @Test
    void aHostPortTakenByAnotherContainerIsRefusedBeforeThePreviousDeployIsTouched() {
        Stack fixed = seed.with("backend", "ports", "['127.0.0.1:28490:8080']").stack("d1");
        Deployer.execute(engine, plan(fixed), SecretMask.of(fixed), null, Timeline.NONE, log);
        ContainerInfo squatter = engine.add("someone_else", "sancho-it/app:1", "running", Map.of());
        engine.foreignPorts.put(squatter.name(), List.of(new PublishedPort(squatter.id(), squatter.name(), "0.0.0.0",
                28490, "tcp")));
        engine.calls.clear();
        Stack next = seed.with("backend", "ports", "['127.0.0.1:28490:8080']").stack("d2");
        Plan plan = plan(next);
        assertEquals(List.of("host port 127.0.0.1:28490 of sancho_backend_d2 is taken by the running container"
                + " someone_else (it publishes 0.0.0.0:28490): stop it or publish another port; nothing was changed"),
                plan.blockers());
        assertThrows(ConfigException.class, () -> Deployer.execute(engine, plan, SecretMask.of(next), null,
                Timeline.NONE, log));
        assertEquals(List.of(), engine.calls);
        assertTrue(container("sancho_backend_d1").running());
        // its own previous container holding the port is no obstacle: it is stopped right before (stop-first)
        engine.containers.remove(squatter.id());
        assertEquals(List.of(), plan(next).blockers());
    }

    @Test
    void aGeneratedDeployIdThatCollidesDoesNotBlameTheUser() {
        deploy("d1");
        clock = clock.plusSeconds(60);
        DeployOptions generated = new DeployOptions(2, Duration.ofSeconds(3), Duration.ZERO, Duration.ZERO, clock,
                Set.of(), false);
        Plan plan = Planner.plan(seed.stack("d1"), StateReader.observe(engine, seed.stack("d1")), generated);
        assertTrue(plan.blockers().get(0).startsWith("container sancho_backend_d1 already exists: another deploy"
                + " started at the same moment got the same generated deploy id d1; run this deploy again"),
                plan.blockers()::toString);
        assertFalse(plan.blockers().get(0).contains("choose another"));
        assertTrue(plan(seed.stack("d1")).blockers().get(0).contains("choose another -Dsancho.deployId"));
    }

    @Test
    void ctrlCBeforeTheCutoverRemovesTheNewContainersOnTheWayOut() throws Exception {
        deploy("d1");
        Plan plan = plan(seed.stack("d2"));
        Interruption guard = Interruption.forTest(engine, "deploy d2", log);
        Thread[] hook = {null};
        engine.healthOnStart.put("sancho_backend_d2", "starting");
        ((Watching) engine).onStart = name -> {
            if (name.equals("sancho_frontend_d2")) {
                hook[0] = guard.interruptNow(); // Ctrl-C while the new deploy waits for its health check
            }
        };
        assertThrows(RuntimeException.class, () -> Deployer.execute(guard, plan, SecretMask.of(seed.stack("d2")),
                ProxyWaits.dns(Duration.ofSeconds(1)), Timeline.NONE, () -> { }, log));
        hook[0].join(10_000);
        assertTrue(engine.findContainer("sancho_backend_d2").isEmpty(), engine.calls::toString);
        assertTrue(engine.findContainer("sancho_frontend_d2").isEmpty(), engine.calls::toString);
        assertTrue(container("sancho_backend_d1").running() && container("sancho_frontend_d1").running());
        assertTrue(log.warnings.contains("Interrupted: deploy d2 is not serving yet; removing its containers"),
                log.warnings::toString);
    }

    @Test
    void ctrlCDuringTheCutoverFinishesIt() throws Exception {
        deploy("d1");
        Plan plan = plan(seed.stack("d2"));
        Thread[] hook = {null};
        Interruption[] guard = {null};
        // Ctrl-C right after the first old container left DNS
        FakeDockerEngine trap = new FakeDockerEngine() {
            @Override
            public synchronized boolean replaceAliases(String network, String id, List<String> aliases) {
                boolean r = super.replaceAliases(network, id, aliases);
                if (hook[0] == null && inspectContainer(id).orElseThrow().name().endsWith("_d1")) {
                    hook[0] = guard[0].interruptNow();
                }
                return r;
            }
        }.withStateOf(engine);
        guard[0] = Interruption.forTest(trap, "deploy d2", log);
        assertThrows(RuntimeException.class, () -> Deployer.execute(guard[0], plan, SecretMask.of(seed.stack("d2")),
                ProxyWaits.dns(Duration.ofSeconds(1)), Timeline.NONE, () -> { }, log));
        hook[0].join(10_000);
        for (String s : List.of("backend", "frontend")) {
            assertTrue(trap.findContainer("sancho_" + s + "_d2").orElseThrow().running(), s);
            assertFalse(trap.findContainer("sancho_" + s + "_d1").orElseThrow().running(), s);
            assertEquals(Map.of(NETWORK, List.of(s)), trap.findContainer("sancho_" + s + "_d1").orElseThrow()
                    .networkAliases(), "stopped whole");
        }
        assertTrue(log.warnings.stream().anyMatch(w -> w.startsWith("Interrupted during the cutover: the new deploy"
                + " serves; finishing the switch")), log.warnings::toString);
    }

    @Test
    void theGuardClosesOnlyOnceTheHooksUndoIsDoneSoTheEngineItUsesIsStillOpen() throws Exception {
        Interruption guard = Interruption.forTest(engine, "deploy d9", log);
        java.util.concurrent.atomic.AtomicBoolean undone = new java.util.concurrent.atomic.AtomicBoolean();
        guard.phase(raw -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            undone.set(true);
        });
        Thread hook = guard.interruptNow();
        guard.close(); // what the goal's try-with-resources does right before it closes the engine
        assertTrue(undone.get(), "close() returned before the undo ran");
        hook.join(1_000);
        assertThrows(CheckFailedException.class, () -> guard.engine().startContainer("x"), "no change after Ctrl-C");
    }

    @Test
    void aOneShotJobFromAnImageWithAVolumeGetsATmpfsThereInsteadOfAnAnonymousVolume() {
        engine.images.put("migrator:1", new ImageInfo("sha256:migrator", List.of("migrator:1"), Map.of(),
                List.of("/var/lib/data", "/tmp/")));
        dev.sancho.maven.docker.ContainerSpec job = new dev.sancho.maven.docker.ContainerSpec("shop_migrate_1",
                "migrator:1", null, null, Map.of(), Map.of(Labels.JOB, "true"), List.of(),
                List.of(new dev.sancho.maven.docker.ContainerSpec.Mount("bind", "/srv/x", "/tmp", false)), Map.of(),
                null, null, null, null, null, List.of(), null, null);
        dev.sancho.maven.docker.ContainerSpec made = Executor.withoutAnonymousVolumes(engine, job);
        assertEquals(List.of(new dev.sancho.maven.docker.ContainerSpec.Mount("bind", "/srv/x", "/tmp", false),
                new dev.sancho.maven.docker.ContainerSpec.Mount("tmpfs", null, "/var/lib/data", false)), made.mounts());
        // a long-running app container keeps the engine's behaviour
        dev.sancho.maven.docker.ContainerSpec app = job.withNetworks(Map.of());
        app = new dev.sancho.maven.docker.ContainerSpec(app.name(), app.image(), null, null, Map.of(), Map.of(),
                List.of(), List.of(), Map.of(), null, null, null, null, null, List.of(), null, null);
        assertEquals(List.of(), Executor.withoutAnonymousVolumes(engine, app).mounts());
    }

    static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
    }
}
