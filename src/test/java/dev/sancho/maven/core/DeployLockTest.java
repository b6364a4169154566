package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.NameConflictException;
import dev.sancho.maven.plan.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deploy lock's liveness: a lock whose process runs has a live holder, whatever its host name, PID namespace,
 * clock or age; a lock whose process ended is taken over at once, with one line saying why (issue 22).
 */
class DeployLockTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    static final String LOCK = "sancho_sancho_lock";
    static final String ID = "com.acme:sancho:compose.yml";
    FakeDockerEngine engine;
    List<String> warnings = new ArrayList<>();
    List<String> infos = new ArrayList<>();
    Log log = new Log() {
        public void info(String m) {
            infos.add(m);
        }

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

    /** A lock another deploy holds: its labels, in the given state (exit code for exited). */
    ContainerInfo otherLock(String state, Integer exitCode, boolean liveness, String host, long pid, Instant since) {
        Map<String, String> labels = new HashMap<>();
        labels.put(Labels.PROJECT, "sancho");
        labels.put(Labels.IDENTITY, ID);
        labels.put(Labels.ROLE, Labels.ROLE_LOCK);
        labels.put(Labels.LOCK_HOLDER, "ana");
        labels.put(Labels.LOCK_HOST, host);
        labels.put(Labels.LOCK_PID, String.valueOf(pid));
        labels.put(Labels.LOCK_SINCE, since.toString());
        if (liveness) {
            labels.put(Labels.LOCK_LIVENESS, DeployLock.LIVENESS_STDIN);
        }
        ContainerInfo c = engine.add(LOCK, "sancho-lock:x", state, labels);
        if (exitCode != null) {
            engine.containers.put(c.id(), new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), state, null,
                    exitCode, c.labels(), c.created(), c.mounts(), c.networkAliases()));
        }
        return engine.containers.get(c.id());
    }

    DeployLock acquire(Duration timeout) {
        return DeployLock.acquire(engine, "sancho", ID, new LockOptions(timeout, Duration.ofMinutes(30)),
                () -> Optional.of("sancho-it/app:1"), log);
    }

    @Test
    void theLockRunsTheLockProgramAttachedToItsHolderAndIsGoneAfterClose() {
        try (DeployLock lock = acquire(Duration.ZERO)) {
            ContainerInfo c = engine.findContainer(LOCK).orElseThrow();
            assertEquals("running", c.state());
            assertEquals(DeployLock.LIVENESS_STDIN, c.label(Labels.LOCK_LIVENESS));
            assertEquals(ID, c.label(Labels.IDENTITY));
            assertEquals(String.valueOf(ProcessHandle.current().pid()), c.label(Labels.LOCK_PID));
            ContainerSpec spec = engine.specs.get(c.id());
            assertTrue(spec.image().startsWith("sancho-lock:"), spec.image());
            assertEquals(Boolean.TRUE, spec.options().stdinOnce());
            assertEquals(Boolean.TRUE, spec.options().openStdin());
            assertEquals("none", spec.options().networkMode());
            // attached before it started: the process never runs without its holder's connection
            List<String> order = engine.calls.stream().filter(x -> x.endsWith(LOCK)).toList();
            assertEquals(List.of("create " + LOCK, "attach " + LOCK, "start " + LOCK), order);
            lock.requireHeld();
        }
        assertTrue(engine.findContainer(LOCK).isEmpty());
        assertTrue(engine.attached.values().iterator().next().ended());
    }

    @Test
    void theLockImageIsBuiltOnceOnTheEngineFromScratchWithNoRegistry() throws Exception {
        acquire(Duration.ZERO).close();
        acquire(Duration.ZERO).close();
        assertEquals(1, engine.builds.size());
        var build = engine.builds.get(0);
        assertTrue(build.tags().get(0).startsWith("sancho-lock:"), build.tags().toString());
        assertEquals(List.of(), engine.pulls);
        assertTrue(infos.get(0).startsWith("Built the deploy lock's image sancho-lock:"), infos.toString());
    }

    @Test
    void aRunningLockIsNeverBrokenWhateverItsHostPidClockOrAge() {
        // the holder: same host name as this process (--network host), a pid this process cannot see (its own PID
        // namespace), a clock 2 h ahead, and a deploy running for 45 min by the engine's clock
        otherLock("running", null, true, DeployLock.thisHost(), 999_999_999L, Instant.now().plus(Duration.ofHours(2)));
        engine.advanceClock(Duration.ofMinutes(45));
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> acquire(Duration.ofSeconds(3)));
        assertTrue(time.elapsed().compareTo(Duration.ofSeconds(3)) > 0, "waited out the lock timeout: " + time.elapsed());
        assertTrue(e.getMessage().startsWith("the deploy lock of project sancho is held by ana@"
                + DeployLock.thisHost() + " pid 999999999 since "), e.getMessage());
        assertTrue(e.getMessage().contains(" (2700 s ago), which is still running; waited 3 s"), e.getMessage());
        assertEquals(List.of(), warnings);
        assertEquals("running", engine.findContainer(LOCK).orElseThrow().state());
        assertTrue(infos.stream().anyMatch(i -> i.startsWith("Waiting up to 3 s for the deploy lock held by ana@")));
    }

    @Test
    void aLockWhoseHolderWasKilledIsTakenOverAtOnceWithOneLine() {
        otherLock("exited", 0, true, "ci-runner-7", 42, Instant.now());
        try (DeployLock lock = acquire(Duration.ZERO)) {
            assertEquals(String.valueOf(ProcessHandle.current().pid()),
                    engine.findContainer(LOCK).orElseThrow().label(Labels.LOCK_PID));
        }
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).startsWith("Taking over the deploy lock of project sancho: its holder "
                + "ana@ci-runner-7 pid 42 since "), warnings.get(0));
        assertTrue(warnings.get(0).endsWith(" is gone (its connection to the engine closed without a release: the"
                + " build was killed, or its connection dropped)"), warnings.get(0));
        assertEquals(Duration.ZERO, time.elapsed());
    }

    @Test
    void aHolderThatWentSilentOrWhoseLockWasStoppedIsGoneToo() {
        otherLock("exited", 2, true, "ci-runner-7", 42, Instant.now());
        acquire(Duration.ZERO).close();
        assertTrue(warnings.get(0).contains("(no heartbeat for " + LockProgram.SILENCE_SECONDS + " s: its machine"),
                warnings.get(0));
        otherLock("exited", 137, true, "ci-runner-7", 42, Instant.now());
        acquire(Duration.ZERO).close();
        assertTrue(warnings.get(1).contains("exit code 137: an engine restart, or docker stop/kill"), warnings.get(1));
    }

    @Test
    void aLockCreatedButNeverStartedIsTheHolderDyingWhileTakingIt() {
        otherLock("created", null, true, "ci-runner-7", 42, Instant.now());
        // within the start grace it may be its holder between create and start: waited for
        assertThrows(CheckFailedException.class, () -> acquire(Duration.ofSeconds(5)));
        assertEquals(List.of(), warnings);
        // seen unstarted for longer: taken over
        try (DeployLock lock = acquire(Duration.ofSeconds(30))) {
            assertTrue(time.elapsed().compareTo(DeployLock.START_GRACE) > 0);
        }
        assertTrue(warnings.get(0).contains("created but not started within 10 s"), warnings.toString());
    }

    @Test
    void aLockOfAnEarlierVersionIsJudgedByItsAgeOnTheEnginesClock() {
        // never started, no liveness label; its holder's own clock (sancho.lock.since) is 2 h behind: not used
        ContainerInfo old = otherLock("created", null, false, "ci-runner-7", 42, Instant.now().minus(Duration.ofHours(2)));
        assertThrows(CheckFailedException.class, () -> acquire(Duration.ofSeconds(1)));
        assertTrue(engine.findContainer(LOCK).isPresent(), "5 minutes old by the engine's clock");
        engine.advanceClock(Duration.ofMinutes(31));
        acquire(Duration.ZERO).close();
        assertTrue(warnings.get(0).contains("older than 30 min by the engine's clock"), warnings.toString());
        assertTrue(engine.inspectContainer(old.id()).isEmpty());
    }

    @Test
    void aLockOfAnotherProjectOfTheSameNameIsRefusedNotWaitedFor() {
        Map<String, String> labels = new HashMap<>(otherLock("running", null, true, "h", 1, Instant.now()).labels());
        engine.containers.clear();
        labels.put(Labels.IDENTITY, "org.other:sancho:compose.yml");
        engine.add(LOCK, "sancho-lock:x", "running", labels);
        ConfigException e = assertThrows(ConfigException.class, () -> acquire(Duration.ofSeconds(60)));
        assertTrue(e.getMessage().contains("is held by a deploy of another project of the same name"), e.getMessage());
        assertEquals(Duration.ZERO, time.elapsed());
    }

    @Test
    void aNameTakenWithNoContainerIsRetriedWithAPauseUntilTheDeadline() {
        FakeDockerEngine stuck = new FakeDockerEngine() {
            int attempts;

            @Override
            public synchronized String createContainer(ContainerSpec spec) {
                if (spec.name().equals(LOCK)) {
                    attempts++;
                    calls.add("attempt " + attempts);
                    throw new NameConflictException(spec.name(), null);
                }
                return super.createContainer(spec);
            }
        };
        engine = stuck;
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> acquire(Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("refuses the name " + LOCK + " (409, taken) although no container has it"),
                e.getMessage());
        long attempts = stuck.calls.stream().filter(c -> c.startsWith("attempt ")).count();
        assertTrue(attempts >= 5 && attempts <= 12, "paced, not a tight loop: " + attempts + " attempts");
        assertTrue(time.elapsed().compareTo(Duration.ofSeconds(5)) > 0, time.elapsed()::toString);
    }

    @Test
    void aHolderWhoseConnectionDroppedFailsBeforeItStopsAnything() {
        DeployLock lock = acquire(Duration.ZERO);
        String id = engine.findContainer(LOCK).orElseThrow().id();
        engine.attached.get(id).close(); // the connection went: the engine closed its stdin, the process exited
        CheckFailedException e = assertThrows(CheckFailedException.class, lock::requireHeld);
        assertTrue(e.getMessage().startsWith("the deploy lock of project sancho was lost before the cutover ("),
                e.getMessage());
        lock.close();
        assertTrue(engine.findContainer(LOCK).isEmpty(), "released all the same");
    }

    @Test
    void onAnArchitectureWithoutALockProgramTheLockIsTheOldNeverStartedOneWithAWarning() {
        engine.arch = "s390x";
        try (DeployLock lock = acquire(Duration.ZERO)) {
            ContainerInfo c = engine.findContainer(LOCK).orElseThrow();
            assertEquals("created", c.state());
            assertEquals("sancho-it/app:1", c.image());
            assertEquals(null, c.label(Labels.LOCK_LIVENESS));
            lock.requireHeld();
        }
        assertTrue(warnings.get(0).contains("is s390x, for which sancho has no lock program"), warnings.toString());
        assertEquals(List.of(), engine.builds);
    }

    @Test
    void aLegacyLockFromAnImageWithVolumesCoversThemWithTmpfsSoNoAnonymousVolumeIsLeftBehind() {
        engine.arch = null;
        engine.images.put("sancho-it/postgres:15", new dev.sancho.maven.docker.ImageInfo("sha256:pg",
                List.of("sancho-it/postgres:15"), java.util.Map.of(), List.of("/var/lib/postgresql/data")));
        try (DeployLock lock = DeployLock.acquire(engine, "sancho", ID, new LockOptions(Duration.ZERO,
                Duration.ofMinutes(30)), () -> Optional.of("sancho-it/postgres:15"), log)) {
            String id = engine.findContainer(LOCK).orElseThrow().id();
            assertEquals(List.of(new ContainerSpec.Mount("tmpfs", null, "/var/lib/postgresql/data", false)),
                    engine.specs.get(id).mounts());
        }
    }

    @Test
    void aContainerWithTheLockNameButNotOurLabelsIsNeverRemoved() {
        engine.add(LOCK, "sancho-it/app:1", "running", Map.of());
        assertThrows(ConfigException.class, () -> acquire(Duration.ZERO));
        assertThrows(ConfigException.class, () -> DeployLock.forceRelease(engine, "sancho", ID));
        assertTrue(engine.findContainer(LOCK).isPresent());
    }

    @Test
    void unlockSaysWhoHeldItAndKeepsToItsIdentity() {
        otherLock("running", null, true, "build-agent-7", 4242, Instant.now());
        assertThrows(ConfigException.class, () -> DeployLock.forceRelease(engine, "sancho", "org.other:x:y"));
        DeployLock.Holder h = DeployLock.forceRelease(engine, "sancho", ID).orElseThrow();
        assertEquals("ana", h.user());
        assertTrue(engine.findContainer(LOCK).isEmpty());
        assertTrue(DeployLock.forceRelease(engine, "sancho", null).isEmpty());
        otherLock("running", null, true, "build-agent-7", 4242, Instant.now());
        assertFalse(DeployLock.forceRelease(engine, "sancho", null).isEmpty(), "by project name alone: any identity");
    }
}
