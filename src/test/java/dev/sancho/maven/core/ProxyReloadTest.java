package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.NETWORK;
import static dev.sancho.maven.plan.SeedStack.PROXY;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerProcess;
import dev.sancho.maven.docker.ExecResult;
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
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code x-sancho-proxy: {reload: ...}}: the cutover reloads the proxy right after the new deploy joined DNS and again
 * right after the old one left it, instead of waiting out the proxy's DNS cache; the drain still ends only when the old
 * containers have no open connection; a reload that fails falls back to the waits, in one line.
 */
class ProxyReloadTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    static final String RELOAD = "{reload: [nginx, -s, reload]}";
    static final ProxyWaits WAITS = new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(2), Duration.ofSeconds(10));

    @TempDir
    Path dir;
    Nginx engine;
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

    /**
     * nginx as the engine lists its processes: a master and one worker; {@code nginx -s reload} starts a new worker
     * {@link #startsAfter} later (never, when null: a configuration the master refuses) and the old one shuts down. The
     * app containers have {@link #open} inbound connections until {@link #until}, or until {@link #closeAfter} after
     * the second reload.
     */
    static final class Nginx extends FakeDockerEngine {
        int generation = 1;
        Duration startsAfter = Duration.ofMillis(120);
        long reloadedAt = -1;
        int reloads;
        int open;
        long until;
        Duration closeAfter;

        @Override
        public synchronized ExecResult exec(String id, List<String> command, Duration timeout) {
            ExecResult r = super.exec(id, command, timeout);
            if (command.equals(List.of("nginx", "-s", "reload")) && r.exitCode() == 0) {
                reloadedAt = Time.nanoTime();
                if (++reloads == 2 && closeAfter != null) {
                    until = Time.nanoTime() + closeAfter.toNanos();
                }
            }
            if (command.get(0).equals("cat")) {
                StringBuilder t = new StringBuilder(OpenConnectionsTest.HEADER)
                        .append(OpenConnectionsTest.row(0, "00000000:1F90", "00000000:0000", "0A"));
                for (int i = 0; Time.nanoTime() < until && i < open; i++) {
                    t.append(OpenConnectionsTest.row(i + 1, "030014AC:1F90", "020014AC:C35" + i, "01"));
                }
                return new ExecResult(0, t.toString());
            }
            return r;
        }

        @Override
        public synchronized Optional<List<ContainerProcess>> processes(String id) {
            if (reloadedAt >= 0 && startsAfter != null && Time.nanoTime() >= reloadedAt + startsAfter.toNanos()) {
                generation++;
                reloadedAt = -1;
            }
            List<ContainerProcess> ps = new ArrayList<>(List.of(new ContainerProcess("100",
                    "nginx: master process nginx -g daemon off;")));
            if (generation > 1) {
                ps.add(new ContainerProcess(String.valueOf(100 + generation - 1),
                        "nginx: worker process is shutting down"));
            }
            ps.add(new ContainerProcess(String.valueOf(100 + generation), "nginx: worker process"));
            return Optional.of(ps);
        }
    }

    @BeforeEach
    void engine() {
        engine = new Nginx();
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1", "sancho-it/app:2").forEach(engine::addImage);
        engine.createVolume(VOLUME, null, Map.of(), Map.of());
    }

    SeedStack seed(String reload) {
        SeedStack seed = SeedStack.in(dir);
        return reload == null ? seed : seed.with("traefik", "x-sancho-proxy", reload);
    }

    Map<String, Double> deploy(String id, String reload) {
        clock = clock.plusSeconds(60);
        Stack stack = seed(reload).stack(id);
        DeployOptions opts = new DeployOptions(2, Duration.ofSeconds(2), Duration.ZERO, WAITS.maxDrain(), clock,
                Set.of());
        Plan plan = Planner.plan(stack, StateReader.observe(engine, stack), opts);
        Timeline timeline = new Timeline();
        Deployer.execute(engine, plan, SecretMask.of(stack), WAITS, timeline, log);
        return timeline.steps();
    }

    List<String> warnings() {
        return lines.stream().filter(l -> l.startsWith("WARN")).toList();
    }

    @Test
    void theProxyIsReloadedAfterTheNewDeployJoinedDnsAndAgainAfterTheOldOneLeftIt() {
        deploy("d1", RELOAD);
        assertFalse(engine.calls.stream().anyMatch(c -> c.contains("nginx -s reload")), "a first deploy switches"
                + " nothing: " + engine.calls);
        engine.calls.clear();
        deploy("d2", RELOAD);
        List<String> calls = engine.calls;
        int joined = calls.indexOf("connect " + NETWORK + " sancho_frontend_d2");
        int first = calls.indexOf("exec " + PROXY + " nginx -s reload");
        int left = calls.indexOf("disconnect " + NETWORK + " sancho_backend_d1");
        int second = calls.lastIndexOf("exec " + PROXY + " nginx -s reload");
        int drained = calls.indexOf("exec sancho_backend_d1 cat /proc/net/tcp /proc/net/tcp6");
        int stop = calls.indexOf("stop sancho_backend_d1");
        assertTrue(joined >= 0 && joined < first && first < left && left < second && second < drained
                && drained < stop, calls::toString);
        assertEquals(2, calls.stream().filter(c -> c.endsWith("nginx -s reload")).count(), calls::toString);
        assertEquals(List.of(), warnings());
        assertTrue(lines.stream().anyMatch(l -> l.matches("INFO   reloaded the proxy " + PROXY + " \\(nginx -s"
                + " reload\\) after the new deploy joined DNS in 1[2-9]\\d ms, 1 new worker up")), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO   reloaded the proxy " + PROXY + " (nginx -s"
                + " reload) after the previous deploy left DNS in ")), lines::toString);
        assertFalse(lines.stream().anyMatch(l -> l.contains("until the new deploy has been in DNS")), lines::toString);
    }

    @Test
    void withTheReloadBothCacheWaitsShrinkToTheReloadButTheDrainStillWaitsForOpenConnections() {
        deploy("d1", null);
        Map<String, Double> without = deploy("d2", null);
        engine.open = 1;
        engine.closeAfter = Duration.ofMillis(700); // the last request ends 0.7 s after the second reload
        lines.clear();
        Map<String, Double> with = deploy("d3", RELOAD);
        assertEquals(2, engine.reloads);
        // without: the new deploy in DNS 2 s, then out of DNS at least 2 s (sancho.proxyResolveInterval)
        assertTrue(without.get("dns") >= 2.0 && without.get("drain") >= 2.0, without::toString);
        // with: the first reload (120 ms in this fake); the drain: the second reload, then until the connection closed
        assertTrue(with.get("dns") < 0.5, with::toString);
        assertTrue(with.get("drain") >= 0.7 && with.get("drain") < 1.0, with::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches("INFO   drained the previous deploy in \\d+ ms: no open"
                + " connections left")), lines::toString);
        assertFalse(engine.findContainer("sancho_backend_d2").orElseThrow().running());
    }

    @Test
    void aReloadThatFailsIsOneLineAndTheCutoverWaitsAsWithoutIt() {
        String bad = "{reload: [nginx, -s, reloadx]}";
        deploy("d1", bad);
        engine.execs.put(PROXY + " nginx -s reloadx", FakeDockerEngine.Exec.exits(1, "nginx: invalid option:"
                + " \"reloadx\"\n"));
        Map<String, Double> steps = deploy("d2", bad);
        assertEquals(List.of("WARN   the proxy reload `nginx -s reloadx` in " + PROXY + " failed: exit code 1: nginx:"
                + " invalid option: \"reloadx\"; waiting for its DNS cache instead (sancho.proxyResolveInterval=2 s)"),
                warnings());
        assertEquals(1, engine.calls.stream().filter(c -> c.endsWith("nginx -s reloadx")).count(),
                "not tried again after the old deploy left DNS: " + engine.calls);
        assertTrue(steps.get("dns") >= 2.0 && steps.get("drain") >= 2.0, "today's waits: " + steps);
        assertTrue(lines.stream().anyMatch(l -> l.contains("until the new deploy has been in DNS for 2 s")),
                lines::toString);
    }

    @Test
    void aReloadThatStartsNoNewWorkersFailsToo() {
        deploy("d1", RELOAD);
        engine.startsAfter = null; // the master refused the configuration: the old worker keeps running
        Map<String, Double> steps = deploy("d2", RELOAD);
        assertEquals(List.of("WARN   the proxy reload `nginx -s reload` in " + PROXY + " failed: exit code 0, but no"
                + " new worker processes replaced the old ones within 5 s (does the proxy accept its configuration?"
                + " see docker logs " + PROXY + "); waiting for its DNS cache instead (sancho.proxyResolveInterval=2"
                + " s)"), warnings());
        assertTrue(steps.get("drain") >= 2.0, "today's drain: " + steps);
    }

    @Test
    void aReloadThatHangsFailsAfterItsTimeout() {
        deploy("d1", RELOAD);
        engine.execs.put(PROXY + " nginx -s reload", FakeDockerEngine.Exec.hangs("")); // the fake times out at once
        deploy("d2", RELOAD);
        assertEquals(List.of("WARN   the proxy reload `nginx -s reload` in " + PROXY + " failed: it did not finish"
                + " within 10 s; waiting for its DNS cache instead (sancho.proxyResolveInterval=2 s)"), warnings());
    }

    @Test
    void aProxyWithoutWorkerProcessesHasReloadedWhenItsCommandReturns() {
        FakeDockerEngine plain = new FakeDockerEngine(); // lists no processes: the exit code is what is observed
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1").forEach(plain::addImage);
        plain.createVolume(VOLUME, null, Map.of(), Map.of());
        String caddy = "{reload: 'caddy reload --config /etc/caddy/Caddyfile'}";
        for (String id : List.of("d1", "d2")) {
            Stack stack = seed(caddy).stack(id);
            clock = clock.plusSeconds(60);
            Plan plan = Planner.plan(stack, StateReader.observe(plain, stack), new DeployOptions(2,
                    Duration.ofSeconds(2), Duration.ZERO, WAITS.maxDrain(), clock, Set.of()));
            Deployer.execute(plain, plan, SecretMask.of(stack), WAITS, new Timeline(), log);
        }
        assertEquals(2, plain.calls.stream().filter(c -> c.equals("exec " + PROXY
                + " caddy reload --config /etc/caddy/Caddyfile")).count(), plain.calls::toString);
        assertEquals(List.of(), warnings());
    }

    @Test
    void aRollbackReloadsTheProxyAsADeployDoes() {
        deploy("d1", RELOAD);
        deploy("d2", RELOAD);
        engine.calls.clear();
        lines.clear();
        Stack stack = seed(RELOAD).stack("d3");
        Rollback.rollback(engine, stack, new Rollback.Options(null, false, Duration.ofSeconds(5), Duration.ZERO,
                WAITS.maxDrain(), List.of(), WAITS), log);
        assertEquals(2, engine.calls.stream().filter(c -> c.equals("exec " + PROXY + " nginx -s reload")).count(),
                engine.calls::toString);
        assertTrue(lines.stream().anyMatch(l -> l.contains("reload") && l.contains(PROXY) && l.contains("nginx -s"
                + " reload (x-sancho-proxy) once d1 is in DNS")), lines::toString);
        assertEquals(List.of(), warnings());
        assertTrue(engine.findContainer("sancho_backend_d1").orElseThrow().running());
        assertFalse(engine.findContainer("sancho_backend_d2").orElseThrow().running());
    }
}
