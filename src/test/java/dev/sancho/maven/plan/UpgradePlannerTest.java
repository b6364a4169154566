package dev.sancho.maven.plan;

import static dev.sancho.maven.plan.SeedStack.DB;
import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.NETWORK;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.core.StateReader;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.NetworkInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upgrade plan is pure: what it does, in which order, and what its safety net refuses. */
class UpgradePlannerTest {
    static final String NEW_IMAGE = "sancho-it/postgres:15-patched";
    @TempDir
    Path dir;
    SeedStack seed;
    FakeDockerEngine engine;
    ContainerInfo db;

    @BeforeEach
    void databaseDeployedBySancho() {
        seed = SeedStack.in(dir);
        engine = new FakeDockerEngine();
        List.of(DB_IMAGE, NEW_IMAGE, PROXY_IMAGE).forEach(engine::addImage);
        engine.createVolume(VOLUME, null, Map.of(), Map.of());
        engine.networks.put(NETWORK, new NetworkInfo("n1", NETWORK, "bridge", Map.of()));
        Stack stack = seed.stack("d1");
        String id = engine.createContainer(ContainerSpecs.forService(stack, stack.service("db").orElseThrow()));
        engine.startContainer(id);
        db = engine.inspectContainer(id).orElseThrow();
    }

    UpgradePlan plan(String image, UpgradePlanner.Mode mode, String... services) {
        Stack stack = seed.withDbImage(image).stack("d1");
        return UpgradePlanner.plan(stack, StateReader.observe(engine, stack), new UpgradePlanner.Options(mode,
                List.of(services), Duration.ofSeconds(60), Duration.ZERO));
    }

    static List<String> verbs(List<Action> actions) {
        return actions.stream().map(a -> a.describe().substring(0, 8).strip()).toList();
    }

    @Test
    void anUpgradeSetsTheCurrentContainerAsideBeforeTheNewOneIsCreatedAndStarted() {
        UpgradePlan plan = plan(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE).assertSafe();

        assertEquals(List.of(), plan.blockers());
        UpgradePlan.Step step = plan.steps().get(0);
        assertEquals(UpgradePlan.Kind.UPGRADE, step.kind());
        assertEquals(List.of("rename", "stop", "create", "start", "await", "verify"), verbs(step.forward()));
        assertEquals(List.of("remove", "rename", "start", "await"), verbs(step.undo()));
        Action.CreateUpgraded created = (Action.CreateUpgraded) step.forward().get(2);
        assertEquals(db.id(), created.spec().labels().get(Labels.SUPERSEDES));
        assertEquals(DB, created.name());
        assertEquals(List.of(VOLUME), created.spec().mounts().stream().map(m -> m.source()).toList());
        assertEquals(new Action.RenameInfra("db", db, DB, Superseded.name(DB, db.id()), null), step.forward().get(0));
        assertEquals("image " + DB_IMAGE + " -> " + NEW_IMAGE, step.summary());
        assertEquals(List.of(), plan.pulls(), "the image is there");
        assertTrue(plan.lines().contains("    rename   " + DB + " -> " + Superseded.name(DB, db.id())
                + " (leaves the fixed name; kept, same id and data)"), plan.lines().toString());
    }

    @Test
    void aMissingImageIsPulledBeforeAnythingStops() {
        UpgradePlan plan = plan("sancho-it/postgres:16", UpgradePlanner.Mode.UPGRADE);
        assertEquals(List.of(new Action.PullImage("sancho-it/postgres:16")), plan.pulls());
    }

    @Test
    void planWithTheStartBeforeTheStopIsRefusedTwoServersOnOneVolume() {
        UpgradePlan good = plan(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE);
        UpgradePlan.Step s = good.steps().get(0);
        List<Action> swapped = new ArrayList<>(s.forward());
        // rename, create, start, stop: the new one would start while the old one still runs
        swapped.add(3, swapped.remove(1));
        UpgradePlan bad = withForward(good, s, swapped, s.undo());
        IllegalStateException e = assertThrows(IllegalStateException.class, bad::assertSafe);
        assertTrue(e.getMessage().contains("2 containers of infrastructure service db would run at once"),
                e.getMessage());
    }

    @Test
    void anUndoThatStartsTheOldOneBeforeRemovingTheNewOneIsRefused() {
        UpgradePlan good = plan(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE);
        UpgradePlan.Step s = good.steps().get(0);
        // undo without the removal: after the new one started, giving the old one its name back is refused
        List<Action> undo = s.undo().subList(1, s.undo().size());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> withForward(good, s, s.forward(), undo).assertSafe());
        assertTrue(e.getMessage().contains("never onto a name in use"), e.getMessage());
    }

    @Test
    void removingTheNewContainerOutsideTheUndoOrAnyOtherInfrastructureContainerIsRefused() {
        UpgradePlan good = plan(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE);
        UpgradePlan.Step s = good.steps().get(0);
        List<Action> forward = new ArrayList<>(s.forward());
        forward.add(new Action.DiscardUpgraded("db", DB, db.id()));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> withForward(good, s, forward, s.undo()).assertSafe());
        assertTrue(e.getMessage().contains("only the undo of a failed upgrade removes"), e.getMessage());

        // the running database itself, as if it were a kept one
        List<Action> removeCurrent = new ArrayList<>(s.forward());
        removeCurrent.add(0, new Action.RemoveSuperseded("db", db, "bug"));
        assertThrows(IllegalStateException.class, () -> withForward(good, s, removeCurrent, s.undo()).assertSafe());
    }

    @Test
    void aDeployPlanRefusesEveryUpgradeActionButTheRenameBackOfAKeptContainer() {
        Plan plan = new Plan("sancho", "d2", java.util.Set.of(DB), List.of(new Action.DiscardUpgraded("db", DB,
                db.id())), List.of(), List.of());
        assertThrows(IllegalStateException.class, plan::assertSafe);
        Plan rename = new Plan("sancho", "d2", java.util.Set.of(DB), List.of(new Action.RenameInfra("db", db, DB,
                DB + "_other", "no")), List.of(), List.of());
        assertThrows(IllegalStateException.class, rename::assertSafe, "only a kept name back to the fixed name");
    }

    @Test
    void aKeptContainerThatRunsBlocksTheUpgrade() {
        engine.renameContainer(db.id(), Superseded.name(DB, db.id())); // as a kill -9 right after the rename
        Stack stack = seed.stack("d1");
        String id = engine.createContainer(ContainerSpecs.withExtraLabels(ContainerSpecs.forService(stack,
                stack.service("db").orElseThrow()), Map.of(Labels.SUPERSEDES, db.id())));
        engine.startContainer(id); // and someone started a second one by hand
        UpgradePlan plan = plan(NEW_IMAGE, UpgradePlanner.Mode.UPGRADE);
        assertTrue(plan.blockers().stream().anyMatch(b -> b.startsWith(Superseded.name(DB, db.id()) + " runs beside "
                + DB)), plan.blockers().toString());
    }

    @Test
    void aMissingFixedNameGoesBackToTheContainerThatHeldItLast() {
        engine.renameContainer(db.id(), Superseded.name(DB, db.id()));
        engine.stopContainer(db.id(), Duration.ZERO);
        for (UpgradePlanner.Mode mode : UpgradePlanner.Mode.values()) {
            UpgradePlan plan = plan(NEW_IMAGE, mode).assertSafe();
            UpgradePlan.Step step = plan.steps().get(0);
            assertEquals(UpgradePlan.Kind.REINSTATE, step.kind(), mode.name());
            assertEquals(new Action.RenameInfra("db", engine.inspectContainer(db.id()).orElseThrow(),
                    Superseded.name(DB, db.id()), DB, "unless-stopped"), step.forward().get(0));
        }
        // the deploy sees it too: one line, and no second database created
        Stack stack = seed.stack("d2");
        Plan deploy = Planner.plan(stack, StateReader.observe(engine, stack), DeployOptions.defaults(Instant.now()))
                .assertSafe();
        assertTrue(deploy.lines().contains("  rename   " + Superseded.name(DB, db.id()) + " -> " + DB
                + " (gets its fixed name back; restart policy unless-stopped)"), deploy.lines().toString());
        assertTrue(deploy.actions(Action.CreateContainer.class).stream().noneMatch(c -> DB.equals(c.name())));
        assertTrue(deploy.actions(Action.StartContainer.class).stream().anyMatch(c -> db.id().equals(c.id())));
    }

    @Test
    void revertAndConfirmNeedAKeptContainerOfTheSameUpgrade() {
        UpgradePlan revert = plan(DB_IMAGE, UpgradePlanner.Mode.REVERT, "db");
        assertTrue(revert.blockers().get(0).startsWith("nothing to revert for " + DB), revert.blockers().toString());
        UpgradePlan confirm = plan(DB_IMAGE, UpgradePlanner.Mode.CONFIRM);
        assertEquals(List.of(), confirm.steps());
        assertEquals(List.of("nothing to confirm: no container kept by an upgrade"), confirm.notes());
    }

    private static UpgradePlan withForward(UpgradePlan p, UpgradePlan.Step s, List<Action> forward,
            List<Action> undo) {
        return new UpgradePlan(p.project(), p.identity(), p.pulls(), List.of(new UpgradePlan.Step(s.service(),
                s.kind(), s.before(), forward, undo, s.summary())), p.notes(), p.blockers());
    }
}
