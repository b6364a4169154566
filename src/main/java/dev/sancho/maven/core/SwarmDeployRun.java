package dev.sancho.maven.core;

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
public final class SwarmDeployRun {
    private static final Duration POLL = Duration.ofMillis(500);

    private SwarmDeployRun() {}

    /**
     * @param push            sancho.push: built images are built here and pushed, so every node can pull them
     * @param processEnv      for build args and secrets of builds
     * @param maskedVariables variables whose values a build's output must not show
     * @param verify          sancho:verify's checks after the deploy (not when verify runs as a goal of its own)
     */
    public record Request(Stack stack, int keep, Duration healthTimeout, LockOptions lock, boolean push,
            boolean dryRun, Map<String, String> processEnv, Collection<String> maskedVariables, boolean verify) {}

    public record Result(String deployId, List<String> created, List<String> updated, List<String> adopted) {}

    /**
     * The deploy, ending with its one-line timeline ({@link Timeline}, as on one engine): {@code build} (with
     * sancho.push), {@code plan} (reading the swarm, planning, before and under the lock), {@code lock} (taking and
     * releasing it), {@code infrastructure} (creating absent infrastructure services, until running; only when one
     * was absent), {@code update} (the service updates sent), {@code converge} (until every task runs the deploy,
     * healthy), {@code record} (the deploy's config, older ones beyond keep removed), {@code verify}. A failed deploy logs the same line,
     * {@code deploy 42 failed after ...}. A dry run prints no timeline.
     */
    public static Result run(DockerEngine engine, Request r, Log log) {
        if (r.dryRun()) {
            return run(engine, r, Timeline.NONE, log);
        }
        Timeline timeline = new Timeline();
        String id = r.stack().deployId();
        try {
            Result result = run(engine, r, timeline, log);
            log.info(timeline.line("deployed " + id));
            return result;
        } catch (RuntimeException e) {
            timeline.mark("failed");
            log.info(timeline.line("deploy " + id + " failed", "after"));
            throw e;
        }
    }

    private static Result run(DockerEngine engine, Request r, Timeline timeline, Log log) {
        SwarmEngine swarm = engine.swarm();
        SwarmInfos.Node manager = manager(engine, swarm);
        // Built images first, before the lock and before anything changes, as on one engine: with sancho.push each is
        // pushed and the stack names the pushed reference, which every node can pull; without it the plan refuses.
        Stack stack = r.push() ? ImageBuilder.build(engine, r.stack(), r.processEnv(), r.maskedVariables(), false,
                true, r.dryRun(), log) : r.stack();
        if (r.push()) {
            timeline.mark("build");
        }
        SwarmPlan preview = SwarmPlanner.plan(stack, observe(engine, swarm, stack, manager, r.push()));
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
            log.info("[dry-run] nothing was changed");
            return new Result(stack.deployId(), List.of(), List.of(), List.of());
        }
        refuseIfAny(preview);
        timeline.mark("plan");
        Result result;
        try (SwarmLock held = SwarmLock.acquire(swarm, stack.project(), stack.identity(), r.lock(), log)) {
            timeline.mark("lock");
            SwarmPlanner.Observed observed = observe(engine, swarm, stack, manager, r.push());
            SwarmPlan plan = SwarmPlanner.plan(stack, observed);
            if (observed.digests().equals(Digests.unsaved())) {
                // the project's first deploy here: its digest key is created for a plan that runs, then used by it
                refuseIfAny(plan);
                DigestKey.ensure(swarm, stack.project(), log);
                plan = SwarmPlanner.plan(stack, observe(engine, swarm, stack, manager, r.push()));
            }
            plan.lines().forEach(log::info);
            refuseIfAny(plan);
            plan.drift().forEach(log::warn);
            timeline.mark("plan");
            // Infrastructure first, running (healthy) before the applications that use it are created or updated
            Result infra = execute(swarm, stack, plan, true);
            await(swarm, stack.deployId(), infra.created(), null, r.healthTimeout(), log);
            if (!infra.created().isEmpty()) { // else not a step of this deploy, and left out of the line
                timeline.mark("infrastructure");
            }
            Result apps = execute(swarm, stack, plan, false);
            List<String> appNames = new ArrayList<>(apps.created());
            appNames.addAll(apps.updated());
            timeline.mark("update");
            try {
                await(swarm, stack.deployId(), appNames, stack.deployId(), r.healthTimeout(), log);
            } finally { // a deploy that did not converge spent that time converging too
                timeline.mark("converge");
            }
            result = new Result(stack.deployId(), concat(infra.created(), apps.created()), apps.updated(),
                    infra.adopted());
            record(swarm, stack, plan, r.keep(), log);
            timeline.mark("record");
            log.info("Deployed " + stack.deployId() + " on the swarm: created " + join(result.created())
                    + "; updated " + join(result.updated()) + "; adopted " + join(result.adopted()));
        }
        timeline.mark("lock");
        if (r.verify()) {
            Verifier.Report report = SwarmVerify.verify(engine, stack, result.deployId(), log);
            timeline.mark("verify");
            if (!report.ok()) {
                throw new CheckFailedException("deploy " + result.deployId() + " is live on the swarm, but "
                        + report.summary());
            }
        }
        return result;
    }

    /** The node sancho talks to; fails in one line unless it is a swarm manager. */
    static SwarmInfos.Node manager(DockerEngine engine, SwarmEngine swarm) {
        SwarmInfos.State st = swarm.state();
        if (!"active".equals(st.localState()) || !st.manager()) {
            throw new ConfigException("the engine at " + engine.address() + " is not a swarm manager (swarm state "
                    + st.localState() + (st.manager() || !"active".equals(st.localState()) ? "" : ", a worker")
                    + "): <target>swarm</target> needs the address of a manager (sancho.dockerHost)");
        }
        return swarm.nodes().stream().filter(n -> n.id().equals(st.nodeId())).findFirst()
                .orElse(new SwarmInfos.Node(st.nodeId(), "?", "manager", "active", "ready", st.nodeAddress()));
    }

    static SwarmPlanner.Observed observe(DockerEngine engine, SwarmEngine swarm, Stack stack, SwarmInfos.Node manager,
            boolean push) {
        Digests digests = DigestKey.findOrUnsaved(swarm, stack.project());
        Map<String, SwarmInfos.Service> services = new LinkedHashMap<>();
        SwarmPlanner.serviceNames(stack).forEach(n -> swarm.findService(n).ifPresent(s -> services.put(n, s)));
        Set<String> networks = new LinkedHashSet<>();
        stack.networkNames().values().forEach(n -> engine.findNetwork(n).ifPresent(x -> networks.add(n)));
        Set<String> volumes = new LinkedHashSet<>();
        stack.volumeNames().values().forEach(v -> engine.findVolume(v).ifPresent(x -> volumes.add(v)));
        List<String> unpushed = push ? List.of() : stack.services().stream().filter(s -> s.service().build() != null)
                .map(StackService::name).toList();
        Set<String> files = new LinkedHashSet<>();
        for (StackService s : stack.services()) {
            for (SwarmServiceSpec.FileRef f : SwarmSpecs.files(stack, s, digests)) {
                if (f.secret() ? swarm.findSecret(f.name()).isPresent() : swarm.findConfig(f.name()).isPresent()) {
                    files.add(SwarmPlanner.fileKey(f));
                }
            }
        }
        return new SwarmPlanner.Observed(manager, services, networks, volumes, unpushed, files, digests);
    }

    private static void refuseIfAny(SwarmPlan plan) {
        if (!plan.refusals().isEmpty()) {
            throw new ConfigException(String.join("; ", plan.refusals()) + " (nothing was changed)");
        }
    }

    /** The plan's network and infrastructure actions ({@code infra}), or its application ones. */
    private static Result execute(SwarmEngine swarm, Stack stack, SwarmPlan plan, boolean infra) {
        List<String> created = new ArrayList<>(), updated = new ArrayList<>(), adopted = new ArrayList<>();
        Map<String, String> netLabels = Map.of(Labels.PROJECT, stack.project());
        for (SwarmPlan.Action a : plan.actions()) {
            boolean infraAction = a instanceof SwarmPlan.CreateNetwork || a instanceof SwarmPlan.CreateFile
                    || a instanceof SwarmPlan.AdoptService
                    || a instanceof SwarmPlan.CreateService c && c.infra();
            if (infraAction != infra) {
                continue;
            }
            if (a instanceof SwarmPlan.CreateNetwork n) {
                swarm.createOverlayNetwork(n.name(), netLabels);
            } else if (a instanceof SwarmPlan.CreateFile f) {
                createFile(swarm, f.file(), netLabels);
            } else if (a instanceof SwarmPlan.CreateService c) {
                swarm.createService(c.spec());
                created.add(c.spec().name());
            } else if (a instanceof SwarmPlan.AdoptService ad) {
                adopted.add(ad.current().name());
            } else if (a instanceof SwarmPlan.UpdateService u) {
                swarm.updateService(u.current(), u.spec());
                updated.add(u.spec().name());
            }
        }
        return new Result(stack.deployId(), created, updated, adopted);
    }

    /** Creates a secret or config named by its content; one made meanwhile by another run holds the same content. */
    static void createFile(SwarmEngine swarm, SwarmServiceSpec.FileRef f, Map<String, String> labels) {
        try {
            if (f.secret()) {
                swarm.createSecret(f.name(), labels, f.data());
            } else {
                swarm.createConfig(f.name(), labels, f.data());
            }
        } catch (NameConflictException e) {
            // same name = same digest = same content: the object is there, as wanted
        }
    }

    /**
     * Waits until every named service has converged (application services: on {@code deployId}, every task running
     * and healthy; infrastructure, {@code deployId} null: its one task running); else fails naming each service's
     * errors.
     */
    static void await(SwarmEngine swarm, String forDeploy, List<String> names, String deployId, Duration timeout,
            Log log) {
        if (names.isEmpty()) {
            return;
        }
        long deadline = Time.nanoTime() + timeout.toNanos();
        Map<String, SwarmConvergence.State> last = new LinkedHashMap<>();
        while (true) {
            boolean all = true;
            boolean failed = false;
            boolean rollbacksDone = true;
            for (String n : names) {
                SwarmInfos.Service s = swarm.findService(n).orElseThrow(() -> new CheckFailedException("service " + n
                        + " vanished during deploy " + forDeploy));
                SwarmConvergence.State st = SwarmConvergence.of(s, swarm.tasks(n), deployId);
                last.put(n, st);
                all &= st.converged();
                failed |= st.failed();
                rollbacksDone &= !st.failed() || st.rollbackDone();
            }
            if (all) {
                log.info(deployId == null ? "Infrastructure running: " + String.join(", ", names)
                        : "All " + names.size() + " application services converged on deploy " + deployId);
                return;
            }
            boolean late = Time.nanoTime() > deadline;
            if (failed && (rollbacksDone || late) || late) {
                List<String> lines = last.values().stream().filter(st -> !st.converged())
                        .map(SwarmConvergence.State::detail).toList();
                throw new CheckFailedException("deploy " + forDeploy + " did not converge"
                        + (failed ? " (the swarm rolled back: the previous deploy keeps serving)" : " within "
                        + timeout.toSeconds() + " s (sancho.healthTimeout)") + ": " + String.join(" | ", lines));
            }
            Time.sleep(POLL, "the swarm to converge on deploy " + forDeploy);
        }
    }

    /** The deploy's resolved application specs, as a swarm config; configs of deploys beyond keep are removed. */
    private static void record(SwarmEngine swarm, Stack stack, SwarmPlan plan, int keep, Log log) {
        List<SwarmServiceSpec> specs = new ArrayList<>();
        plan.actions(SwarmPlan.CreateService.class).stream().filter(c -> !c.infra()).forEach(c -> specs.add(c.spec()));
        plan.actions(SwarmPlan.UpdateService.class).forEach(u -> specs.add(u.spec()));
        Map<String, String> labels = historySelector(stack.project());
        labels.put(Labels.DEPLOY_ID, stack.deployId());
        labels.put(Labels.DEPLOYED_AT, Instant.now().toString());
        String name = historyName(stack.project(), stack.deployId());
        try {
            swarm.findConfig(name).ifPresent(c -> swarm.removeConfig(c.id())); // the same deploy id again
            swarm.createConfig(name, labels, SwarmSpecsJson.of(specs).getBytes(StandardCharsets.UTF_8));
            List<SwarmInfos.Config> kept = new ArrayList<>(swarm.listConfigs(historySelector(stack.project())));
            kept.sort(Comparator.comparing(SwarmInfos.Config::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .reversed());
            for (SwarmInfos.Config old : kept.subList(Math.min(Math.max(keep, 1), kept.size()), kept.size())) {
                swarm.removeConfig(old.id());
                log.info("removed the record of deploy " + old.labels().get(Labels.DEPLOY_ID) + " (beyond keep "
                        + keep + ")");
            }
        } catch (RuntimeException e) {
            log.warn("deploy " + stack.deployId() + " is live, but its record in the swarm could not be written: "
                    + e.getMessage());
        }
    }

    static String historyName(String project, String deployId) {
        return "sancho-deploy-" + project + "-" + deployId;
    }

    static Map<String, String> historySelector(String project) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Labels.PROJECT, project);
        m.put(Labels.ROLE, "deploy-record");
        return m;
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
