package dev.sancho.maven.swarm;

import dev.sancho.maven.core.DeployLock;
import dev.sancho.maven.core.LockOptions;
import dev.sancho.maven.core.VirtualTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.SwarmInfos;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The swarm deploy lock against a fake swarm whose config store behaves like the raft store in the one way that
 * matters: creating a config whose name exists fails. Taking, waiting out, breaking stale locks, releasing.
 */
class SwarmLockTest {
    private static final LockOptions NO_WAIT = new LockOptions(Duration.ZERO, Duration.ofMinutes(30));

    @RegisterExtension
    final VirtualTime time = new VirtualTime();

    static final class Recorded implements Log {
        final List<String> warnings = new ArrayList<>();

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {
            warnings.add(message);
        }

        @Override
        public void debug(String message) {}
    }

    private static Map<String, String> lockLabels(String project, String host, String pid, Instant since) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("sancho.project", project);
        l.put("sancho.role", "lock");
        l.put("sancho.lock.holder", "ci");
        l.put("sancho.lock.host", host);
        l.put("sancho.lock.pid", pid);
        l.put("sancho.lock.since", since.toString());
        return l;
    }

    @Test
    void theLockIsOneConfigNamedForTheProjectHoldingItsHolderAndGoneAfterClose() {
        FakeSwarm swarm = new FakeSwarm();
        try (SwarmLock held = SwarmLock.acquire(swarm, "shop", NO_WAIT, Log.NONE)) {
            SwarmInfos.Config c = swarm.configs.get("sancho-lock-shop");
            assertEquals("shop", c.labels().get("sancho.project"));
            assertEquals("lock", c.labels().get("sancho.role"));
            assertEquals(String.valueOf(ProcessHandle.current().pid()), c.labels().get("sancho.lock.pid"));
            assertTrue(new String(c.data(), StandardCharsets.UTF_8).contains(" pid " + ProcessHandle.current().pid()));
            assertEquals(ProcessHandle.current().pid(), SwarmLock.holder(swarm, "shop").orElseThrow().pid());
        }
        assertEquals(Map.of(), swarm.configs);
    }

    @Test
    void aSecondDeployOfTheSameProjectWaitsThenFailsNamingTheHolder() {
        FakeSwarm swarm = new FakeSwarm();
        try (SwarmLock first = SwarmLock.acquire(swarm, "shop", NO_WAIT, Log.NONE)) {
            String msg = assertThrows(CheckFailedException.class,
                    () -> SwarmLock.acquire(swarm, "shop", NO_WAIT, Log.NONE)).getMessage();
            assertTrue(msg.startsWith("the swarm deploy lock of project shop (config sancho-lock-shop) is held by "),
                    msg);
            assertTrue(msg.endsWith("; waited 0 s (sancho.lockTimeout)"), msg);
            // another project has its own lock
            try (SwarmLock other = SwarmLock.acquire(swarm, "blog", NO_WAIT, Log.NONE)) {
                assertEquals(2, swarm.configs.size());
            }
        }
    }

    @Test
    void aSecondDeployWaitsUpToTheLockTimeoutAndTakesTheLockOnceReleased() {
        FakeSwarm swarm = new FakeSwarm();
        SwarmLock first = SwarmLock.acquire(swarm, "shop", NO_WAIT, Log.NONE);
        LockOptions wait = new LockOptions(Duration.ofSeconds(10), Duration.ofMinutes(30));
        assertThrows(CheckFailedException.class, () -> SwarmLock.acquire(swarm, "shop", wait, Log.NONE));
        assertTrue(time.elapsed().compareTo(Duration.ofSeconds(10)) >= 0, time.elapsed().toString());
        // the holder finishes while the next one waits: it takes the lock then
        swarm.finds = 0;
        swarm.onFind = n -> {
            if (n == 3) {
                first.close();
            }
        };
        try (SwarmLock second = SwarmLock.acquire(swarm, "shop", wait, Log.NONE)) {
            assertEquals(1, swarm.configs.size());
        }
    }

    @Test
    void aLockOlderThanStaleLockAfterIsBrokenWithAWarning() {
        FakeSwarm swarm = new FakeSwarm();
        swarm.createConfig("sancho-lock-shop", lockLabels("shop", "elsewhere", "1", Instant.now().minusSeconds(3600)),
                new byte[] {1});
        Recorded log = new Recorded();
        try (SwarmLock held = SwarmLock.acquire(swarm, "shop", NO_WAIT, log)) {
            assertEquals(1, log.warnings.size());
            assertTrue(log.warnings.get(0).contains("older than 30 min (sancho.staleLockAfter)"), log.warnings.get(0));
            assertEquals("cfg2", swarm.configs.get("sancho-lock-shop").id());
        }
    }

    @Test
    void aRecentLockOfAPidThisProcessCannotSeeOnThisHostIsNotBroken() {
        // same host name, another PID namespace (a CI job in a container with host networking): it may well live
        FakeSwarm swarm = new FakeSwarm();
        long unseen = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000;
        swarm.createConfig("sancho-lock-shop", lockLabels("shop", DeployLock.thisHost(), String.valueOf(unseen),
                Instant.now()), new byte[] {1});
        assertThrows(CheckFailedException.class, () -> SwarmLock.acquire(swarm, "shop", NO_WAIT, Log.NONE));
        assertEquals("cfg1", swarm.configs.get("sancho-lock-shop").id());
    }

    @Test
    void aLockOfAnotherIdentityOfTheSameNameIsRefusedNotWaitedFor() {
        FakeSwarm swarm = new FakeSwarm();
        Map<String, String> labels = lockLabels("shop", "elsewhere", "1", Instant.now());
        labels.put("sancho.identity", "org.other:shop:compose.yml");
        swarm.createConfig("sancho-lock-shop", labels, new byte[] {1});
        ConfigException e = assertThrows(ConfigException.class, () -> SwarmLock.acquire(swarm, "shop",
                "com.acme:shop:compose.yml", new LockOptions(Duration.ofMinutes(5), Duration.ofMinutes(30)), Log.NONE));
        assertTrue(e.getMessage().contains("held by a deploy of another project of the same name"), e.getMessage());
        assertEquals(Duration.ZERO, time.elapsed());
    }

    @Test
    void aRecentLockOfAnotherHostIsNotBroken() {
        FakeSwarm swarm = new FakeSwarm();
        swarm.createConfig("sancho-lock-shop", lockLabels("shop", "elsewhere", "1", Instant.now()), new byte[] {1});
        assertThrows(CheckFailedException.class, () -> SwarmLock.acquire(swarm, "shop", NO_WAIT, Log.NONE));
        assertEquals("cfg1", swarm.configs.get("sancho-lock-shop").id());
    }

    /** Before: sancho:unlock on a swarm released a lock of another project of the same name (issue 22's rule). */
    @Test
    void unlockWithTheBuildsIdentityRefusesALockOfAnotherIdentityUntouched() {
        FakeSwarm swarm = new FakeSwarm();
        Map<String, String> labels = lockLabels("shop", "elsewhere", "1", Instant.now());
        labels.put("sancho.identity", "org.other:shop:compose.yml");
        swarm.createConfig("sancho-lock-shop", labels, new byte[] {1});
        ConfigException e = assertThrows(ConfigException.class, () -> SwarmLock.forceRelease(swarm, "shop",
                "com.acme:shop:compose.yml"));
        assertTrue(e.getMessage().contains("held by a deploy of another project of the same name"), e.getMessage());
        assertEquals(Set.of("sancho-lock-shop"), swarm.configs.keySet());
        // its own identity, or only the project's name given: released
        assertEquals(1L, SwarmLock.forceRelease(swarm, "shop", "org.other:shop:compose.yml").orElseThrow().pid());
        assertEquals(Map.of(), swarm.configs);
    }

    @Test
    void unlockReleasesWhoeverHoldsItAndSaysWho() {
        FakeSwarm swarm = new FakeSwarm();
        swarm.createConfig("sancho-lock-shop", lockLabels("shop", "elsewhere", "4711", Instant.now()), new byte[] {1});
        assertEquals(4711L, SwarmLock.forceRelease(swarm, "shop").orElseThrow().pid());
        assertEquals(Map.of(), swarm.configs);
        assertEquals(Optional.empty(), SwarmLock.forceRelease(swarm, "shop"));
    }

    @Test
    void aConfigOfThatNameThatIsNoSanchoLockIsNeverRemoved() {
        FakeSwarm swarm = new FakeSwarm();
        swarm.createConfig("sancho-lock-shop", Map.of("owner", "someone"), new byte[] {1});
        String msg = assertThrows(ConfigException.class, () -> SwarmLock.forceRelease(swarm, "shop")).getMessage();
        assertEquals("swarm config sancho-lock-shop exists but is not a sancho deploy lock of project shop: sancho"
                + " will not remove it", msg);
        assertEquals(1, swarm.configs.size());
    }
}
