package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Action;
import dev.sancho.maven.plan.Planner;
import dev.sancho.maven.plan.Safety;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import dev.sancho.maven.plan.UpgradePlan;
import dev.sancho.maven.plan.UpgradePlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sancho:upgrade}: applies an infrastructure service's drift on purpose ({@link UpgradePlanner}), goes back
 * one upgrade ({@code -Dsancho.revert}) or removes what an upgrade kept ({@code -Dsancho.confirm}). The plan is
 * printed (a dry run stops there), its images are made present before anything stops, and it runs under the deploy
 * lock, one service after the other. A step that fails, or Ctrl-C, runs its undo: the previous container serves again
 * under the fixed name, same id, same data.
 */
public final class Upgrade {
    private Upgrade() {}

    /**
     * Issue 25: a backup of the service's data is taken here, while the container to be replaced still runs, when the
     * service defines {@code x-sancho-backup} (sancho:backup's work, another branch). Whatever it throws stops the
     * upgrade before anything changed.
     */
    @FunctionalInterface
    public interface BackupBeforeStop {
        BackupBeforeStop NONE = (engine, stack, service, running, log) -> { };

        /**
         * A proven backup of every service with {@code x-sancho-backup} whose container runs, taken while it still
         * runs: an upgrade that fails it stops before the old container is touched.
         */
        static BackupBeforeStop defined(List<String> maskedVariables) {
            return (engine, stack, service, running, log) -> {
                if (service.service().backup() != null && running != null && running.running()) {
                    Backups.take(engine, stack, service.name(), "before upgrade of " + service.containerName(),
                            new Backups.Options(Backups.Options.DEFAULTS.timeout(),
                                    Backups.Options.DEFAULTS.readyTimeout(), maskedVariables), log);
                }
            };
        }

        void take(DockerEngine engine, Stack stack, StackService service, ContainerInfo running, Log log);
    }

    public record Options(UpgradePlanner.Mode mode, List<String> services, boolean dryRun, Duration healthTimeout,
            Duration minReady, List<String> maskedVariables, BackupBeforeStop backup) {
        public Options {
            services = List.copyOf(services);
            maskedVariables = maskedVariables == null ? List.of() : List.copyOf(maskedVariables);
            backup = backup == null ? BackupBeforeStop.NONE : backup;
        }

        UpgradePlanner.Options planner() {
            return new UpgradePlanner.Options(mode, services, healthTimeout, minReady);
        }
    }

    /**
     * One service's step as it ended.
     *
     * @param outcome {@code upgraded}, {@code reverted}, {@code reinstated}, {@code confirmed}, or {@code planned} in a
     *                dry run
     * @param id      the id of the container under the fixed name afterwards (null in a dry run)
     */
    public record Outcome(String service, String container, String kind, String outcome, String summary, String id) {}

    public record Result(List<Outcome> steps, List<String> notes) {
        public Result {
            steps = List.copyOf(steps);
            notes = List.copyOf(notes);
        }
    }

    public static Result run(DockerEngine engine, Stack stack, Options options, LockOptions lock, Log log) {
        if (stack.infrastructure().isEmpty()) {
            throw new ConfigException("nothing to upgrade: no service of " + stack.compose().path().getFileName()
                    + " is infrastructure (set <infrastructure> or label services sancho.role=infra)");
        }
        Ownership.require(engine, stack, false, log);
        UpgradePlan preview = plan(engine, stack, options);
        preview.lines().forEach(log::info);
        requireRunnable(preview);
        preview.assertSafe();
        if (options.dryRun()) {
            log.info("[dry-run] nothing was changed");
            return new Result(preview.steps().stream().map(s -> outcome(s, "planned", null)).toList(),
                    preview.notes());
        }
        if (preview.steps().isEmpty()) {
            return new Result(List.of(), preview.notes());
        }
        // the new images are there before anything stops: offline, a missing one fails here with nothing changed
        Deployer.ensureImages(engine, preview.pulls(), log);
        return Locked.run(engine, stack, lock, "build or load the stack's images first", log, held -> {
            UpgradePlan plan = plan(engine, stack, options); // what the engine holds now, under the lock
            if (!plan.lines().equals(preview.lines())) {
                log.info("The engine changed while waiting for the deploy lock; the plan now:");
                plan.lines().forEach(log::info);
            }
            requireRunnable(plan);
            plan.assertSafe();
            Deployer.ensureImages(engine, plan.pulls().stream().filter(p -> engine.findImage(p.image()).isEmpty())
                    .toList(), log);
            List<Outcome> done = new ArrayList<>();
            try (Interruption guard = Interruption.install(engine, "sancho:upgrade", log)) {
                for (UpgradePlan.Step step : plan.steps()) {
                    held.requireHeld();
                    done.add(execute(guard, stack, plan, step, options, log));
                }
            }
            return new Result(done, plan.notes());
        });
    }

    /**
     * {@code sancho:recover}'s first step: what an interrupted upgrade left is finished (no lock: recover takes none),
     * a fixed name given back to the container that held it last, an upgrade that never became ready reverted.
     *
     * @return the fixed names healed (in a dry run: that it would heal)
     */
    public static List<String> heal(DockerEngine engine, Stack stack, boolean dryRun, Duration healthTimeout,
            Duration minReady, List<String> maskedVariables, Log log) {
        Options options = new Options(UpgradePlanner.Mode.HEAL, List.of(), dryRun, healthTimeout, minReady,
                maskedVariables, null);
        UpgradePlan plan = plan(engine, stack, options);
        if (plan.steps().isEmpty()) {
            return List.of();
        }
        plan.lines().forEach(log::info);
        requireRunnable(plan);
        plan.assertSafe();
        if (dryRun) {
            return plan.steps().stream().map(UpgradePlan.Step::fixedName).toList();
        }
        List<String> healed = new ArrayList<>();
        try (Interruption guard = Interruption.install(engine, "sancho:recover", log)) {
            for (UpgradePlan.Step step : plan.steps()) {
                execute(guard, stack, plan, step, options, log);
                healed.add(step.fixedName());
            }
        }
        return healed;
    }

    static UpgradePlan plan(DockerEngine engine, Stack stack, Options options) {
        return UpgradePlanner.plan(stack, StateReader.observe(engine, stack), options.planner());
    }

    private static void requireRunnable(UpgradePlan plan) {
        if (!plan.blockers().isEmpty()) {
            throw new ConfigException("sancho:upgrade refused, nothing was changed: "
                    + String.join(" | ", plan.blockers()));
        }
    }

    private static Outcome outcome(UpgradePlan.Step s, String outcome, String id) {
        return new Outcome(s.service().name(), s.fixedName(), s.kind().label(), outcome, s.summary(), id);
    }

    /** One service's step; its undo on a failure, or in the Ctrl-C hook. */
    static Outcome execute(Interruption guard, Stack stack, UpgradePlan plan, UpgradePlan.Step step, Options options,
            Log log) {
        DockerEngine engine = guard.engine();
        String fixed = step.fixedName();
        String what = step.kind().label() + " of " + fixed;
        SecretMask mask = SecretMask.of(stack, options.maskedVariables());
        String[] created = {null};
        log.info("sancho:upgrade — " + what + ": " + step.summary());
        if (step.kind() == UpgradePlan.Kind.UPGRADE) {
            // THE backup call site (issue 25): before the container that holds the data stops
            options.backup().take(engine, stack, step.service(), step.current(), log);
        }
        guard.phase(raw -> {
            log.warn("Interrupted: undoing the " + what);
            for (Action a : step.undo()) {
                run(raw, stack, plan, step, a, created, mask, log);
            }
        });
        try {
            for (Action a : step.forward()) {
                run(engine, stack, plan, step, a, created, mask, log);
            }
        } catch (RuntimeException e) {
            if (guard.interrupted()) {
                throw new CheckFailedException(what + " was interrupted (Ctrl-C or SIGTERM): it is undone on the way"
                        + " out");
            }
            if (step.undo().isEmpty()) {
                throw e;
            }
            log.warn(what + " failed (" + e.getMessage() + "); undoing it");
            try {
                for (Action a : step.undo()) {
                    run(engine, stack, plan, step, a, created, mask, log);
                }
            } catch (RuntimeException u) {
                throw new CheckFailedException(what + " failed: " + e.getMessage() + "; and its undo failed too: "
                        + u.getMessage() + ". Look at docker ps -a --filter name=" + fixed + "; the data is on its"
                        + " volume, untouched by sancho; sancho:upgrade or sancho:deploy gives the fixed name back to"
                        + " the kept container if it is missing");
            } finally {
                guard.phase(raw -> { });
            }
            ContainerInfo now = engine.findContainer(fixed).orElse(null);
            throw new CheckFailedException(what + " failed and was undone: " + fixed + " is the previous container"
                    + " again" + (now == null ? "" : " (id " + shortId(now.id()) + ", image " + now.image() + ")")
                    + ", running and ready on its data. What failed: " + e.getMessage());
        }
        guard.phase(raw -> { });
        ContainerInfo now = engine.findContainer(fixed).orElse(null);
        String outcome = switch (step.kind()) {
            case UPGRADE -> "upgraded";
            case REVERT -> "reverted";
            case REINSTATE -> "reinstated";
            case CONFIRM -> "confirmed";
        };
        log.info(switch (step.kind()) {
            case UPGRADE -> "Upgraded " + fixed + " (" + step.summary() + "); the previous container is kept stopped"
                    + " for -Dsancho.revert until -Dsancho.confirm or the next upgrade";
            case REVERT -> "Reverted " + fixed + ": " + step.summary();
            case REINSTATE -> fixed + " has its name back: " + step.summary();
            case CONFIRM -> "Confirmed the upgrade of " + fixed + ": removed what it kept";
        });
        return outcome(step, outcome, now == null ? null : now.id());
    }

    private static void run(DockerEngine engine, Stack stack, UpgradePlan plan, UpgradePlan.Step step, Action a,
            String[] created, SecretMask mask, Log log) {
        StackService s = step.service();
        String fixed = step.fixedName();
        if (a instanceof Action.RemoveSuperseded r) {
            Executor.removeSuperseded(engine, r, s, plan.project(), plan.identity());
            log.info("  removed " + r.container().name() + " (" + r.reason() + ")");
        } else if (a instanceof Action.RenameInfra r) {
            if (Executor.rename(engine, r)) {
                log.info("  renamed " + r.from() + " -> " + r.to());
            }
        } else if (a instanceof Action.StopInfra t) {
            Executor.stopInfra(engine, t);
            log.info("  stopped " + shortId(t.container().id()) + " (restart policy no)");
        } else if (a instanceof Action.CreateUpgraded c) {
            created[0] = Executor.create(engine, new Action.CreateContainer(s.name(), true, c.spec()));
            log.info("  created " + c.name() + " from " + c.spec().image());
        } else if (a instanceof Action.StartInfra t) {
            ContainerInfo c = engine.findContainer(t.name()).orElseThrow(() -> new CheckFailedException(
                    "cannot start " + t.name() + ": no container of that name"));
            requireNoSecondServer(engine, stack, step, c);
            engine.updateRestartPolicy(c.id(), t.restartPolicy());
            if (!c.running()) {
                Executor.start(engine, c.id());
                log.info("  started " + t.name() + " (" + c.image() + ")");
            }
        } else if (a instanceof Action.AwaitHealthy h) {
            ContainerInfo c = engine.findContainer(fixed).orElseThrow(() -> new CheckFailedException(
                    "no container " + fixed + " to wait for"));
            log.info("  waiting for " + fixed + " to become ready (timeout " + h.timeout().toSeconds() + " s)");
            HealthGate.Result r = HealthGate.await(engine, Map.of(c.id(), fixed), h.timeout(), h.minReady(), log);
            if (!r.ok()) {
                throw new CheckFailedException(mask.apply(r.describe()));
            }
        } else if (a instanceof Action.VerifyInfra v) {
            verify(engine, v);
        } else if (a instanceof Action.DiscardUpgraded d) {
            if (created[0] != null) {
                engine.inspectContainer(created[0]).filter(ContainerInfo::running).ifPresent(c ->
                        engine.stopContainer(c.id(), dev.sancho.maven.plan.ContainerSpecs.stopTimeout(s.service())));
            }
            if (Executor.discardUpgraded(engine, created[0], d, s, plan.project(), plan.identity())) {
                log.info("  removed " + fixed + " (created by this upgrade, not ready)");
            }
        } else {
            throw new IllegalStateException("not an upgrade action: " + a.describe());
        }
    }

    /**
     * Right before a start, what the engine holds now: nothing else of the service runs, nothing else writes its data
     * volume (an engine restart may have brought a stopped container back meanwhile).
     */
    private static void requireNoSecondServer(DockerEngine engine, Stack stack, UpgradePlan.Step step,
            ContainerInfo starting) {
        StackService s = step.service();
        for (String volume : Planner.volumesOf(stack, s)) {
            Map<String, String> sharers = Planner.sharers(stack, s, volume);
            for (ContainerInfo user : engine.containersUsingVolume(volume)) {
                boolean writes = user.mounts().stream().anyMatch(m -> "volume".equals(m.type())
                        && volume.equals(m.source()) && !m.readOnly());
                if (!user.id().equals(starting.id()) && user.running() && writes
                        && Safety.secondServer(user, "", stack.project(), sharers)) {
                    throw new CheckFailedException(new Safety.VolumeHold(step.fixedName(), volume, user.name())
                            .describe());
                }
            }
        }
    }

    private static void verify(DockerEngine engine, Action.VerifyInfra v) {
        ContainerInfo c = engine.findContainer(v.name()).flatMap(x -> engine.inspectContainer(x.id())).orElse(null);
        List<String> wrong = new ArrayList<>();
        if (c == null || !c.running()) {
            wrong.add("it is " + (c == null ? "gone" : c.state()));
        } else {
            if (!v.image().equals(c.image())) {
                wrong.add("it runs " + c.image() + ", not " + v.image());
            }
            for (String volume : v.volumes()) {
                if (c.mounts().stream().noneMatch(m -> "volume".equals(m.type()) && volume.equals(m.source()))) {
                    wrong.add("volume " + volume + " is not mounted");
                }
            }
            v.aliases().forEach((network, aliases) -> {
                List<String> has = c.networkAliases().get(network);
                if (has == null || !has.containsAll(aliases)) {
                    wrong.add("not reachable as " + String.join("/", aliases) + " on " + network);
                }
            });
        }
        if (!wrong.isEmpty()) {
            throw new CheckFailedException("verify of " + v.name() + " failed: " + String.join("; ", wrong));
        }
        // verified: running the planned image, on the planned volumes, under the planned aliases
    }

    private static String shortId(String id) {
        return id.substring(0, Math.min(12, id.length()));
    }
}
