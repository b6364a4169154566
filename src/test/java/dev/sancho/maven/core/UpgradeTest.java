package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB;
import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static dev.sancho.maven.plan.SeedStack.SECRET;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Plan;
import dev.sancho.maven.plan.Planner;
import dev.sancho.maven.plan.SeedStack;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.Superseded;
import dev.sancho.maven.plan.UpgradePlanner;
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

/** sancho:upgrade on the in-memory engine: the runbook's database, upgraded, failed, reverted, confirmed, killed. */
class UpgradeTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    static final String NEW_IMAGE = "sancho-it/postgres:15-patched";
    static final String BAD_IMAGE = "sancho-it/postgres:never-healthy";
    static final LockOptions LOCK = new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30));

    @TempDir
    Path dir;
    SeedStack seed;
    Engine engine;
    final Fixtures.RecordingLog log = new Fixtures.RecordingLog();
    Instant clock = Instant.parse("2026-02-01T10:00:00Z");

    /** Healthy on start unless its image is {@link #BAD_IMAGE}; records the most db containers ever running at once. */
    static final class Engine extends FakeDockerEngine {
        int mostDbRunning;

        @Override
        public synchronized void startContainer(String id) {
            super.startContainer(id);
            ContainerInfo c = inspectContainer(id).orElseThrow();
            if (c.image().startsWith("sancho-it/postgres")) {
                containers.put(c.id(), new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), c.state(),
                        BAD_IMAGE.equals(c.image()) ? "unhealthy" : "healthy", c.exitCode(), c.labels(), c.created(),
                        c.mounts(), c.networkAliases()));
            }
            mostDbRunning = Math.max(mostDbRunning, (int) containers.values().stream()
                    .filter(x -> "db".equals(x.label(Labels.SERVICE)) && x.running()).count());
        }

        @Override
        public List<String> logTail(String id, int lines) {
            return List.of("FATAL: password=" + SECRET);
        }
    }

    @BeforeEach
    void firstDeploy() {
        seed = SeedStack.in(dir);
        engine = new Engine();
        List.of(DB_IMAGE, NEW_IMAGE, BAD_IMAGE, PROXY_IMAGE, "sancho-it/app:1").forEach(engine::addImage);
        engine.createVolume(VOLUME, null, Map.of(), Map.of());
        deploy(seed.stack("d1"));
    }

    private void deploy(Stack stack) {
        clock = clock.plusSeconds(60);
        Plan plan = Planner.plan(stack, StateReader.observe(engine, stack), new DeployOptions(2, Duration.ofSeconds(2),
                Duration.ZERO, Duration.ZERO, clock, Set.of()));
        Deployer.execute(engine, plan, SecretMask.of(stack), log);
    }

    private Upgrade.Result upgrade(String image, UpgradePlanner.Mode mode, boolean dryRun, String... services) {
        Stack stack = seed.withDbImage(image).stack("d1");
        return Upgrade.run(engine, stack, new Upgrade.Options(mode, List.of(services), dryRun, Duration.ofSeconds(5),
                Duration.ZERO, List.of(), null), LOCK, log);
    }

    private ContainerInfo db() {
        return engine.findContainer(DB).orElseThrow();
    }

    private List<ContainerInfo> kept() {
        return engine.containers.values().stream().filter(c -> c.name().startsWith(DB + Superseded.MARK)).toList();
    }

    @Test
    void anUpgradeReplacesTheDatabaseOnTheSameVolumeAndKeepsThePreviousOneStopped() {
        ContainerInfo old = db();
        engine.calls.clear();

        Upgrade.Result r = upgrade(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE, false);

        ContainerInfo now = db();
        assertNotEquals(old.id(), now.id());
        assertEquals(NEW_IMAGE, now.image());
        assertEquals("running", now.state());
        assertEquals(old.id(), now.label(Labels.SUPERSEDES));
        assertEquals(List.of(VOLUME), now.mounts().stream().map(ContainerInfo.MountInfo::source).toList());
        assertEquals(old.networkAliases(), now.networkAliases(), "the same networks and aliases");
        ContainerInfo aside = engine.inspectContainer(old.id()).orElseThrow();
        assertEquals(Superseded.name(DB, old.id()), aside.name());
        assertEquals("exited", aside.state());
        assertEquals("no", engine.restartPolicy(old.id()));
        assertEquals(1, engine.mostDbRunning, "never two database containers running");
        String rename = "rename " + DB + " " + aside.name();
        assertTrue(engine.calls.indexOf(rename) < engine.calls.indexOf("stop " + aside.name())
                && engine.calls.indexOf("stop " + aside.name()) < engine.calls.indexOf("create " + DB)
                && engine.calls.indexOf("create " + DB) < engine.calls.indexOf("start " + DB), engine.calls.toString());
        assertEquals(List.of("upgraded"), r.steps().stream().map(Upgrade.Outcome::outcome).toList());
        assertTrue(r.steps().get(0).summary().contains("image " + DB_IMAGE + " -> " + NEW_IMAGE), r.toString());
    }

    @Test
    void aDryRunPrintsThePlanAndChangesNothing() {
        engine.calls.clear();
        Upgrade.Result r = upgrade(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE, true);
        assertEquals(List.of(), engine.calls);
        assertEquals("planned", r.steps().get(0).outcome());
        assertTrue(log.lines.stream().anyMatch(l -> l.contains("rename   " + DB + " -> " + DB + "_pre_")), log.lines
                .toString());
        assertTrue(log.lines.contains("[dry-run] nothing was changed"));
    }

    @Test
    void anImageThatNeverBecomesHealthyIsRemovedAndThePreviousContainerServesAgainSameId() {
        ContainerInfo old = db();

        CheckFailedException e = assertThrows(CheckFailedException.class,
                () -> upgrade(BAD_IMAGE, UpgradePlanner.Mode.UPGRADE, false));

        assertTrue(e.getMessage().startsWith("upgrade of " + DB + " failed and was undone: " + DB + " is the previous"
                + " container again (id " + old.id() + ", image " + DB_IMAGE + "), running and ready on its data."
                + " What failed: " + DB + ": its healthcheck reports unhealthy"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), "the container's log is masked");
        ContainerInfo now = db();
        assertEquals(old.id(), now.id(), "the same container, on the same data");
        assertEquals("running", now.state());
        assertEquals("unless-stopped", engine.restartPolicy(old.id()), "its restart policy is back");
        assertEquals(List.of(), kept(), "the failed container is removed, nothing else is kept");
        assertEquals(1, engine.containers.values().stream().filter(c -> "db".equals(c.label(Labels.SERVICE))).count());
        assertEquals(1, engine.mostDbRunning);
    }

    @Test
    void revertGivesThePreviousContainerItsNameBackAndKeepsTheNewOne() {
        ContainerInfo old = db();
        upgrade(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE, false);
        ContainerInfo upgraded = db();

        Upgrade.Result r = upgrade(NEW_IMAGE, UpgradePlanner.Mode.REVERT, false);

        assertEquals("reverted", r.steps().get(0).outcome());
        assertEquals(old.id(), db().id());
        assertEquals("running", db().state());
        assertEquals(DB_IMAGE, db().image());
        ContainerInfo aside = engine.inspectContainer(upgraded.id()).orElseThrow();
        assertEquals(Superseded.name(DB, upgraded.id()), aside.name());
        assertEquals("exited", aside.state());
        assertEquals(1, engine.mostDbRunning);
    }

    @Test
    void confirmRemovesOnlyTheKeptContainerAndTheNextUpgradeReplacesIt() {
        ContainerInfo first = db();
        upgrade(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE, false);
        ContainerInfo second = db();
        upgrade(DB_IMAGE, UpgradePlanner.Mode.UPGRADE, false); // the next upgrade: the first one is over
        assertTrue(engine.inspectContainer(first.id()).isEmpty(), "kept until the next upgrade");
        assertEquals(List.of(second.id()), kept().stream().map(ContainerInfo::id).toList());

        Upgrade.Result r = upgrade(DB_IMAGE, UpgradePlanner.Mode.CONFIRM, false);

        assertEquals("confirmed", r.steps().get(0).outcome());
        assertEquals(List.of(), kept());
        assertEquals("running", db().state());
        assertTrue(engine.findVolume(VOLUME).isPresent());
    }

    @Test
    void withoutDriftThereIsNothingToUpgrade() {
        engine.calls.clear();
        Upgrade.Result r = upgrade(DB_IMAGE, UpgradePlanner.Mode.UPGRADE, false);
        assertEquals(List.of(), r.steps());
        assertTrue(r.notes().get(0).startsWith("nothing to upgrade"), r.notes().toString());
        assertEquals(List.of(), engine.calls, "not even the lock");
    }

    @Test
    void anApplicationServiceOrAnUnknownNameIsRefusedInOneLine() {
        ConfigException app = assertThrows(ConfigException.class,
                () -> upgrade(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE, false, "backend"));
        assertTrue(app.getMessage().startsWith("parameter services (sancho.services): backend is an application"
                + " service"), app.getMessage());
        ConfigException typo = assertThrows(ConfigException.class,
                () -> upgrade(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE, false, "dbb"));
        assertTrue(typo.getMessage().contains("no service dbb"), typo.getMessage());
    }

    /** Every moment a kill -9 can hit an upgrade: the forward actions done so far, then nothing more. */
    @Test
    void anUpgradeKilledAfterAnyStepIsRecognisedByTheNextDeployAndTheNextUpgrade() {
        List<String> forward = List.of("rename", "stop", "create", "start");
        for (int k = 0; k <= forward.size(); k++) {
            for (String next : List.of("deploy", "upgrade", "recover")) {
                firstDeploy();
                ContainerInfo old = db();
                Stack upgraded = seed.withDbImage(NEW_IMAGE).stack("d1");
                killedAfter(k, old, upgraded);
                switch (next) {
                    case "deploy" -> deploy(seed.withDbImage(NEW_IMAGE).stack("d2"));
                    case "upgrade" -> {
                        upgrade(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE, false);
                        upgrade(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE, false); // reinstated, then upgraded
                    }
                    case "recover" -> Recovery.recover(engine, upgraded, new Recovery.Options(false, false,
                            Duration.ofSeconds(5), Duration.ZERO), log);
                    default -> throw new AssertionError(next);
                }
                String at = "killed after " + k + " step(s), then " + next;
                ContainerInfo db = engine.findContainer(DB).orElseThrow(() -> new AssertionError(at + ": no " + DB));
                assertEquals("running", db.state(), at);
                assertEquals(1, engine.containers.values().stream().filter(c -> "db".equals(c.label(Labels.SERVICE))
                        && c.running()).count(), at + ": one database container runs");
                assertTrue(db.mounts().stream().anyMatch(m -> VOLUME.equals(m.source())), at + ": on its data");
                assertEquals(1, engine.mostDbRunning, at);
            }
        }
    }

    /** What a kill -9 after {@code k} forward actions leaves: done through the same executor, then abandoned. */
    private void killedAfter(int k, ContainerInfo old, Stack upgraded) {
        String aside = Superseded.name(DB, old.id());
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> engine.renameContainer(old.id(), aside));
        steps.add(() -> {
            engine.updateRestartPolicy(old.id(), "no");
            engine.stopContainer(old.id(), Duration.ZERO);
        });
        steps.add(() -> engine.createContainer(dev.sancho.maven.plan.ContainerSpecs.withExtraLabels(
                dev.sancho.maven.plan.ContainerSpecs.forService(upgraded, upgraded.service("db").orElseThrow(),
                        DigestKey.findOrUnsaved(engine, "sancho")), Map.of(Labels.SUPERSEDES, old.id()))));
        steps.add(() -> engine.startContainer(engine.findContainer(DB).orElseThrow().id()));
        for (int i = 0; i < k; i++) {
            steps.get(i).run();
        }
    }
}
