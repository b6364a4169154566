package dev.sancho.maven.mojo;

import dev.sancho.maven.core.ImageBuilder;
import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.core.ImageCleanup;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.core.DeployLock;
import dev.sancho.maven.core.Deployer;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.core.SecretMask;
import dev.sancho.maven.core.StateReader;
import dev.sancho.maven.core.Verifier;
import dev.sancho.maven.core.VerifyOptions;
import dev.sancho.maven.core.VolumeEnsurer;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Action;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.ImageBuilds;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Plan;
import dev.sancho.maven.plan.Planner;
import dev.sancho.maven.plan.Stack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deploys the stack: the runbook's whole deploy process in one command. Builds the images of services with
 * {@code build:}, then runs pre-deploy-cleanup, ensure-volume, the deploy itself and verify, in that order, under
 * the project's deploy lock. Bound to a lifecycle phase next to executions of {@code build},
 * {@code pre-deploy-cleanup}, {@code ensure-volume} or {@code verify}, it leaves those steps to their own goals
 * ({@code sancho.deployOnly} leaves out all but the build).
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class DeployMojo extends AbstractCleaningMojo {

    /** Named volumes to ensure besides the compose file's (comma-separated on the command line). */
    @Parameter(property = "sancho.volumes")
    protected List<String> volumes;

    /**
     * How long the new containers may take to become healthy (or running, without healthcheck); also the limit for
     * each dependency a {@code condition: service_healthy} waits for. Seconds or a duration ({@code 90s}, {@code 2m}).
     */
    @Parameter(property = "sancho.healthTimeout", defaultValue = "60s")
    protected String healthTimeout;

    /** How long a container without healthcheck must stay running to count as ready (seconds or a duration). */
    @Parameter(property = "sancho.minReadySeconds", defaultValue = "2s")
    protected String minReadySeconds;

    /**
     * Time between taking the previous deploy out of DNS and stopping it: a proxy's re-resolve interval (nginx
     * {@code valid=1s}) plus the longest request (seconds or a duration, e.g. {@code 1500ms}). 0 stops right away.
     */
    @Parameter(property = "sancho.drainSeconds", defaultValue = "2s")
    protected String drainSeconds;

    /**
     * Run only the deploy step (no pre-deploy-cleanup, ensure-volume, verify): for a pom that binds those goals
     * to lifecycle phases itself.
     */
    @Parameter(property = "sancho.deployOnly", defaultValue = "false")
    protected boolean deployOnly;

    /**
     * Build nothing: deploy the per-deploy tag prepared by {@code sancho:build} with the same deploy id, else the
     * service's {@code image:}.
     */
    @Parameter(property = "sancho.skipBuild", defaultValue = "false")
    protected boolean skipBuild;

    /** The verify step's extra checks, as for {@code sancho:verify}. */
    @Parameter
    protected List<Probe> probes;

    /** Which steps of the whole procedure this execution runs; the others are done by goals of their own. */
    private record Steps(boolean build, boolean cleanup, boolean ensureVolume, boolean verify) {
        Set<String> left() {
            Set<String> left = new LinkedHashSet<>();
            if (!build) left.add("build");
            if (!cleanup) left.add("pre-deploy-cleanup");
            if (!ensureVolume) left.add("ensure-volume");
            if (!verify) left.add("verify");
            return left;
        }
    }

    private Steps steps() {
        Set<String> bound = goalsBoundInThisBuild();
        Steps steps = new Steps(!skipBuild && !bound.contains("build"),
                !deployOnly && !bound.contains("pre-deploy-cleanup"),
                !deployOnly && !bound.contains("ensure-volume"), !deployOnly && !bound.contains("verify"));
        Set<String> byBinding = new LinkedHashSet<>(steps.left());
        byBinding.retainAll(bound);
        if (!byBinding.isEmpty()) {
            getLog().info("sancho:deploy: " + String.join(", ", byBinding) + " run as goals of their own in this"
                    + " build (executions in the pom); this one does the rest");
        }
        return steps;
    }

    @Override
    protected void run() {
        validateLocking();
        DeployOptions opts = new DeployOptions(keep, duration("healthTimeout", healthTimeout, Duration.ofSeconds(1)),
                duration("minReadySeconds", minReadySeconds, Duration.ZERO),
                duration("drainSeconds", drainSeconds, Duration.ZERO),
                Instant.now(), Set.of());
        Steps steps = steps();
        Stack declared = loadStack();
        Log log = log();
        try (DockerEngine engine = connect()) {
            if (dryRun) {
                dryRun(engine, declared, opts, steps, log);
                rememberForThisBuild(DEPLOYED_IN_THIS_BUILD, DRY_RUN_DEPLOY);
                return;
            }
            // Images first, before the lock and before anything changes: builds, then pulls (offline, a missing
            // image fails here in one line).
            Stack stack = ImageBuilder.build(engine, declared, System.getenv(), maskedVariables(), !steps.build(),
                    false, log);
            Plan preview = Planner.plan(stack, StateReader.observe(engine, stack), opts);
            Deployer.ensureImages(engine, preview.actions(Action.PullImage.class), log);
            String image = lockImage(engine, stack);
            if (image == null) {
                throw new ConfigException("no image of " + stack.project() + " is on the engine to create the deploy"
                        + " lock from: build or load the stack's images first");
            }
            try (DeployLock lock = DeployLock.acquire(engine, stack.project(), image, lockTimeoutDuration(),
                    staleLockAfterDuration(), log)) {
                Set<String> created = Set.of();
                if (steps.cleanup()) {
                    cleanup(engine, stack, Set.of(stack.deployId()), false, log);
                }
                if (steps.ensureVolume()) {
                    created = Set.copyOf(VolumeEnsurer.ensure(engine, stack, volumes, stack.project(), false, log)
                            .createdVolumes());
                }
                Plan plan = Planner.plan(stack, StateReader.observe(engine, stack), opts.withEnsuredVolumes(created));
                plan.lines().forEach(log::info);
                Deployer.Result r = Deployer.execute(engine, plan, SecretMask.of(stack, maskedVariables()), log);
                log.info("Deployed " + r.deployId() + ": started " + String.join(", ", r.created())
                        + (r.stopped().isEmpty() ? "" : "; stopped " + String.join(", ", r.stopped()))
                        + (r.removed().isEmpty() ? "" : "; removed " + String.join(", ", r.removed())));
                rememberForThisBuild(DEPLOYED_IN_THIS_BUILD, r.deployId());
                removeUnkeptImages(engine, stack, plan, log);
                if (steps.verify()) {
                    verify(engine, stack, log);
                }
            }
        }
    }

    private void dryRun(DockerEngine engine, Stack declared, DeployOptions opts, Steps steps, Log log) {
        Stack stack = ImageBuilder.build(engine, declared, System.getenv(), maskedVariables(), !steps.build(), true,
                log);
        Set<String> wouldBuild = new LinkedHashSet<>();
        if (steps.build()) {
            ImageBuilds.plan(declared, System.getenv()).forEach(b -> wouldBuild.add(b.tag()));
        }
        List<String> created = List.of();
        if (steps.cleanup()) {
            cleanup(engine, stack, Set.of(stack.deployId()), true, log);
        }
        if (steps.ensureVolume()) {
            created = VolumeEnsurer.ensure(engine, stack, volumes, stack.project(), true, log).createdVolumes();
        }
        Plan plan = Planner.plan(stack, StateReader.observe(engine, stack).withImages(wouldBuild),
                opts.withEnsuredVolumes(Set.copyOf(created)));
        plan.assertSafe();
        plan.lines().forEach(log::info);
        plan.warnings().forEach(log::warn);
        DeployLock.holder(engine, stack.project()).ifPresent(h ->
                log.info("The deploy lock is currently held by " + h.describe(Instant.now())));
        log.info("[dry-run] nothing was changed");
    }

    /**
     * The deploy just removed the containers of deploys beyond keep: their images go too, so built images are kept
     * exactly as long as their deploy's containers. The deploy has succeeded; a failure here only warns.
     */
    private void removeUnkeptImages(DockerEngine engine, Stack stack, Plan plan, Log log) {
        Set<String> gone = new LinkedHashSet<>();
        plan.actions(Action.RemoveContainer.class).forEach(r -> gone.add(r.container().label(Labels.DEPLOY_ID)));
        gone.remove(null);
        try {
            ImageCleanup.Result r = ImageCleanup.run(engine, stack.project(), Set.of(stack.deployId()), gone,
                    pendingBuildWindow(), false, log);
            if (!r.removed().isEmpty() || !r.refused().isEmpty()) {
                log.info(r.summary("retention after deploy " + stack.deployId(), false));
            }
        } catch (RuntimeException e) {
            log.warn("could not remove the images of deploys no longer kept (" + e.getMessage()
                    + "); sancho:pre-deploy-cleanup removes them later");
        }
    }

    /** The verify goal's checks (and its {@code <probes>}) against the deploy that just went live. */
    private void verify(DockerEngine engine, Stack stack, Log log) {
        List<VerifyOptions.Probe> checks = new ArrayList<>();
        if (probes != null) {
            for (int i = 0; i < probes.size(); i++) {
                checks.add(probes.get(i).toProbe(i + 1));
            }
        }
        Verifier.Report report = Verifier.verify(engine, stack,
                new VerifyOptions(stack.deployId(), VerifyMojo.isLocal(engine.address()), checks), log);
        if (!report.ok()) {
            throw new CheckFailedException("deploy " + stack.deployId() + " is live, but " + report.summary()
                    + " (mvn sancho:rollback returns to the previous deploy)");
        }
    }
}
