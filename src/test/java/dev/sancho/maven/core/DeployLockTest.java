package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeployLockTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    static final String LOCK = "sancho_sancho_lock";
    FakeDockerEngine engine;
    List<String> warnings = new ArrayList<>();
    Log log = new Log() {
        public void info(String m) {}

        public void warn(String m) {
            warnings.add(m);
        }

        public void debug(String m) {}
    };

    @BeforeEach
    void engine() {
        engine = new FakeDockerEngine();
        engine.addImage("sancho-it/app:1");
    }

    void foreignLock(String host, long pid, Instant since) {
        Map<String, String> labels = new HashMap<>();
        labels.put(Labels.PROJECT, "sancho");
        labels.put(Labels.ROLE, Labels.ROLE_LOCK);
        labels.put(Labels.LOCK_HOLDER, "ana");
        labels.put(Labels.LOCK_HOST, host);
        labels.put(Labels.LOCK_PID, String.valueOf(pid));
        labels.put(Labels.LOCK_SINCE, since.toString());
        engine.add(LOCK, "sancho-it/app:1", "created", labels);
    }

    DeployLock acquire(Duration timeout) {
        return DeployLock.acquire(engine, "sancho", "sancho-it/app:1", timeout, Duration.ofMinutes(30), log);
    }

    @Test
    void aLockFromAnImageWithVolumesCoversThemWithTmpfsSoNoAnonymousVolumeIsLeftBehind() {
        engine.images.put("sancho-it/postgres:15", new dev.sancho.maven.docker.ImageInfo("sha256:pg",
                List.of("sancho-it/postgres:15"), java.util.Map.of(), List.of("/var/lib/postgresql/data")));
        try (DeployLock lock = DeployLock.acquire(engine, "sancho", "sancho-it/postgres:15", Duration.ZERO,
                Duration.ofMinutes(30), log)) {
            String id = engine.findContainer(LOCK).orElseThrow().id();
            assertEquals(List.of(new dev.sancho.maven.docker.ContainerSpec.Mount("tmpfs", null,
                    "/var/lib/postgresql/data", false)), engine.specs.get(id).mounts());
        }
    }

    @Test
    void takenAndReleasedOnClose() {
        try (DeployLock lock = acquire(Duration.ZERO)) {
            assertTrue(engine.findContainer(LOCK).isPresent());
            assertEquals("created", engine.findContainer(LOCK).orElseThrow().state(), "never started");
            assertEquals(String.valueOf(ProcessHandle.current().pid()),
                    engine.findContainer(LOCK).orElseThrow().label(Labels.LOCK_PID));
        }
        assertTrue(engine.findContainer(LOCK).isEmpty());
    }

    @Test
    void aLiveHolderMakesTheSecondDeployFailNamingIt() {
        foreignLock("build-agent-7", 4242, Instant.now());
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> acquire(Duration.ofMillis(600)));
        assertTrue(time.elapsed().compareTo(Duration.ofMillis(600)) > 0, "waited out the lock timeout: " + time.elapsed());
        assertTrue(e.getMessage().contains("held by ana@build-agent-7 pid 4242 since"), e.getMessage());
        assertTrue(e.getMessage().contains("mvn sancho:unlock"), e.getMessage());
        assertTrue(engine.findContainer(LOCK).isPresent(), "a live lock is never broken");
    }

    @Test
    void aLockOlderThanStaleLockAfterIsBrokenWithAWarning() {
        foreignLock("build-agent-7", 4242, Instant.now().minus(Duration.ofHours(2)));
        try (DeployLock lock = acquire(Duration.ZERO)) {
            assertEquals(String.valueOf(ProcessHandle.current().pid()),
                    engine.findContainer(LOCK).orElseThrow().label(Labels.LOCK_PID));
        }
        assertTrue(warnings.get(0).contains("older than 30 min"), warnings::toString);
    }

    @Test
    void aLockWhoseProcessIsGoneOnThisHostIsBroken() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        foreignLock(DeployLock.thisHost(), p.pid(), Instant.now());
        try (DeployLock lock = acquire(Duration.ZERO)) {
            assertTrue(warnings.get(0).contains("process " + p.pid() + " on this host is gone"), warnings::toString);
        }
    }

    @Test
    void aContainerWithTheLockNameButNotOurLabelsIsNeverRemoved() {
        engine.add(LOCK, "sancho-it/app:1", "running", Map.of());
        assertThrows(ConfigException.class, () -> acquire(Duration.ZERO));
        assertThrows(ConfigException.class, () -> DeployLock.forceRelease(engine, "sancho"));
        assertTrue(engine.findContainer(LOCK).isPresent());
    }

    @Test
    void unlockSaysWhoHeldIt() {
        foreignLock("build-agent-7", 4242, Instant.now());
        DeployLock.Holder h = DeployLock.forceRelease(engine, "sancho").orElseThrow();
        assertEquals("ana", h.user());
        assertTrue(engine.findContainer(LOCK).isEmpty());
        assertTrue(DeployLock.forceRelease(engine, "sancho").isEmpty());
    }
}
