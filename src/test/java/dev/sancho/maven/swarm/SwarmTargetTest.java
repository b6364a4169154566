package dev.sancho.maven.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.core.DeployRun;
import dev.sancho.maven.core.LockOptions;
import dev.sancho.maven.core.ProxyWaits;
import dev.sancho.maven.core.Recovery;
import dev.sancho.maven.core.Rollback;
import dev.sancho.maven.core.Target;
import dev.sancho.maven.core.Verifier;
import dev.sancho.maven.core.VerifyOptions;
import dev.sancho.maven.core.VirtualTime;
import dev.sancho.maven.docker.ExecResult;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swarm target's goals on a fake swarm: a deploy, its verify step with the user's probes, verify on its own,
 * rollback without a deploy named, and every deploy parameter either honoured or refused in one line.
 */
class SwarmTargetTest {
    private static final String STACK = """
            services:
              db:
                image: postgres:15
                container_name: shop_db
                volumes:
                  - pgdata:/var/lib/postgresql/data
              backend:
                image: shop/app:1
            volumes:
              pgdata:
                external: true
                name: shop_pgdata
            """;
    private static final Duration HEALTH = Duration.ofSeconds(30);
    private static final LockOptions LOCK = new LockOptions(Duration.ZERO, Duration.ofMinutes(30));
    private static final Target TARGET = SwarmTarget.INSTANCE;

    @TempDir
    Path dir;

    @RegisterExtension
    final VirtualTime time = new VirtualTime();

    private final FakeSwarm swarm = new FakeSwarm();
    private final List<String> execCalls = new ArrayList<>();
    private final FakeDockerEngine engine = new FakeDockerEngine() {
        @Override
        public SwarmEngine swarm() {
            return swarm;
        }

        /** A task's container on the manager: the fake swarm's tasks name theirs c0, c1, ... */
        @Override
        public synchronized ExecResult exec(String containerId, List<String> command, Duration timeout) {
            execCalls.add(containerId + " " + String.join(" ", command));
            return new ExecResult(0, "pong");
        }
    };

    SwarmTargetTest() {
        engine.createVolume("shop_pgdata", null, Map.of(), Map.of());
    }

    private Stack stack(String deployId) {
        return StackResolver.resolve(Fixtures.inline(dir, STACK), new StackConfig("shop", "shop", deployId,
                Set.of("db"), null, true));
    }

    private DeployRun.Request request(String deployId, DeployRun.Steps steps, Duration minReady, ProxyWaits waits,
            List<String> pomVolumes, List<VerifyOptions.Probe> probes, boolean createExternalVolumes) {
        DeployOptions options = new DeployOptions(2, HEALTH, minReady, waits.maxDrain(), Instant.now(), Set.of());
        return new DeployRun.Request(stack(deployId), steps, options, LOCK, pomVolumes, Map.of(), List.of(), probes,
                false, waits, false, createExternalVolumes);
    }

    private DeployRun.Request request(String deployId, List<VerifyOptions.Probe> probes) {
        return request(deployId, DeployRun.Steps.ALL, ProxyWaits.DEFAULT_MIN_READY, ProxyWaits.DEFAULT, List.of(),
                probes, false);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aFirstDeployCreatesTheStackRecordsItAndPassesItsVerifyStep() {
        DeployRun.Result r = TARGET.deploy(engine, request("rel-1", List.of()), Log.NONE);
        assertEquals("rel-1", r.deployId());
        assertEquals(List.of("shop_db", "shop_backend"), swarm.createdServices.stream().map(s -> s.name()).toList());
        assertTrue(swarm.configs.containsKey("sancho-deploy-shop-rel-1"), swarm.configs.keySet().toString());
        assertFalse(swarm.configs.containsKey("sancho-lock-shop"), "the lock is released");
        assertEquals(List.of(new DeployRun.Taken("create-service", "shop_db"),
                new DeployRun.Taken("create-service", "shop_backend")), r.actions());
        assertEquals(List.of("plan", "lock", "infrastructure", "update", "converge", "record", "verify"),
                List.copyOf(r.timeline().keySet()));
    }

    /** Before: the deploy handed the swarm only whether to verify, so a failing probe let the deploy pass. */
    @Test
    void theDeploysVerifyStepRunsTheProbesAndAFailingOneFailsTheDeploy() throws Exception {
        VerifyOptions.Probe http = new VerifyOptions.HttpProbe("health", closedPort(), "/", 200, Duration.ofSeconds(2));
        String msg = assertThrows(CheckFailedException.class,
                () -> TARGET.deploy(engine, request("rel-1", List.of(http)), Log.NONE)).getMessage();
        assertTrue(msg.contains("deploy rel-1 is live on the swarm, but") && msg.contains("health"), msg);
    }

    /** Before: VerifyMojo handed SwarmVerify the expected deploy id only; the probes were never run. */
    @Test
    void verifyRunsAnExecProbeInATaskOfTheCurrentDeployOnTheManager() {
        TARGET.deploy(engine, request("rel-1", List.of()), Log.NONE);
        VerifyOptions.Probe ping = new VerifyOptions.ExecProbe("ping", "backend", List.of("app", "ping"),
                Duration.ofSeconds(5));
        Verifier.Report report = TARGET.verify(engine, stack("rel-1"), new VerifyOptions(null, false, List.of(ping)),
                Log.NONE);
        assertTrue(report.ok(), report.summary());
        Verifier.Check probe = report.checks().get(report.checks().size() - 1);
        assertEquals("probe", probe.kind());
        assertEquals("exit 0: pong", probe.detail());
        assertEquals(List.of("c0 app ping"), execCalls);
    }

    @Test
    void aRequiredBackupAgeIsRefusedOnASwarmInOneLine() {
        String msg = assertThrows(ConfigException.class, () -> TARGET.verify(engine, stack("rel-1"),
                new VerifyOptions(null, false, List.of(), List.of(), Duration.ofDays(1)), Log.NONE)).getMessage();
        assertTrue(msg.startsWith("parameter backupMaxAge (sancho.backupMaxAge): a swarm has no backups")
                && !msg.contains("\n"), msg);
    }

    @Test
    void anHttpProbeThatFindsNothingFailsVerifyOnASwarm() throws Exception {
        TARGET.deploy(engine, request("rel-1", List.of()), Log.NONE);
        VerifyOptions.Probe http = new VerifyOptions.HttpProbe("health", closedPort(), "/", 200, Duration.ofSeconds(2));
        Verifier.Report report = TARGET.verify(engine, stack("rel-1"), new VerifyOptions("rel-1", false,
                List.of(http)), Log.NONE);
        assertFalse(report.ok());
        assertTrue(report.summary().contains("health"), report.summary());
    }

    /** Before: DeployMojo.runOnSwarm dropped each of these without a word. */
    @Test
    void eachParameterTheSwarmCannotHonourIsRefusedInOneLineNamingItBeforeAnythingChanges() {
        DeployRun.Steps noBuild = new DeployRun.Steps(false, true, true, true);
        Map<String, DeployRun.Request> cases = new LinkedHashMap<>();
        cases.put("sancho.minReadySeconds", request("rel-1", DeployRun.Steps.ALL, Duration.ofSeconds(10),
                ProxyWaits.DEFAULT, List.of(), List.of(), false));
        cases.put("sancho.proxy", request("rel-1", DeployRun.Steps.ALL, ProxyWaits.DEFAULT_MIN_READY,
                new ProxyWaits(ProxyWaits.Proxy.LABELS, Duration.ofSeconds(2), Duration.ofSeconds(2)), List.of(),
                List.of(), false));
        cases.put("sancho.proxyResolveInterval", request("rel-1", DeployRun.Steps.ALL, ProxyWaits.DEFAULT_MIN_READY,
                new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(6), Duration.ofSeconds(2)), List.of(),
                List.of(), false));
        cases.put("sancho.drainSeconds", request("rel-1", DeployRun.Steps.ALL, ProxyWaits.DEFAULT_MIN_READY,
                new ProxyWaits(ProxyWaits.Proxy.DNS, Duration.ofSeconds(2), Duration.ofSeconds(30)), List.of(),
                List.of(), false));
        cases.put("sancho.skipBuild", request("rel-1", noBuild, ProxyWaits.DEFAULT_MIN_READY, ProxyWaits.DEFAULT,
                List.of(), List.of(), false));
        cases.put("sancho.createExternalVolumes", request("rel-1", DeployRun.Steps.ALL, ProxyWaits.DEFAULT_MIN_READY,
                ProxyWaits.DEFAULT, List.of(), List.of(), true));
        cases.forEach((parameter, request) -> {
            String msg = assertThrows(ConfigException.class, () -> TARGET.deploy(engine, request, Log.NONE))
                    .getMessage();
            assertTrue(msg.contains("(" + parameter + ")") && msg.contains("nothing was changed")
                    && !msg.contains("\n"), parameter + ": " + msg);
        });
        assertEquals(List.of(), swarm.createdServices);
        assertEquals(Set.of(), swarm.configs.keySet());
    }

    /** Before: the pom's volumes were dropped on a swarm; now they are made on the manager, as ensure-volume does. */
    @Test
    void thePomsVolumesAreEnsuredOnTheManager() {
        assertTrue(engine.findVolume("shop_uploads").isEmpty());
        TARGET.deploy(engine, request("rel-1", DeployRun.Steps.ALL, ProxyWaits.DEFAULT_MIN_READY, ProxyWaits.DEFAULT,
                List.of("shop_uploads"), List.of(), false), Log.NONE);
        assertTrue(engine.findVolume("shop_uploads").isPresent());
    }

    /** Before: sancho:rollback without a deploy named looked up "deploy null" on a swarm and failed. */
    @Test
    void rollbackWithoutADeployNamedGoesBackToTheNewestKeptDeployBeforeTheCurrentOne() {
        TARGET.deploy(engine, request("rel-2", List.of()), Log.NONE);
        SwarmInfos.Config current = swarm.configs.get("sancho-deploy-shop-rel-2");
        Map<String, String> labels = new LinkedHashMap<>(current.labels());
        labels.put("sancho.deploy-id", "rel-1");
        swarm.configs.put("sancho-deploy-shop-rel-1", new SwarmInfos.Config("cfg-old", "sancho-deploy-shop-rel-1",
                labels, current.createdAt().minusSeconds(3600),
                new String(current.data()).replace("rel-2", "rel-1").getBytes()));
        TARGET.rollback(engine, stack("rel-3"), new Rollback.Options(null, false, HEALTH, ProxyWaits.DEFAULT_MIN_READY,
                Duration.ofSeconds(2)), LOCK, Log.NONE);
        assertEquals(Set.of("shop_backend"), swarm.jsonUpdates.keySet());
        assertEquals("rel-1", swarm.findService("shop_backend").orElseThrow().deployId());
    }

    /**
     * Before: the newest record "other than the current" after a rollback was the deploy just left (a rollback
     * renews its record), so a second rollback went forward again instead of walking back, as on one engine.
     */
    @Test
    void aRepeatedRollbackWalksBack() {
        TARGET.deploy(engine, request("rel-3", List.of()), Log.NONE);
        SwarmInfos.Config current = swarm.configs.get("sancho-deploy-shop-rel-3");
        for (int age = 1; age <= 2; age++) {
            String id = "rel-" + (3 - age);
            Instant at = current.createdAt().minusSeconds(3600L * age);
            Map<String, String> labels = new LinkedHashMap<>(current.labels());
            labels.put("sancho.deploy-id", id);
            labels.put("sancho.deployed-at", at.toString());
            swarm.configs.put("sancho-deploy-shop-" + id, new SwarmInfos.Config("cfg-" + id,
                    "sancho-deploy-shop-" + id, labels, at,
                    new String(current.data()).replace("rel-3", id).getBytes()));
        }
        Rollback.Options back = new Rollback.Options(null, false, HEALTH, ProxyWaits.DEFAULT_MIN_READY,
                Duration.ofSeconds(2));
        assertEquals(new Rollback.Result("rel-3", "rel-2"), TARGET.rollback(engine, stack("x"), back, LOCK, Log.NONE));
        assertEquals("rel-2", swarm.findService("shop_backend").orElseThrow().deployId());
        assertEquals(new Rollback.Result("rel-2", "rel-1"), TARGET.rollback(engine, stack("x"), back, LOCK, Log.NONE));
        assertEquals("rel-1", swarm.findService("shop_backend").orElseThrow().deployId());
        String msg = assertThrows(CheckFailedException.class, () -> TARGET.rollback(engine, stack("x"), back, LOCK,
                Log.NONE)).getMessage();
        assertTrue(msg.startsWith("no earlier deploy of project shop"), msg);
    }

    /**
     * Before: the rollback took the swarm lock without the project's identity, so a deploy of this very project
     * holding it was taken for "another project of the same name" instead of being waited for.
     */
    @Test
    void aRollbackWaitsForALockOfItsOwnProjectAndTakesItWithItsIdentity() {
        String identity = "com.acme:shop:compose.yml";
        Stack own = StackResolver.resolve(Fixtures.inline(dir, STACK), new StackConfig("shop", "shop", "x",
                Set.of("db"), null, true, identity));
        Map<String, String> labels = new LinkedHashMap<>(Map.of("sancho.project", "shop", "sancho.role", "lock",
                "sancho.lock.holder", "ci", "sancho.lock.host", "elsewhere", "sancho.lock.pid", "1",
                "sancho.lock.since", Instant.now().toString(), "sancho.identity", identity));
        Rollback.Options to = new Rollback.Options("rel-1", false, HEALTH, ProxyWaits.DEFAULT_MIN_READY,
                Duration.ofSeconds(2));
        TARGET.deploy(engine, request("rel-1", List.of()), Log.NONE);
        swarm.createConfig("sancho-lock-shop", labels, new byte[] {1});
        CheckFailedException busy = assertThrows(CheckFailedException.class, () -> TARGET.rollback(engine, own, to,
                LOCK, Log.NONE));
        assertTrue(busy.getMessage().contains("held by"), busy.getMessage());
        swarm.configs.remove("sancho-lock-shop");
        TARGET.rollback(engine, own, to, LOCK, Log.NONE);
        assertEquals("rel-1", swarm.findService("shop_backend").orElseThrow().deployId());
    }

    /** Before: recover on a swarm took allowEmptyCertificates (issue 27) and dropped it without a word. */
    @Test
    void recoverRefusesAllowEmptyCertificatesInOneLineChangingNothing() {
        Recovery.Options options = new Recovery.Options(false, false, HEALTH, ProxyWaits.DEFAULT_MIN_READY, List.of(),
                true);
        ConfigException e = assertThrows(ConfigException.class, () -> TARGET.recover(engine, stack("rel-1"), options,
                Log.NONE));
        assertTrue(e.getMessage().startsWith("parameter allowEmptyCertificates (sancho.allowEmptyCertificates): on a"
                + " swarm"), e.getMessage());
        assertEquals(List.of(), swarm.createdServices);
    }

    /** Before: the port's unlock dropped the build's identity on a swarm, so another project's lock was released. */
    @Test
    void unlockOnASwarmKeepsALockOfAnotherIdentity() {
        Map<String, String> labels = new LinkedHashMap<>(Map.of("sancho.project", "shop", "sancho.role", "lock",
                "sancho.lock.holder", "ci", "sancho.lock.host", "elsewhere", "sancho.lock.pid", "1",
                "sancho.lock.since", Instant.now().toString(), "sancho.identity", "org.other:shop:compose.yml"));
        swarm.createConfig("sancho-lock-shop", labels, new byte[] {1});
        assertThrows(ConfigException.class, () -> TARGET.unlock(engine, "shop", "com.acme:shop:compose.yml"));
        assertTrue(swarm.configs.containsKey("sancho-lock-shop"));
    }

    @Test
    void rollbackWithNothingEarlierKeptSaysSoInOneLine() {
        TARGET.deploy(engine, request("rel-1", List.of()), Log.NONE);
        String msg = assertThrows(CheckFailedException.class, () -> TARGET.rollback(engine, stack("rel-9"),
                new Rollback.Options(null, false, HEALTH, ProxyWaits.DEFAULT_MIN_READY, Duration.ofSeconds(2)), LOCK,
                Log.NONE)).getMessage();
        assertEquals("no earlier deploy of project shop is kept in the swarm to roll back to (kept: rel-1; current:"
                + " rel-1)", msg);
    }

    @Test
    void theGoalsWithNothingToDoOnASwarmAreRefusedNamingTheGoal() {
        for (String goal : List.of("build", "push", "pre-deploy-cleanup")) {
            String msg = assertThrows(ConfigException.class, () -> TARGET.requireGoal(goal)).getMessage();
            assertTrue(msg.startsWith("sancho:" + goal + " does not support <target>swarm</target>"), msg);
        }
        for (String goal : List.of("deploy", "verify", "status", "rollback", "recover", "unlock", "ensure-volume",
                "history", "logs")) {
            TARGET.requireGoal(goal);
        }
    }

    /**
     * Before: an adopted infrastructure service was not waited for, so a deploy whose proxy had no running task
     * (every one rejected) said "deploy rel-2 is live on the swarm" while nothing served.
     */
    @Test
    void aDeployNeverGoesLiveWhileAnAdoptedInfrastructureServiceHasNoRunningTask() {
        var db = new SwarmInfos.Service("dbid", "shop_db", 3, Map.of("sancho.project", "shop"), "postgres:15", 1,
                null, null, null, List.of(), List.of("shop_pgdata"));
        swarm.scripts.put("shop_db", List.of(new FakeSwarm.Step(db, List.of(new SwarmInfos.Task("t1", "dbid", "n1", 1,
                "pending", "running", "pending", null, null, null, "postgres:15", null)))));
        String msg = assertThrows(CheckFailedException.class, () -> TARGET.deploy(engine, request("rel-2", List.of()),
                Log.NONE)).getMessage();
        assertTrue(msg.contains("service shop_db: 0/1 task running"), msg);
        assertFalse(swarm.scripts.containsKey("shop_backend"), "the application was deployed: " + msg);
    }

    /**
     * Before: the proxy's ./letsencrypt was made nowhere on a swarm, and the swarm rejected every proxy task
     * ("bind source path does not exist"). Now a one-shot service with the proxy's image and placement creates the
     * directory (0750) and acme.json (0600) on the pinned node, then is removed.
     */
    @Test
    void theProxysLetsencryptDirectoryAndStoreAreCreatedOnItsPinnedNodeBeforeTheProxy() {
        String yaml = """
                services:
                  proxy:
                    image: traefik:v2.11
                    container_name: shop_traefik
                    command: ["--certificatesresolvers.le.acme.storage=/letsencrypt/acme.json"]
                    volumes:
                      - ./letsencrypt:/letsencrypt
                    deploy:
                      placement:
                        constraints: ["node.hostname==host1"]
                  backend:
                    image: shop/app:1
                """;
        Stack stack = StackResolver.resolve(Fixtures.inline(dir, yaml), new StackConfig("shop", "shop", "rel-1",
                Set.of("proxy"), null, true));
        DeployOptions options = new DeployOptions(2, HEALTH, ProxyWaits.DEFAULT_MIN_READY, ProxyWaits.DEFAULT.maxDrain(),
                Instant.now(), Set.of());
        TARGET.deploy(engine, new DeployRun.Request(stack, DeployRun.Steps.ALL, options, LOCK, List.of(), Map.of(),
                List.of(), List.of(), false, ProxyWaits.DEFAULT, false, false), Log.NONE);

        SwarmServiceSpec helper = swarm.createdServices.get(0);
        assertEquals("sancho-bindsrc-shop-proxy", helper.name());
        assertEquals("traefik:v2.11", helper.image());
        assertEquals(List.of("node.hostname==host1"), helper.constraints());
        assertEquals(List.of(new SwarmServiceSpec.Mount("bind", "/", "/host", false)), helper.mounts());
        assertEquals("none", helper.restart().condition());
        String le = dir.toAbsolutePath().normalize().resolve("letsencrypt").toString();
        assertEquals(List.of("sh", "-c", "set -e; [ -e '/host" + le + "' ] || { mkdir -p '/host" + le
                + "' && chmod 0750 '/host" + le + "'; }; [ -e '/host" + le + "/acme.json' ] || { [ -e '/host" + le
                + "' ] || { mkdir -p '/host" + le + "' && chmod 0750 '/host" + le + "'; }; (umask 077 && : > '/host"
                + le + "/acme.json') && chmod 0600 '/host" + le + "/acme.json'; }"), helper.command());
        assertEquals(List.of("svc1"), swarm.removedServices);
        assertEquals("shop_traefik", swarm.createdServices.get(1).name()); // the proxy after its sources
    }
}
