package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.SeedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;

    private Rollback.Result rollback(FakeDockerEngine e, String target) {
        return Rollback.rollback(e, SeedStack.in(dir).stack("d3"), new Rollback.Options(target, false,
                Duration.ofSeconds(1), Duration.ZERO), Log.NONE);
    }

    private static String state(FakeDockerEngine e, String name) {
        return e.findContainer(name).orElseThrow().state();
    }

    @Test
    void startsThePreviousDeployAndStopsTheCurrentOnlyAfterItIsHealthy() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.healthOnStart.put("sancho_backend_d1", "healthy");
        assertEquals(new Rollback.Result("d2", "d1"), rollback(e, null));
        // the target starts without its DNS aliases (d2 serves the names), joins DNS only once healthy
        for (String name : List.of("sancho_backend_d1", "sancho_frontend_d1")) {
            int strip = e.calls.indexOf("disconnect sancho_default " + name);
            int start = e.calls.indexOf("start " + name);
            int join = e.calls.lastIndexOf("connect sancho_default " + name);
            assertTrue(strip >= 0 && strip < start && start < join, e.calls::toString);
        }
        List<String> lifecycle = e.calls.stream().filter(c -> c.startsWith("start ") || c.startsWith("stop ")
                || c.startsWith("update ")).toList();
        // the current deploy leaves through the cutover, which stops its containers in parallel: order among stops is free
        assertEquals(List.of("start sancho_backend_d1", "start sancho_frontend_d1"), lifecycle.subList(0, 2));
        List<String> after = lifecycle.subList(2, lifecycle.size());
        assertEquals(java.util.Set.of("stop sancho_frontend_d2", "stop sancho_backend_d2"),
                java.util.Set.copyOf(after.stream().filter(c -> c.startsWith("stop ")).toList()));
        // each is stopped for good: restart policy no first, so a reboot does not bring it back beside d1
        for (String name : List.of("sancho_frontend_d2", "sancho_backend_d2")) {
            assertTrue(after.indexOf("update " + name + " restart=no") >= 0
                    && after.indexOf("update " + name + " restart=no") < after.indexOf("stop " + name), after::toString);
        }
        assertEquals("running", state(e, "sancho_backend_d1"));
        assertEquals("exited", state(e, "sancho_backend_d2"));
        // both end whole: d1 in DNS, the stopped d2 with its alias for the next rollback
        assertEquals(Map.of("sancho_default", List.of("backend")),
                e.findContainer("sancho_backend_d1").orElseThrow().networkAliases());
        assertEquals(Map.of("sancho_default", List.of("backend")),
                e.findContainer("sancho_backend_d2").orElseThrow().networkAliases());
    }

    /** healthy() plus an older kept deploy d0. */
    private FakeDockerEngine threeDeploys() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        for (String s : List.of("backend", "frontend")) {
            SeedStack.put(e, "sancho_" + s + "_d0", "exited", null, SeedStack.app(s, "d0", "2025-12-31T10:00:00Z"),
                    List.of());
            SeedStack.aliases(e, "sancho_" + s + "_d0", Map.of(SeedStack.NETWORK, List.of(s)));
        }
        return e;
    }

    @Test
    void repeatedRollbacksWalkBackAndSayWhichWayTheyGo() {
        FakeDockerEngine e = threeDeploys();
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        Rollback.Options plain = new Rollback.Options(null, false, Duration.ofSeconds(1), Duration.ZERO);
        assertEquals(new Rollback.Result("d2", "d1"), Rollback.rollback(e, SeedStack.in(dir).stack("d3"), plain, log));
        assertTrue(log.all().contains("current d2 (2026-01-02T10:00:00Z) -> d1 (2026-01-01T10:00:00Z) (back to an older"
                + " deploy)"), log.all());
        // the second plain rollback goes further back, not forward to d2, the deploy just left
        assertEquals(new Rollback.Result("d1", "d0"), Rollback.rollback(e, SeedStack.in(dir).stack("d3"), plain, log));
        CheckFailedException none = assertThrows(CheckFailedException.class,
                () -> Rollback.rollback(e, SeedStack.in(dir).stack("d3"), plain, log));
        assertEquals("nothing older than the current deploy d0 is kept to roll back to; newer kept deploys: d2, d1"
                + " (mvn sancho:rollback -Dsancho.rollbackTo=d1 goes forward to it)", none.getMessage());
        // forward, by name, says so
        Rollback.rollback(e, SeedStack.in(dir).stack("d3"), new Rollback.Options("d2", false, Duration.ofSeconds(1),
                Duration.ZERO), log);
        assertTrue(log.all().contains("-> d2 (2026-01-02T10:00:00Z) (forward to a newer deploy)"), log.all());
    }

    @Test
    void aStrayRunningContainerOfAnotherDeployIsStoppedToo() {
        FakeDockerEngine e = threeDeploys();
        // an interrupted cutover left d0's backend running, out of DNS
        SeedStack.set(e, "sancho_backend_d0", "running", null, null);
        SeedStack.aliases(e, "sancho_backend_d0", Map.of(SeedStack.NETWORK, List.of()));
        assertEquals(new Rollback.Result("d2", "d1"), rollback(e, null));
        assertEquals("exited", state(e, "sancho_backend_d0"));
        assertEquals(Map.of(SeedStack.NETWORK, List.of("backend")),
                e.findContainer("sancho_backend_d0").orElseThrow().networkAliases(), "stopped whole");
    }

    @Test
    void aKilledDeploysLeftoversGoOnceTheTargetServesAndADryRunListsThem() {
        FakeDockerEngine e = threeDeploys();
        // deploy d9 was killed while creating: both containers created, never started, no DNS alias yet
        for (String s : List.of("backend", "frontend")) {
            SeedStack.put(e, "sancho_" + s + "_d9", "created", null, SeedStack.app(s, "d9", "2026-01-03T10:00:00Z"),
                    List.of());
        }
        // d8 was killed after its backend was created and started, before the frontend existed: interrupted
        Map<String, String> d8 = new java.util.HashMap<>(SeedStack.app("backend", "d8", "2026-01-02T12:00:00Z"));
        d8.put(Labels.DEPLOY_SERVICES, "backend,frontend");
        SeedStack.put(e, "sancho_backend_d8", "exited", null, d8, List.of());
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        Rollback.rollback(e, SeedStack.in(dir).stack("d3"), new Rollback.Options(null, true, Duration.ofSeconds(1),
                Duration.ZERO), log);
        for (String leftover : List.of("sancho_backend_d9", "sancho_frontend_d9", "sancho_backend_d8")) {
            assertTrue(log.all().matches("(?s).*remove\\s+" + leftover + "\\s.*"), log.all());
        }
        assertTrue(e.findContainer("sancho_backend_d9").isPresent(), "a dry run removes nothing");

        assertEquals(new Rollback.Result("d2", "d1"), rollback(e, null));
        for (String gone : List.of("sancho_backend_d9", "sancho_frontend_d9", "sancho_backend_d8")) {
            assertTrue(e.findContainer(gone).isEmpty(), gone + " is left: " + e.calls);
        }
        // complete deploys stay whatever keep says: the one left, and the older d0
        for (String kept : List.of("sancho_backend_d2", "sancho_backend_d0")) {
            assertEquals("exited", state(e, kept));
        }
    }

    @Test
    void aKilledDeployThatHadStartedAContainerIsRemovedOnceTheRollbackStoppedIt() {
        FakeDockerEngine e = threeDeploys();
        // d9 was killed after starting its backend (running, out of DNS) and creating its frontend
        Map<String, String> backend = new java.util.HashMap<>(SeedStack.app("backend", "d9", "2026-01-03T10:00:00Z"));
        backend.put(Labels.DEPLOY_SERVICES, "backend,frontend");
        SeedStack.put(e, "sancho_backend_d9", "running", null, backend, List.of());
        Map<String, String> frontend = new java.util.HashMap<>(SeedStack.app("frontend", "d9", "2026-01-03T10:00:00Z"));
        frontend.put(Labels.DEPLOY_SERVICES, "backend,frontend");
        SeedStack.put(e, "sancho_frontend_d9", "created", null, frontend, List.of());
        rollback(e, "d1");
        assertEquals("running", state(e, "sancho_backend_d1"));
        for (String gone : List.of("sancho_backend_d9", "sancho_frontend_d9")) {
            assertTrue(e.findContainer(gone).isEmpty(), gone + " is left: " + e.calls);
        }
    }

    /**
     * d1's backend as a kill between the disconnect and the connect of a re-alias leaves it: labelled with its
     * aliases, attached to no network (bench/faults.sh, rollback-drain then rollback-stop: backend resolved to nothing).
     */
    private static void detached(FakeDockerEngine e, String name) {
        ContainerInfo old = e.findContainer(name).orElseThrow();
        Map<String, String> labels = new java.util.HashMap<>(old.labels());
        labels.put(Labels.DNS_ALIASES, SeedStack.NETWORK + "=" + old.label(Labels.SERVICE));
        e.containers.put(old.id(), new ContainerInfo(old.id(), old.name(), old.image(), old.imageId(), old.state(),
                old.health(), old.exitCode(), labels, old.created(), old.mounts(), Map.of()));
    }

    @Test
    void aTargetLeftOffItsNetworkByAKilledCutoverIsAttachedAgainOnceHealthy() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        detached(e, "sancho_backend_d1");
        rollback(e, "d1");
        assertEquals(Map.of(SeedStack.NETWORK, List.of("backend")),
                e.findContainer("sancho_backend_d1").orElseThrow().networkAliases(), e.calls::toString);
        // joined only once healthy, like every target: connected after its start
        assertTrue(e.calls.indexOf("start sancho_backend_d1")
                < e.calls.indexOf("connect " + SeedStack.NETWORK + " sancho_backend_d1"), e.calls::toString);
        assertEquals("exited", state(e, "sancho_backend_d2"));
    }

    @Test
    void aTargetLeftOffItsNetworkIsAttachedAgainWhenNothingElseServesItsName() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        SeedStack.set(e, "sancho_backend_d2", "exited", null, null);
        SeedStack.set(e, "sancho_frontend_d2", "exited", null, null);
        detached(e, "sancho_backend_d1");
        rollback(e, "d1");
        assertEquals(Map.of(SeedStack.NETWORK, List.of("backend")),
                e.findContainer("sancho_backend_d1").orElseThrow().networkAliases(), e.calls::toString);
        assertEquals("running", state(e, "sancho_backend_d1"));
    }

    @Test
    void aTargetThatFailsItsHealthCheckNeverAnswersTheNameAndIsStoppedWhole() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.healthOnStart.put("sancho_backend_d1", "unhealthy");
        assertThrows(CheckFailedException.class, () -> rollback(e, null));
        assertTrue(e.calls.stream().noneMatch(c -> c.equals("connect sancho_default sancho_backend_d1")
                && e.calls.indexOf(c) > e.calls.indexOf("start sancho_backend_d1")
                && e.calls.indexOf(c) < e.calls.indexOf("stop sancho_backend_d1")), e.calls::toString);
        assertEquals("exited", state(e, "sancho_backend_d1"));
        assertEquals(Map.of(SeedStack.NETWORK, List.of("backend")),
                e.findContainer("sancho_backend_d1").orElseThrow().networkAliases(), "its alias is back");
        assertEquals("running", state(e, "sancho_backend_d2"));
    }

    @Test
    void theGoalEndsWithItsTimelineLikeADeploy() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.healthOnStart.put("sancho_backend_d1", "healthy");
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        LockOptions lock = new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30));
        Rollback.run(e, SeedStack.in(dir).stack("d3"), new Rollback.Options(null, false, Duration.ofSeconds(1),
                Duration.ZERO, Duration.ofSeconds(1)), lock, log);
        assertTrue(log.lines.stream().anyMatch(l -> l.matches("rolled back to d1 in [\\d.]+ s: lock [\\d.]+, plan [\\d.]+,"
                + " start [\\d.]+, ready [\\d.]+, dns [\\d.]+, (drain [\\d.]+, )?stop [\\d.]+")), log.lines::toString);

        e.healthOnStart.put("sancho_backend_d2", "unhealthy");
        assertThrows(CheckFailedException.class, () -> Rollback.run(e, SeedStack.in(dir).stack("d3"),
                new Rollback.Options("d2", false, Duration.ofSeconds(1), Duration.ZERO), lock, log));
        assertTrue(log.lines.stream().anyMatch(l -> l.matches("rollback to d2 failed after [\\d.]+ s: lock [\\d.]+,"
                + " plan [\\d.]+, start [\\d.]+, ready [\\d.]+, failed [\\d.]+")), log.lines::toString);
    }

    /** Behind Traefik (labels) the rollback's cutover waits the provider's throttle before the current deploy stops. */
    @Test
    void behindALabelRoutedProxyTheCurrentDeployStopsOnlyAfterTraefiksThrottle() {
        java.util.Map<String, Long> at = new java.util.concurrent.ConcurrentHashMap<>();
        FakeDockerEngine e = new FakeDockerEngine() {
            @Override
            public synchronized void startContainer(String id) {
                super.startContainer(id);
                at.put("start " + inspectContainer(id).orElseThrow().name(), Time.nanoTime());
            }

            @Override
            public synchronized void stopContainer(String id, Duration timeout) {
                at.put("stop " + inspectContainer(id).orElseThrow().name(), Time.nanoTime());
                super.stopContainer(id, timeout);
            }
        };
        e.containers.putAll(SeedStack.healthy(dir).containers);
        e.healthOnStart.put("sancho_backend_d1", "healthy");
        Rollback.run(e, SeedStack.in(dir).stack("d3"), new Rollback.Options(null, false, Duration.ofSeconds(1),
                Duration.ZERO, Duration.ofSeconds(1), List.of(),
                new ProxyWaits(ProxyWaits.Proxy.LABELS, Duration.ofSeconds(2), Duration.ofSeconds(5))),
                new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30)), new Fixtures.RecordingLog());
        long started = at.get("start sancho_backend_d1"), stopped = at.get("stop sancho_backend_d2");
        assertTrue(Duration.ofNanos(stopped - started).compareTo(Duration.ofSeconds(3)) >= 0,
                "the current deploy stopped " + Duration.ofNanos(stopped - started) + " after the target started");
        assertEquals("exited", state(e, "sancho_backend_d2"));
        assertEquals("running", state(e, "sancho_backend_d1"));
    }

    @Test
    void theCurrentDeployIsStoppedWithItsServicesGracePeriod() throws Exception {
        List<String> stops = java.util.Collections.synchronizedList(new ArrayList<>());
        FakeDockerEngine e = new FakeDockerEngine() {
            @Override
            public void stopContainer(String id, Duration timeout) {
                stops.add(inspectContainer(id).orElseThrow().name() + " " + timeout.toSeconds());
                super.stopContainer(id, timeout);
            }
        };
        e.containers.putAll(SeedStack.healthy(dir).containers);
        rollback(e, null);
        assertEquals(java.util.Set.of("sancho_frontend_d2 10", "sancho_backend_d2 3"), java.util.Set.copyOf(stops));
        assertEquals(2, stops.size());
    }

    @Test
    void anUnhealthyTargetIsStoppedAgainAndTheCurrentKeepsServing() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.healthOnStart.put("sancho_backend_d1", "unhealthy");
        CheckFailedException ex = assertThrows(CheckFailedException.class, () -> rollback(e, null));
        assertTrue(ex.getMessage().startsWith("rollback to d1 failed, sancho_backend_d1: its healthcheck reports"
                + " unhealthy"), ex.getMessage());
        assertTrue(ex.getMessage().endsWith("; it was stopped again, deploy d2 kept serving throughout"));
        assertEquals("exited", state(e, "sancho_backend_d1"));
        assertEquals("exited", state(e, "sancho_frontend_d1"));
        assertEquals("running", state(e, "sancho_backend_d2"));
        assertTrue(e.calls.stream().noneMatch(c -> c.equals("stop sancho_backend_d2")), e.calls.toString());
    }

    @Test
    void anInterruptedDeployIsNeverARollbackTarget() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        // d3 was killed after starting its backend; the next deploy stopped that backend and removed nothing else
        Map<String, String> labels = SeedStack.app("backend", "d3", "2026-03-01T00:00:00Z");
        labels.put(Labels.DEPLOY_SERVICES, "backend,frontend");
        SeedStack.put(e, "sancho_backend_d3", "exited", null, labels, List.of());

        CheckFailedException ex = assertThrows(CheckFailedException.class, () -> rollback(e, "d3"));
        assertTrue(ex.getMessage().startsWith("deploy d3 cannot be rolled back to: it was interrupted before all its"
                + " services had a container (no frontend), so it would leave them without one"), ex.getMessage());
        assertEquals("exited", state(e, "sancho_backend_d3"), "a refused rollback changes nothing");

        assertEquals(new Rollback.Result("d2", "d1"), rollback(e, null), "the newest complete stopped deploy");
        assertTrue(e.findContainer("sancho_backend_d3").isEmpty(), "the rollback clears the interrupted deploy");
    }

    @Test
    void aRollbackDoesNotRunTheTargetsOneShotJobAgain() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        for (String id : List.of("d1", "d2")) {
            Map<String, String> labels = SeedStack.app("migrate", id, id.equals("d1") ? "2026-01-01T10:00:00Z"
                    : "2026-01-02T10:00:00Z");
            labels.put(Labels.JOB, "true");
            SeedStack.put(e, "sancho_migrate_" + id, "exited", null, labels, List.of());
        }
        assertEquals(new Rollback.Result("d2", "d1"), rollback(e, null));
        assertTrue(e.calls.stream().noneMatch(c -> c.contains("migrate")), e.calls.toString());
        assertEquals("running", state(e, "sancho_backend_d1"));
    }

    @Test
    void anExplicitTargetIsUsed() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        SeedStack.put(e, "sancho_backend_d0", "exited", null, SeedStack.app("backend", "d0", "2025-12-01T00:00:00Z"),
                List.of());
        assertEquals(new Rollback.Result("d2", "d0"), rollback(e, "d0"));
        assertEquals("running", state(e, "sancho_backend_d0"));
        assertEquals("exited", state(e, "sancho_backend_d1"));
    }

    @Test
    void nothingKeptIsOneClearLine() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.containers.values().removeIf(c -> c.name().endsWith("_d1"));
        CheckFailedException ex = assertThrows(CheckFailedException.class, () -> rollback(e, null));
        assertEquals("nothing to roll back to: project sancho has no stopped deploy kept (current: d2); sancho:deploy"
                + " keeps the previous sancho.keep deploys stopped for this", ex.getMessage());
        assertTrue(e.calls.isEmpty());
    }

    @Test
    void anUnknownIdListsTheKeptOnes() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        ConfigException ex = assertThrows(ConfigException.class, () -> rollback(e, "d9"));
        assertEquals("sancho.rollbackTo=d9: project sancho has no deploy with this id (kept: d1"
                + " (2026-01-01T10:00:00Z))", ex.getMessage());
        ConfigException current = assertThrows(ConfigException.class, () -> rollback(e, "d2"));
        assertTrue(current.getMessage().startsWith("sancho.rollbackTo=d2 is already the current deploy"));
        assertTrue(e.calls.isEmpty());
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        Rollback.rollback(e, SeedStack.in(dir).stack("d3"), new Rollback.Options(null, true, Duration.ofSeconds(1),
                Duration.ZERO), log);
        assertTrue(e.calls.isEmpty());
        assertTrue(log.all().contains("start  sancho_backend_d1"), log.all());
        assertTrue(log.all().contains("stop   sancho_backend_d2   after d1 is healthy, grace 3 s"), log.all());
    }

    @Test
    void whenBothDeploysPublishTheSamePortTheCurrentIsStoppedFirstAndRestartedOnFailure() throws Exception {
        FakeDockerEngine e = new FakeDockerEngine() {
            @Override
            public void startContainer(String id) {
                String name = inspectContainer(id).orElseThrow().name();
                boolean portHeld = containers.values().stream().anyMatch(c -> c.name().startsWith("sancho_backend_")
                        && !c.name().equals(name) && "running".equals(c.state()));
                if (name.startsWith("sancho_backend_") && portHeld) {
                    throw new DockerOperationException("driver failed programming external connectivity: Bind for"
                            + " 127.0.0.1:18080 failed: port is already allocated");
                }
                super.startContainer(id);
            }
        };
        e.containers.putAll(SeedStack.healthy(dir).containers);
        e.healthOnStart.put("sancho_backend_d1", "healthy");
        assertEquals(new Rollback.Result("d2", "d1"), rollback(e, null));
        assertEquals(List.of("update sancho_frontend_d2 restart=no", "stop sancho_frontend_d2",
                "update sancho_backend_d2 restart=no", "stop sancho_backend_d2", "start sancho_backend_d1",
                "start sancho_frontend_d1"), e.calls.stream().filter(c -> c.startsWith("start ")
                        || c.startsWith("stop ") || c.startsWith("update ")).toList());

        // and back, with a target that fails: the current deploy is started again
        e.calls.clear();
        e.healthOnStart.put("sancho_backend_d2", "unhealthy");
        CheckFailedException ex = assertThrows(CheckFailedException.class, () -> rollback(e, "d2"));
        assertTrue(ex.getMessage().endsWith("; it was stopped again and deploy d1 restarted"), ex.getMessage());
        assertEquals("running", state(e, "sancho_backend_d1"));
        assertEquals("exited", state(e, "sancho_backend_d2"));
    }
}
