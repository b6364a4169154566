package dev.sancho.maven.swarm;

import dev.sancho.maven.core.DigestKey;
import dev.sancho.maven.core.ImageBuilder;
import dev.sancho.maven.core.LockOptions;
import dev.sancho.maven.core.Time;
import dev.sancho.maven.core.Timeline;
import dev.sancho.maven.core.Verifier;
import dev.sancho.maven.core.VerifyOptions;
import dev.sancho.maven.core.VolumeEnsurer;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.NameConflictException;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import dev.sancho.maven.docker.SwarmSpecsJson;
import dev.sancho.maven.plan.Digests;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import dev.sancho.maven.plan.SwarmConvergence;
import dev.sancho.maven.plan.SwarmPlan;
import dev.sancho.maven.plan.SwarmPlanner;
import dev.sancho.maven.plan.SwarmSpecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sancho:deploy} with {@code <target>swarm</target>}: the stack as swarm services, under a lock held in the
 * swarm, with the swarm's own rolling update as the cutover. Checks (manager, pullable images, external volumes on
 * the pinned node) come before anything changes; the plan is printed; the deploy waits until every application
 * service has converged on the new deploy, healthy, else fails with the tasks' errors while the swarm's rollback
 * keeps the previous deploy serving. Each deploy's resolved specs are kept as a swarm config, {@code keep} of them.
 */
final class SwarmDeployRun {
    private SwarmDeployRun() {}

    /**
     * @param push            sancho.push: built images are built here and pushed, so every node can pull them
     * @param processEnv      for build args and secrets of builds
     * @param maskedVariables variables whose values a build's output must not show
     * @param verify          sancho:verify's checks (with the user's probes) after the deploy; null when verify runs
     *                        as a goal of its own, or not at all
     * @param pomVolumes      the pom's {@code <volumes>}: ensured on the manager sancho talks to, as
     *                        {@code sancho:ensure-volume} does on a swarm
     */
    record Request(Stack stack, int keep, Duration healthTimeout, LockOptions lock, boolean push,
            boolean dryRun, Map<String, String> processEnv, Collection<String> maskedVariables, VerifyOptions verify,
            List<String> pomVolumes) {
        Request {
            pomVolumes = pomVolumes == null ? List.of() : List.copyOf(pomVolumes);
        }
    }

    /** @param timeline seconds per step, as the timeline line shows them (empty after a dry run) */
    record Result(String deployId, List<String> created, List<String> updated, List<String> adopted,
            Map<String, Double> timeline) {
        Result(String deployId, List<String> created, List<String> updated, List<String> adopted) {
            this(deployId, created, updated, adopted, Map.of());
        }
    }

    /**
     * The deploy, ending with its one-line timeline ({@link Timeline}, as on one engine): {@code build} (with
     * sancho.push), {@code plan} (reading the swarm, planning, before and under the lock), {@code lock} (taking and
     * releasing it), {@code infrastructure} (creating absent infrastructure services, until running; only when one
     * was absent), {@code update} (the service updates sent), {@code converge} (until every task runs the deploy,
     * healthy), {@code record} (the deploy's config, older ones beyond keep removed), {@code verify}. A failed deploy logs the same line,
     * {@code deploy 42 failed after ...}. A dry run prints no timeline.
     */
    static Result run(DockerEngine engine, Request r, Log log) {
        if (r.dryRun()) {
            return run(engine, r, Timeline.NONE, log);
        }
        Timeline timeline = new Timeline();
        String id = r.stack().deployId();
        try {
            Result result = run(engine, r, timeline, log);
            log.info(timeline.line("deployed " + id));
            return new Result(result.deployId(), result.created(), result.updated(), result.adopted(),
                    timeline.steps());
        } catch (RuntimeException e) {
            timeline.mark("failed");
            log.info(timeline.line("deploy " + id + " failed", "after"));
            throw e;
        }
    }

    private static Result run(DockerEngine engine, Request r, Timeline timeline, Log log) {
        SwarmEngine swarm = engine.swarm();
        SwarmInfos.Node manager = SwarmState.manager(engine, swarm);
        // Built images first, before the lock and before anything changes, as on one engine: with sancho.push each is
        // pushed and the stack names the pushed reference, which every node can pull; without it the plan refuses.
        Stack stack = r.push() ? ImageBuilder.build(engine, r.stack(), r.processEnv(), r.maskedVariables(), false,
                true, r.dryRun(), log) : r.stack();
        if (r.push()) {
            timeline.mark("build");
        }
        if (!r.pomVolumes().isEmpty()) { // named volumes are local to a node: these are made on the manager
            VolumeEnsurer.ensure(engine, null, r.pomVolumes(), stack.project(), r.dryRun(),
                    VolumeEnsurer.External.CREATE, log);
        }
        SwarmPlan preview = SwarmPlanner.plan(stack, SwarmState.observe(engine, swarm, stack, manager, r.push()));
        if (r.dryRun()) {
            preview.lines().forEach(log::info);
            swarm.findConfig(SwarmLock.name(stack.project())).ifPresent(c -> log.info("The swarm deploy lock is"
                    + " currently held by " + SwarmLock.holder(c).describe(Instant.now())));
            if (DigestKey.find(swarm, stack.project()).isEmpty()) {
                log.info("[dry-run] would create swarm config " + DigestKey.configName(stack.project()) + " holding"
                        + " the project's key for digests and secret names (the first deploy creates it; the names"
                        + " above are keyed with a temporary key)");
            }
            refuseIfAny(preview);
            SwarmBindSources.preview(SwarmBindSources.needs(stack, preview), log);
            log.info("[dry-run] nothing was changed");
            return new Result(stack.deployId(), List.of(), List.of(), List.of());
        }
        refuseIfAny(preview);
        timeline.mark("plan");
        Result result;
        try (SwarmLock held = SwarmLock.acquire(swarm, stack.project(), stack.identity(), r.lock(), log)) {
            timeline.mark("lock");
            SwarmPlanner.Observed observed = SwarmState.observe(engine, swarm, stack, manager, r.push());
            SwarmPlan plan = SwarmPlanner.plan(stack, observed);
            if (observed.digests().equals(Digests.unsaved())) {
                // the project's first deploy here: its digest key is created for a plan that runs, then used by it
                refuseIfAny(plan);
                DigestKey.ensure(swarm, stack.project(), log);
                plan = SwarmPlanner.plan(stack, SwarmState.observe(engine, swarm, stack, manager, r.push()));
            }
            plan.lines().forEach(log::info);
            refuseIfAny(plan);
            plan.drift().forEach(log::warn);
            timeline.mark("plan");
            // The bind-mount sources of pinned infrastructure, on its node, before its tasks need them
            SwarmBindSources.ensure(swarm, stack.project(), SwarmBindSources.needs(stack, plan), r.healthTimeout(),
                    log);
            // Infrastructure first, running (healthy) before the applications that use it are created or updated
            SwarmExecutor.Done infra = SwarmExecutor.run(swarm, stack.project(), plan.actions().stream()
                    .filter(SwarmExecutor::infrastructure).toList());
            // Adopted infrastructure too: a proxy whose every task is rejected exists, and a deploy that went on would
            // say "live" while nothing serves.
            SwarmAwait.until(swarm, stack.deployId(), concat(infra.created(), infra.adopted()), null,
                    r.healthTimeout(), log);
            if (!infra.created().isEmpty()) { // else not a step of this deploy, and left out of the line
                timeline.mark("infrastructure");
            }
            SwarmExecutor.Done apps = SwarmExecutor.run(swarm, stack.project(), plan.actions().stream()
                    .filter(a -> !SwarmExecutor.infrastructure(a)).toList());
            List<String> appNames = new ArrayList<>(apps.created());
            appNames.addAll(apps.updated());
            timeline.mark("update");
            try {
                SwarmAwait.until(swarm, stack.deployId(), appNames, stack.deployId(), r.healthTimeout(), log);
            } finally { // a deploy that did not converge spent that time converging too
                timeline.mark("converge");
            }
            result = new Result(stack.deployId(), concat(infra.created(), apps.created()), apps.updated(),
                    infra.adopted());
            DeployRecords.write(swarm, stack, plan, r.keep(), log);
            timeline.mark("record");
            log.info("Deployed " + stack.deployId() + " on the swarm: created " + join(result.created())
                    + "; updated " + join(result.updated()) + "; adopted " + join(result.adopted()));
        }
        timeline.mark("lock");
        if (r.verify() != null) {
            Verifier.Report report = SwarmVerify.verify(engine, stack, r.verify().expecting(result.deployId()), log);
            timeline.mark("verify");
            if (!report.ok()) {
                throw new CheckFailedException("deploy " + result.deployId() + " is live on the swarm, but "
                        + report.summary());
            }
        }
        return result;
    }

    private static void refuseIfAny(SwarmPlan plan) {
        if (!plan.refusals().isEmpty()) {
            throw new ConfigException(String.join("; ", plan.refusals()) + " (nothing was changed)");
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String join(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
