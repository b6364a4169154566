package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Action;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.Digests;
import dev.sancho.maven.plan.ImageBuilds;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.ObservedState;
import dev.sancho.maven.plan.Plan;
import dev.sancho.maven.plan.Planner;
import dev.sancho.maven.plan.Stack;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runbook's whole deploy as one use case: build, pull, lock, pre-deploy-cleanup, ensure-volume, plan, execute,
 * image retention, verify. {@link Steps} selects what runs (the lifecycle-bound goals do cleanup, ensure-volume and
 * verify themselves; {@code deployOnly} leaves them out); a dry run goes through the same steps, each printing what
 * it would do.
 */
public final class DeployRun {
    private DeployRun() {}

    /** Which optional steps this run does; the deploy step itself always runs. */
    public record Steps(boolean build, boolean cleanup, boolean ensureVolume, boolean verify) {
        public static final Steps ALL = new Steps(true, true, true, true);

        /** The names of the steps left out, as the goals that do them are called. */
        public Set<String> left() {
            Set<String> left = new LinkedHashSet<>();
            if (!build) {
                left.add("build");
            }
            if (!cleanup) {
                left.add("pre-deploy-cleanup");
            }
            if (!ensureVolume) {
                left.add("ensure-volume");
            }
            if (!verify) {
                left.add("verify");
            }
            return left;
        }
    }

    /**
     * @param declared        the stack as the compose file declares it (built services still on their build: images)
     * @param pomVolumes      the pom's {@code <volumes>}, ensured with the compose file's
     * @param processEnv      the environment of the build, for build args
     * @param maskedVariables names whose values never reach the log, besides the secret-looking ones
     * @param probes          the verify step's extra checks
     * @param waits           how the cutover waits for the proxy (its re-resolve interval, the drain's bound)
     * @param push            sancho.push: each built image is pushed, and the deploy runs the pushed reference
     * @param createExternalVolumes sancho.createExternalVolumes: a missing external volume is created on a later
     *                        deploy too (by default only on the project's first deploy on the engine)
     */
    public record Request(Stack declared, Steps steps, DeployOptions options, LockOptions lock,
            List<String> pomVolumes, Map<String, String> processEnv, Collection<String> maskedVariables,
            List<VerifyOptions.Probe> probes, boolean dryRun, ProxyWaits waits, boolean push,
            boolean createExternalVolumes, BackupMode backup) {
        /** Backups before a one-shot job ({@link BackupMode#AUTO}). */
        public Request(Stack declared, Steps steps, DeployOptions options, LockOptions lock, List<String> pomVolumes,
                Map<String, String> processEnv, Collection<String> maskedVariables, List<VerifyOptions.Probe> probes,
                boolean dryRun, ProxyWaits waits, boolean push, boolean createExternalVolumes) {
            this(declared, steps, options, lock, pomVolumes, processEnv, maskedVariables, probes, dryRun, waits, push,
                    createExternalVolumes, BackupMode.AUTO);
        }

        public Request(Stack declared, Steps steps, DeployOptions options, LockOptions lock, List<String> pomVolumes,
                Map<String, String> processEnv, Collection<String> maskedVariables, List<VerifyOptions.Probe> probes,
                boolean dryRun, ProxyWaits waits, boolean push) {
            this(declared, steps, options, lock, pomVolumes, processEnv, maskedVariables, probes, dryRun, waits, push,
                    false);
        }

        public Request {
            pomVolumes = pomVolumes == null ? List.of() : List.copyOf(pomVolumes);
            maskedVariables = List.copyOf(maskedVariables);
            probes = List.copyOf(probes);
            waits = waits == null ? ProxyWaits.dns(options.drain()) : waits;
            backup = backup == null ? BackupMode.AUTO : backup;
        }

        /** A DNS proxy that re-resolves within the drain ({@link ProxyWaits#dns}). */
        public Request(Stack declared, Steps steps, DeployOptions options, LockOptions lock, List<String> pomVolumes,
                Map<String, String> processEnv, Collection<String> maskedVariables, List<VerifyOptions.Probe> probes,
                boolean dryRun) {
            this(declared, steps, options, lock, pomVolumes, processEnv, maskedVariables, probes, dryRun, null, false);
        }

        /** No push. */
        public Request(Stack declared, Steps steps, DeployOptions options, LockOptions lock, List<String> pomVolumes,
                Map<String, String> processEnv, Collection<String> maskedVariables, List<VerifyOptions.Probe> probes,
                boolean dryRun, ProxyWaits waits) {
            this(declared, steps, options, lock, pomVolumes, processEnv, maskedVariables, probes, dryRun, waits, false);
        }
    }

    /**
     * @param deployed null after a dry run, and on a swarm
     * @param actions  what the deploy did, in order, each with its container or service
     * @param timeline seconds per step, as the timeline line shows them (empty after a dry run)
     */
    public record Result(String deployId, Deployer.Result deployed, List<Taken> actions,
            Map<String, Double> timeline) {
        public Result {
            actions = List.copyOf(actions);
            timeline = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timeline));
        }

        /** The actions of one engine's deploy: containers created, stopped, removed. */
        public Result(String deployId, Deployer.Result deployed) {
            this(deployId, deployed, taken(deployed), Map.of());
        }

        Result withTimeline(Map<String, Double> steps) {
            return new Result(deployId, deployed, actions, steps);
        }

        private static List<Taken> taken(Deployer.Result d) {
            List<Taken> out = new java.util.ArrayList<>();
            if (d != null) {
                d.created().forEach(c -> out.add(new Taken("create", c)));
                d.stopped().forEach(c -> out.add(new Taken("stop", c)));
                d.removed().forEach(c -> out.add(new Taken("remove", c)));
            }
            return out;
        }
    }

    /** One thing a deploy did: {@code create}, {@code stop}, {@code remove} (containers), {@code create-service}, ... */
    public record Taken(String action, String subject) {}

    public static Result run(DockerEngine engine, Request r, Log log) {
        return r.dryRun() ? dryRun(engine, r, log) : deploy(engine, r, log);
    }

    /**
     * The deploy, ending with its timeline ({@link Timeline}): {@code build} (images built or checked, missing ones
     * pulled), {@code lock} (taking and releasing the deploy lock), {@code plan} (pre-deploy-cleanup, ensure-volume,
     * reading the engine, planning), then {@link Deployer}'s steps, and {@code verify}. A failed deploy logs the
     * same line, {@code deploy 42 failed after ...}.
     */
    private static Result deploy(DockerEngine engine, Request r, Log log) {
        Timeline timeline = new Timeline();
        String id = r.declared().deployId();
        try {
            Result result = deploy(engine, r, timeline, log);
            timeline.mark("lock");
            log.info(timeline.line("deployed " + id));
            return result.withTimeline(timeline.steps());
        } catch (RuntimeException e) {
            timeline.mark("failed");
            log.info(timeline.line("deploy " + id + " failed", "after"));
            throw e;
        }
    }

    private static Result deploy(DockerEngine engine, Request r, Timeline timeline, Log log) {
        Steps steps = r.steps();
        Ownership.require(engine, r.declared(), false, log); // another project of this name: refused before a build
        EngineFeatures.refuseUnsupported(engine, r.declared());
        // Images first, before the lock and before anything changes: builds, then pulls (offline, a missing image
        // fails here in one line).
        Stack stack = ImageBuilder.build(engine, r.declared(), r.processEnv(), r.maskedVariables(), !steps.build(),
                r.push(), false, log);
        EngineFeatures.warnUnsupported(engine, stack, log);
        Plan preview = Planner.plan(stack, StateReader.observe(engine, stack), r.options());
        Deployer.ensureImages(engine, preview.actions(Action.PullImage.class), log);
        timeline.mark("build");
        return Locked.run(engine, stack, r.lock(), "build or load the stack's images first", log, held -> {
            timeline.mark("lock");
            Set<String> created = Set.of();
            if (steps.cleanup()) {
                PreDeployCleanup.step(engine, stack, r.options().keep(), Set.of(stack.deployId()), r.lock(), false,
                        log);
            }
            if (steps.ensureVolume()) {
                created = Set.copyOf(VolumeEnsurer.ensure(engine, stack, r.pomVolumes(), stack.project(), false,
                        external(engine, stack, r), log).createdVolumes());
            }
            DeployOptions options = r.options().withEnsuredVolumes(created);
            ObservedState observed = StateReader.observe(engine, stack);
            Plan plan = Planner.plan(stack, observed, options);
            if (observed.digests().equals(Digests.unsaved())) {
                // the project's first deploy here: its digest key is created for a plan that runs, then used by it
                Deployer.requireRunnable(plan);
                plan.assertSafe();
                DigestKey.ensure(engine, stack.project(), log);
                plan = Planner.plan(stack, StateReader.observe(engine, stack), options);
            }
            plan.lines().forEach(log::info);
            timeline.mark("plan");
            if (backUp(engine, stack, plan, r, false, log)) {
                timeline.mark("backup");
            }
            Deployer.Result done = Deployer.execute(engine, plan, SecretMask.of(stack, r.maskedVariables()), r.waits(),
                    timeline, held::requireHeld, log);
            log.info("Deployed " + done.deployId() + ": started " + String.join(", ", done.created())
                    + (done.stopped().isEmpty() ? "" : "; stopped " + String.join(", ", done.stopped()))
                    + (done.removed().isEmpty() ? "" : "; removed " + String.join(", ", done.removed())));
            removeUnkeptImages(engine, stack, plan, r.lock(), log);
            timeline.mark("stop");
            if (steps.verify()) {
                verify(engine, stack, r.probes(), r.maskedVariables(), log);
                timeline.mark("verify");
            }
            return new Result(done.deployId(), done);
        });
    }

    private static Result dryRun(DockerEngine engine, Request r, Log log) {
        Steps steps = r.steps();
        Stack declared = r.declared();
        Ownership.require(engine, declared, false, log);
        EngineFeatures.refuseUnsupported(engine, declared);
        Stack stack = ImageBuilder.build(engine, declared, r.processEnv(), r.maskedVariables(), !steps.build(),
                r.push(), true, log);
        Set<String> wouldBuild = new LinkedHashSet<>();
        if (steps.build()) {
            ImageBuilds.plan(declared, r.processEnv()).forEach(b -> wouldBuild.add(r.push()
                    ? ImageBuilds.pushedTag(b, declared.deployId()) : b.tag()));
        }
        List<String> created = List.of();
        if (steps.cleanup()) {
            PreDeployCleanup.step(engine, stack, r.options().keep(), Set.of(stack.deployId()), r.lock(), true, log);
        }
        if (steps.ensureVolume()) {
            created = VolumeEnsurer.ensure(engine, stack, r.pomVolumes(), stack.project(), true,
                    external(engine, stack, r), log).createdVolumes();
        }
        EngineFeatures.warnUnsupported(engine, stack, log);
        Plan plan = Planner.plan(stack, StateReader.observe(engine, stack).withImages(wouldBuild),
                r.options().withEnsuredVolumes(Set.copyOf(created)));
        plan.assertSafe();
        plan.lines().forEach(log::info);
        plan.warnings().forEach(log::warn);
        backUp(engine, stack, plan, r, true, log);
        if (DigestKey.find(engine, stack.project()).isEmpty()) {
            log.info("[dry-run] would create volume " + DigestKey.volumeName(stack.project()) + " holding the project's"
                    + " key for the digests in labels (the first deploy on this engine creates it)");
        }
        DeployLock.holder(engine, stack.project()).ifPresent(h ->
                log.info("The deploy lock is currently held by " + h.describe(Instant.now())));
        log.info("[dry-run] nothing was changed");
        return new Result(stack.deployId(), null);
    }

    /**
     * The backups a deploy takes before it changes anything ({@code sancho.backup}): by default when it runs a
     * one-shot job (a migration), of every infrastructure service with {@code x-sancho-backup} whose container runs.
     * A backup that fails (or is not proven) fails the deploy before anything changed.
     */
    static boolean backUp(DockerEngine engine, Stack stack, Plan plan, Request r, boolean dryRun, Log log) {
        List<String> jobs = plan.actions(Action.StartContainer.class).stream()
                .filter(s -> !s.infra() && stack.jobs().contains(s.service())).map(Action.StartContainer::service)
                .distinct().toList();
        List<dev.sancho.maven.plan.StackService> defined = Backups.defined(stack);
        if (defined.isEmpty() || r.backup() == BackupMode.AUTO && jobs.isEmpty()) {
            return false;
        }
        String why = jobs.isEmpty() ? "before deploy " + stack.deployId() + " (sancho.backup=always)"
                : "before job " + String.join(", ", jobs) + " of deploy " + stack.deployId();
        if (r.backup() == BackupMode.SKIP) {
            log.warn("No backup " + why + ": sancho.backup=skip");
            return false;
        }
        boolean took = false;
        for (dev.sancho.maven.plan.StackService s : defined) {
            boolean running = engine.findContainer(s.containerName()).map(c -> c.running()).orElse(false);
            if (!running) {
                log.warn("No backup of " + s.name() + " " + why + ": its container " + s.containerName()
                        + " is not running before this deploy (nothing to back up yet)");
            } else if (dryRun) {
                log.info("[dry-run] would back up " + s.name() + " (x-sancho-backup " + s.service().backup().kind()
                        + ") " + why + ", and prove it restorable");
            } else {
                Backups.take(engine, stack, s.name(), why, new Backups.Options(Backups.Options.DEFAULTS.timeout(),
                        Backups.Options.DEFAULTS.readyTimeout(), List.copyOf(r.maskedVariables())), log);
                took = true;
            }
        }
        return took;
    }

    /** A deploy creates a missing external volume on the project's first deploy here, or when told to. */
    static VolumeEnsurer.External external(DockerEngine engine, Stack stack, Request r) {
        return r.createExternalVolumes() || VolumeEnsurer.firstDeploy(engine, stack) ? VolumeEnsurer.External.CREATE
                : VolumeEnsurer.External.REFUSE;
    }

    /**
     * The deploy just removed the containers of deploys beyond keep: their images go too, so built images are kept
     * exactly as long as their deploy's containers. The deploy has succeeded; a failure here only warns.
     */
    private static void removeUnkeptImages(DockerEngine engine, Stack stack, Plan plan, LockOptions lock, Log log) {
        Set<String> gone = new LinkedHashSet<>();
        plan.actions(Action.RemoveContainer.class).forEach(rc -> gone.add(rc.container().label(Labels.DEPLOY_ID)));
        gone.remove(null);
        try {
            ImageCleanup.Result r = ImageCleanup.run(engine, stack.project(), Set.of(stack.deployId()), gone,
                    lock.pendingBuildWindow(), false, log);
            if (!r.removed().isEmpty() || !r.refused().isEmpty()) {
                log.info(r.summary("retention after deploy " + stack.deployId(), false));
            }
        } catch (RuntimeException e) {
            log.warn("could not remove the images of deploys no longer kept (" + e.getMessage()
                    + "); sancho:pre-deploy-cleanup removes them later");
        }
    }

    /** The verify goal's checks (and its probes) against the deploy that just went live. */
    private static void verify(DockerEngine engine, Stack stack, List<VerifyOptions.Probe> probes,
            Collection<String> masked, Log log) {
        Verifier.Report report = Verifier.verify(engine, stack,
                new VerifyOptions(stack.deployId(), Verifier.bindSourcesAreLocal(engine.address()), probes,
                        List.copyOf(masked)), log);
        CertificateChecks.record(engine, stack, log, java.time.Instant.now());
        if (!report.ok()) {
            throw new CheckFailedException("deploy " + stack.deployId() + " is live, but " + report.summary()
                    + " (mvn sancho:rollback returns to the previous deploy)");
        }
    }
}
