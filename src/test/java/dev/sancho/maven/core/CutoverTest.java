package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.NETWORK;
import static dev.sancho.maven.plan.SeedStack.PROXY;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.Plan;
import dev.sancho.maven.plan.Planner;
import dev.sancho.maven.plan.SeedStack;
import dev.sancho.maven.plan.Stack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drain: old containers leave the service's DNS name while still reachable, wait, stop, get the name back. */
class CutoverTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;
    FakeDockerEngine engine;
    Instant clock = Instant.parse("2026-02-01T10:00:00Z");
    List<String> lines = new ArrayList<>();
    Log log = new Log() {
        public void info(String m) {
            lines.add("INFO " + m);
        }

        public void warn(String m) {
            lines.add("WARN " + m);
        }

        public void debug(String m) {}
    };

    @BeforeEach
    void engine() {
        engine = new FakeDockerEngine();
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1", "sancho-it/app:2").forEach(engine::addImage);
        engine.createVolume(VOLUME, null, Map.of(), Map.of());
    }

    void deploy(String id, Duration drain) {
        deploy(id, ProxyWaits.dns(drain));
    }

    void deploy(String id, ProxyWaits waits) {
        clock = clock.plusSeconds(60);
        Stack stack = SeedStack.in(dir).stack(id);
        DeployOptions opts = new DeployOptions(2, Duration.ofSeconds(2), Duration.ZERO, waits.maxDrain(), clock,
                Set.of());
        Plan plan = Planner.plan(stack, StateReader.observe(engine, stack), opts);
        Deployer.execute(engine, plan, SecretMask.of(stack), waits, Timeline.NONE, log);
    }

    /** An engine whose running containers have {@code open} inbound connections until {@code until}. */
    static final class WithConnections extends FakeDockerEngine {
        int open;
        long until;

        @Override
        public synchronized dev.sancho.maven.docker.ExecResult exec(String id, List<String> command,
                Duration timeout) {
            super.exec(id, command, timeout);
            StringBuilder t = new StringBuilder(OpenConnectionsTest.HEADER)
                    .append(OpenConnectionsTest.row(0, "00000000:1F90", "00000000:0000", "0A"));
            for (int i = 0; Time.nanoTime() < until && i < open; i++) {
                t.append(OpenConnectionsTest.row(i + 1, "030014AC:1F90", "020014AC:C35" + i, "01"));
            }
            return new dev.sancho.maven.docker.ExecResult(0, t.toString());
        }
    }

    /** From now on the running containers have {@code open} connections for {@code closedAfter}. */
    FakeDockerEngine withConnections(int open, Duration closedAfter) {
        WithConnections e = engine instanceof WithConnections w ? w
                : (WithConnections) new WithConnections().withStateOf(engine);
        e.open = open;
        e.until = Time.nanoTime() + closedAfter.toNanos();
        return e;
    }

    long execs() {
        return engine.calls.stream().filter(c -> c.startsWith("exec ")).count();
    }

    ContainerInfo container(String name) {
        return engine.findContainer(name).orElseThrow();
    }

    @Test
    void theNewDeployJoinsTheProxysNetworkUnderTheServiceName() {
        deploy("d1", Duration.ZERO);
        assertEquals(Map.of(NETWORK, List.of("backend")), container("sancho_backend_d1").networkAliases());
        assertEquals(Map.of(NETWORK, List.of("frontend")), container("sancho_frontend_d1").networkAliases());
        assertTrue(container(PROXY).networkAliases().containsKey(NETWORK), "the proxy shares the apps' network");
    }

    @Test
    void theOldContainerLeavesDnsAfterTheNewOneIsReadyAndIsStoppedOnlyThen() {
        deploy("d1", Duration.ZERO);
        engine.calls.clear();
        deploy("d2", Duration.ZERO);
        List<String> calls = engine.calls;
        int newStarted = calls.indexOf("start sancho_backend_d2");
        int leave = calls.indexOf("disconnect " + NETWORK + " sancho_backend_d1");
        int rejoin = calls.indexOf("connect " + NETWORK + " sancho_backend_d1");
        int stop = calls.indexOf("stop sancho_backend_d1");
        assertTrue(newStarted >= 0 && newStarted < leave && leave < rejoin && rejoin < stop, calls::toString);
        // the frontend too, and the aliases come back only after the stop (a rollback starts it as it was)
        assertTrue(calls.indexOf("disconnect " + NETWORK + " sancho_frontend_d1")
                < calls.indexOf("stop sancho_frontend_d1"), calls::toString);
        assertEquals(2, calls.stream().filter(c -> c.equals("disconnect " + NETWORK + " sancho_backend_d1")).count(),
                calls::toString);
        assertTrue(calls.lastIndexOf("connect " + NETWORK + " sancho_backend_d1") > stop, calls::toString);
        assertFalse(container("sancho_backend_d1").running());
        assertEquals(Map.of(NETWORK, List.of("backend")), container("sancho_backend_d1").networkAliases());
        assertTrue(lines.contains("INFO   sancho_backend_d1 left DNS alias backend on " + NETWORK
                + ", still reachable at its address"), lines::toString);
    }

    @Test
    void whileDrainingTheOldContainerIsStillOnTheNetworkAtItsAddressButWithoutTheServiceName() {
        deploy("d1", Duration.ZERO);
        ContainerInfo old = container("sancho_backend_d1");
        String address = engine.address(old.id(), NETWORK);
        List<Map<String, List<String>>> seenAtStop = new ArrayList<>();
        List<String> addressAtStop = new ArrayList<>();
        engine = new FakeDockerEngine() {
            @Override
            public void stopContainer(String id, Duration timeout) {
                if (id.equals(old.id())) {
                    seenAtStop.add(inspectContainer(id).orElseThrow().networkAliases());
                    addressAtStop.add(address(id, NETWORK));
                }
                super.stopContainer(id, timeout);
            }
        }.withStateOf(engine);
        deploy("d2", Duration.ZERO);
        assertEquals(List.of(Map.of(NETWORK, List.of())), seenAtStop);
        assertTrue(address != null && List.of(address).equals(addressAtStop), "a proxy that cached " + address
                + " still reaches the old container until it stops: " + addressAtStop);
    }

    @Test
    void theDrainIsWaitedOnlyWhenSomethingLeftDns() {
        deploy("d1", Duration.ofMillis(1500));
        assertTrue(lines.stream().noneMatch(l -> l.contains("draining")), "first deploy: nothing to drain");
        Duration t0 = time.elapsed();
        deploy("d2", Duration.ofMillis(1500));
        assertTrue(time.elapsed().minus(t0).compareTo(Duration.ofMillis(3000)) >= 0,
                "new deploy resolvable 1.5 s + drain 1.5 s, waited " + time.elapsed().minus(t0));
        assertTrue(lines.stream().anyMatch(l -> l.matches("INFO   waiting \\d+ ms until the new deploy has been in DNS"
                + " for 1500 ms \\(sancho.proxyResolveInterval\\), so proxies have resolved it")), lines::toString);
        // the fake's exec answers nothing readable: the drain cannot see connections and waits its whole bound
        assertTrue(lines.contains("INFO   drained the previous deploy in 1500 ms: its connections cannot be read (no"
                + " cat in the image?), sancho.drainSeconds=1500 ms is up"), lines::toString);
    }

    @Test
    void theDrainEndsAsSoonAsTheOldContainersHaveNoOpenConnectionAfterTheReResolveInterval() {
        deploy("d1", Duration.ZERO);
        engine = withConnections(2, Duration.ofMillis(1400)); // the last requests finish 1.4 s after d2 started
        Duration t0 = time.elapsed();
        deploy("d2", new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(1), Duration.ofSeconds(10)));
        Duration took = time.elapsed().minus(t0);
        // in DNS 1 s (overlapping start and health), then at least 1 s out of DNS: the connections had closed by then
        assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0 && took.compareTo(Duration.ofMillis(2200)) < 0,
                "1 s in DNS + 1 s re-resolve, not the 10 s bound: " + took);
        assertTrue(lines.contains("INFO   drained the previous deploy in 1 s: no open connections left"), lines::toString);
        assertFalse(container("sancho_backend_d1").running());
    }

    @Test
    void openConnectionsKeepTheDrainGoingUntilTheyCloseButNeverBeyondDrainSeconds() {
        deploy("d1", Duration.ZERO);
        engine = withConnections(1, Duration.ofMillis(2600));
        Duration t0 = time.elapsed();
        deploy("d2", new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(1), Duration.ofSeconds(10)));
        Duration took = time.elapsed().minus(t0);
        assertTrue(took.compareTo(Duration.ofMillis(2600)) >= 0 && took.compareTo(Duration.ofMillis(2800)) < 0,
                "until the connection closed (polled every 100 ms): " + took);
        assertTrue(execs() >= 2, "polled while it was open: " + engine.calls);

        engine = withConnections(1, Duration.ofHours(1)); // a connection that never closes (a websocket, say)
        t0 = time.elapsed();
        deploy("d3", new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(1), Duration.ofSeconds(3)));
        took = time.elapsed().minus(t0);
        assertTrue(took.compareTo(Duration.ofSeconds(4)) >= 0 && took.compareTo(Duration.ofMillis(4200)) < 0,
                "1 s in DNS + the 3 s bound: " + took);
        assertTrue(lines.contains("INFO   drained the previous deploy in 3 s: 2 connections still open,"
                + " sancho.drainSeconds=3 s is up"), lines::toString); // backend and frontend, one each
        assertFalse(container("sancho_backend_d2").running());
    }

    @Test
    void removalsBeyondKeepHappenInTheDrainsWaitAndTheOldContainersAreLeftAloneUntilTheirStop() {
        deploy("d1", Duration.ZERO);
        deploy("d2", Duration.ZERO);
        deploy("d3", Duration.ZERO); // keep=2: d1 and d2 are kept
        engine = withConnections(1, Duration.ZERO);
        engine.calls.clear();
        Duration t0 = time.elapsed();
        deploy("d4", new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(1), Duration.ofSeconds(2)));
        Duration took = time.elapsed().minus(t0);
        List<String> calls = engine.calls;
        int left = calls.indexOf("connect " + NETWORK + " sancho_frontend_d3"); // the second re-alias
        int removed = calls.indexOf("remove sancho_backend_d1");
        int policy = calls.indexOf("update sancho_backend_d3 restart=no");
        int stop = calls.indexOf("stop sancho_backend_d3");
        int exec = calls.indexOf("exec sancho_backend_d3 cat /proc/net/tcp /proc/net/tcp6");
        // while it may still get requests, nothing but the connection reading touches the old container
        assertTrue(left >= 0 && left < removed && removed < exec && exec < policy && policy < stop, calls::toString);
        assertEquals(1, calls.stream().filter(c -> c.equals("update sancho_backend_d3 restart=no")).count(),
                calls::toString);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0 && took.compareTo(Duration.ofMillis(2200)) < 0,
                "the removals cost no time of their own: " + took);
        assertTrue(engine.findContainer("sancho_backend_d1").isEmpty());
        assertFalse(container("sancho_backend_d3").running());
    }

    @Test
    void anInterruptedDeploysRunningContainerIsStoppedByTheCutoverAndRemovedAfterItsStop() {
        deploy("d1", Duration.ZERO);
        deploy("d2", Duration.ZERO);
        // d2 lost its frontend (a killed deploy, a removal by hand): an interrupted deploy, whose backend still runs
        engine.removeContainer(container("sancho_frontend_d2").id());
        engine = withConnections(1, Duration.ZERO);
        engine.calls.clear();
        deploy("d3", new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(1), Duration.ofSeconds(2)));
        List<String> calls = engine.calls;
        int stop = calls.indexOf("stop sancho_backend_d2");
        int removed = calls.indexOf("remove sancho_backend_d2");
        assertTrue(stop >= 0 && stop < removed, calls::toString);
        assertTrue(engine.findContainer("sancho_backend_d2").isEmpty(), calls::toString);
        assertTrue(lines.contains("INFO Removed sancho_backend_d2 (deploy d2 was interrupted (no frontend container): "
                + "not a rollback target)"), lines::toString);
    }

    @Test
    void aSlowResolvingProxyGetsItsWholeIntervalEvenWhenDrainSecondsIsShorter() {
        deploy("d1", Duration.ZERO);
        engine = withConnections(1, Duration.ZERO);
        Duration t0 = time.elapsed();
        deploy("d2", new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(5), Duration.ofSeconds(2)));
        Duration took = time.elapsed().minus(t0);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) >= 0 && took.compareTo(Duration.ofMillis(10200)) < 0,
                "nginx valid=5s: 5 s in DNS before the switch, 5 s out of DNS before the stop: " + took);
    }

    /** Records, per container name, the virtual time of its last start and stop. */
    static final class Timed extends FakeDockerEngine {
        final Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<String, Long> stopped = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public synchronized void startContainer(String id) {
            super.startContainer(id);
            started.put(inspectContainer(id).orElseThrow().name(), Time.nanoTime());
        }

        @Override
        public synchronized void stopContainer(String id, Duration timeout) {
            stopped.put(inspectContainer(id).orElseThrow().name(), Time.nanoTime());
            super.stopContainer(id, timeout);
        }
    }

    /**
     * Traefik's Docker provider (pkg/provider/docker/pdocker.go, config.go) routes to a new container only once its
     * health_status event has been applied, at most once per providersThrottleDuration (default 2 s), and keeps the
     * old one until its die event: the old deploy stops only after that throttle, plus the provider's listing time.
     * No DNS wait and no drain: Traefik does not use DNS and keeps sending to a running container.
     */
    @Test
    void aLabelRoutedProxyGetsItsThrottleToRouteToTheNewDeployBeforeTheOldOneStops() {
        deploy("d1", Duration.ZERO);
        Timed timed = (Timed) new Timed().withStateOf(engine);
        engine = timed;
        Duration t0 = time.elapsed();
        deploy("d2", new ProxyWaits(ProxyWaits.Proxy.LABELS, Duration.ofSeconds(2), Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(3), time.elapsed().minus(t0), "the throttle (2 s) plus the listing (1 s)");
        for (String service : List.of("backend", "frontend")) {
            long ready = timed.started.get("sancho_" + service + "_d2");
            long stop = timed.stopped.get("sancho_" + service + "_d1");
            assertEquals(Duration.ofSeconds(3), Duration.ofNanos(stop - ready), service + ": " + lines);
        }
        assertEquals(0, execs(), "no drain reads the old containers' connections: " + engine.calls);
        assertFalse(container("sancho_backend_d1").running());
        assertTrue(lines.contains("INFO   waiting 3 s so Traefik routes to the new deploy before the previous one stops"
                + " (it applies the new deploy's health_status event at most once per providersThrottleDuration,"
                + " sancho.proxyResolveInterval=2 s, and keeps the old one until its die event)"), lines::toString);
        assertTrue(lines.stream().noneMatch(l -> l.contains("drained") || l.contains("in DNS for")), lines::toString);
    }

    @Test
    void aLabelRoutedProxysThrottleIsTheResolveIntervalAndOtherProxiesDoNotWaitForIt() {
        assertEquals(Duration.ofSeconds(6),
                new ProxyWaits(ProxyWaits.Proxy.LABELS, Duration.ofSeconds(5), Duration.ZERO).inViewBeforeStop());
        assertEquals(Duration.ZERO,
                new ProxyWaits(ProxyWaits.Proxy.LABELS, Duration.ofSeconds(5), Duration.ZERO).inDnsBeforeSwitch());
        assertEquals(Duration.ZERO,
                new ProxyWaits(ProxyWaits.Proxy.LABELS, Duration.ofSeconds(5), Duration.ofSeconds(9)).maxDrainOrMin());
        assertEquals(Duration.ZERO,
                new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(5), Duration.ZERO).inViewBeforeStop());
        assertEquals(Duration.ZERO,
                new ProxyWaits(ProxyWaits.Proxy.NONE, Duration.ofSeconds(5), Duration.ZERO).inViewBeforeStop());
    }

    @Test
    void withoutAProxyCachingDnsOnlyTheOpenConnectionsAreWaitedFor() {
        deploy("d1", Duration.ZERO);
        engine = withConnections(1, Duration.ofMillis(300));
        Duration t0 = time.elapsed();
        deploy("d2", new ProxyWaits(ProxyWaits.Proxy.NONE, Duration.ofSeconds(1), Duration.ofSeconds(2)));
        Duration took = time.elapsed().minus(t0);
        assertTrue(took.compareTo(Duration.ofMillis(300)) >= 0 && took.compareTo(Duration.ofMillis(500)) < 0,
                "no DNS wait, drained once the connection closed: " + took);
    }

    @Test
    void aContainerThatCannotLeaveDnsIsStillStopped() {
        deploy("d1", Duration.ZERO);
        FakeDockerEngine before = engine;
        String old = before.findContainer("sancho_backend_d1").orElseThrow().id();
        engine = new FakeDockerEngine() {
            @Override
            public void disconnectNetwork(String network, String containerId) {
                if (containerId.equals(old) && findContainer("sancho_backend_d1").orElseThrow().running()) {
                    throw new dev.sancho.maven.docker.DockerOperationException("network " + network + " is busy");
                }
                super.disconnectNetwork(network, containerId);
            }
        }.withStateOf(before);
        deploy("d2", Duration.ZERO);
        assertFalse(container("sancho_backend_d1").running());
        assertTrue(container("sancho_backend_d2").running());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARN   could not take sancho_backend_d1 out of DNS on "
                + NETWORK + " (network " + NETWORK + " is busy)")), lines::toString);
    }

    @Test
    void onlyTheShortIdAliasIsKept() {
        ContainerInfo c = new ContainerInfo("0123456789abcdef", "x_backend_d1", "img", "sha", "running", null, null,
                Map.of(), clock, List.of(), Map.of("net1", List.of("backend", "api", "0123456789ab"),
                        "net2", List.of("0123456789ab")));
        assertEquals(Map.of("net1", List.of("backend", "api")), Cutover.serviceAliases(c));
    }

    @Test
    void anOldContainerRemovedBySomeoneElseMeanwhileDoesNotFailTheDeploy() {
        deploy("d1", Duration.ZERO);
        FakeDockerEngine before = engine;
        engine = new FakeDockerEngine() {
            @Override
            public synchronized void stopContainer(String id, Duration timeout) {
                if (containers.get(id).name().equals("sancho_backend_d1")) {
                    containers.remove(id);
                    throw new dev.sancho.maven.docker.DockerOperationException("no such container: " + id);
                }
                super.stopContainer(id, timeout);
            }
        }.withStateOf(before);
        deploy("d2", Duration.ZERO);
        assertTrue(container("sancho_backend_d2").running());
        assertFalse(container("sancho_frontend_d1").running());
        assertTrue(lines.contains("WARN   sancho_backend_d1 (deploy d1) was removed by someone else meanwhile"),
                lines::toString);
    }
}
