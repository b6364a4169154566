package dev.sancho.maven.mojo;

import dev.sancho.maven.core.ImageBuilder;
import dev.sancho.maven.core.CheckFailedException;
import dev.sancho.maven.core.ImageCleanup;
import dev.sancho.maven.core.ConfigException;
import dev.sancho.maven.core.DeployLock;
import dev.sancho.maven.core.Deployer;
import dev.sancho.maven.core.Log;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deploys the stack: the runbook's whole deploy process in one command. Builds the images of services with
 * {@code build:}, then runs pre-deploy-cleanup, ensure-volume, the deploy itself and verify, in that order, under
 * the project's deploy lock
 * ({@code sancho.deployOnly} runs the deploy step alone, for builds that bind the four goals to phases).
 */
@Mojo(name = "deploy", threadSafe = true)
public class DeployMojo extends AbstractLockingMojo {

    /**
     * Seconds the new containers may take to become healthy (or running, without healthcheck); also the limit for
     * each dependency a {@code condition: service_healthy} waits for.
     */
    @Parameter(property = "sancho.healthTimeout", defaultValue = "60")
    protected int healthTimeout;

    /** Seconds a container without healthcheck must stay running to count as ready. */
    @Parameter(property = "sancho.minReadySeconds", defaultValue = "2")
    protected int minReadySeconds;

    /**
     * Seconds between taking the previous deploy out of DNS and stopping it: a proxy's re-resolve interval (nginx
     * {@code valid=1s}) plus the longest request. 0 stops right away.
     */
    @Parameter(property = "sancho.drainSeconds", defaultValue = "2")
    protected int drainSeconds;

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

    @Override
    protected void run() {
        validateLocking();
        DeployOptions opts = new DeployOptions(keep, seconds("healthTimeout", healthTimeout, 1),
                seconds("minReadySeconds", minReadySeconds, 0), seconds("drainSeconds", drainSeconds, 0),
                Instant.now(), Set.of());
        Stack declared = loadStack();
        Log log = log();
        try (DockerEngine engine = connect()) {
            if (dryRun) {
                dryRun(engine, declared, opts, log);
                return;
            }
            // Images first, before the lock and before anything changes: builds, then pulls (offline, a missing
            // image fails here in one line).
            Stack stack = ImageBuilder.build(engine, declared, System.getenv(), maskedVariables(), skipBuild, false, log);
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
                if (!deployOnly) {
                    cleanup(engine, stack, Set.of(stack.deployId()), false, log);
                    created = Set.copyOf(VolumeEnsurer.ensure(engine, stack, volumes, stack.project(), false, log)
                            .createdVolumes());
                }
                Plan plan = Planner.plan(stack, StateReader.observe(engine, stack), opts.withEnsuredVolumes(created));
                plan.lines().forEach(log::info);
                Deployer.Result r = Deployer.execute(engine, plan, SecretMask.of(stack, maskedVariables()), log);
                log.info("Deployed " + r.deployId() + ": started " + String.join(", ", r.created())
                        + (r.stopped().isEmpty() ? "" : "; stopped " + String.join(", ", r.stopped()))
                        + (r.removed().isEmpty() ? "" : "; removed " + String.join(", ", r.removed())));
                removeUnkeptImages(engine, stack, plan, log);
                if (!deployOnly) {
                    verify(engine, stack, log);
                }
            }
        }
    }

    private void dryRun(DockerEngine engine, Stack declared, DeployOptions opts, Log log) {
        Stack stack = ImageBuilder.build(engine, declared, System.getenv(), maskedVariables(), skipBuild, true, log);
        Set<String> wouldBuild = new LinkedHashSet<>();
        if (!skipBuild) {
            ImageBuilds.plan(declared, System.getenv()).forEach(b -> wouldBuild.add(b.tag()));
        }
        List<String> created = List.of();
        if (!deployOnly) {
            cleanup(engine, stack, Set.of(stack.deployId()), true, log);
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
