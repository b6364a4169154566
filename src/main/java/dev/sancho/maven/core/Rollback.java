package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.plan.Action;
import dev.sancho.maven.plan.ContainerSpecs;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Brings a kept (stopped) deploy back: start it, wait until it is healthy, and only then stop the current one.
 * If the target does not become healthy it is stopped again and the current deploy keeps serving. Nothing is
 * removed. Infrastructure is not involved.
 */
public final class Rollback {
    private Rollback() {}

    /** @param targetId the deploy to go back to; null = the newest kept one */
    /** @param drain as in deploy: the current deploy leaves DNS, drains, then stops (see {@link Cutover}) */
    /** @param maskedVariables more variable names whose values a failure message hides ({@code sancho.maskedVariables}) */
    /** @param waits how the cutover waits for the proxy; null: {@link ProxyWaits#dns} of {@code drain} */
    public record Options(String targetId, boolean dryRun, Duration healthTimeout, Duration minReady,
            Duration drain, List<String> maskedVariables, ProxyWaits waits) {
        public Options {
            maskedVariables = maskedVariables == null ? List.of() : List.copyOf(maskedVariables);
            waits = waits == null ? ProxyWaits.dns(drain) : waits;
        }

        public Options(String targetId, boolean dryRun, Duration healthTimeout, Duration minReady, Duration drain,
                List<String> maskedVariables) {
            this(targetId, dryRun, healthTimeout, minReady, drain, maskedVariables, null);
        }

        public Options(String targetId, boolean dryRun, Duration healthTimeout, Duration minReady, Duration drain) {
            this(targetId, dryRun, healthTimeout, minReady, drain, List.of());
        }

        public Options(String targetId, boolean dryRun, Duration healthTimeout, Duration minReady) {
            this(targetId, dryRun, healthTimeout, minReady, Duration.ZERO);
        }
    }

    /** @param from the deploy that was current (null when none was running) */
    public record Result(String from, String to) {}

    /**
     * The goal: a dry run prints the plan; otherwise the rollback runs under the project's deploy lock and ends, like
     * a deploy, with its timeline ({@code rolled back to 41 in 3.1 s: lock 0.1, plan 0.0, start 0.3, ready 0.6, dns
     * 0.4, drain 1.2, stop 0.3}; a failed one {@code rollback to 41 failed after ...}).
     */
    public static Result run(DockerEngine engine, Stack stack, Options options, LockOptions lock, Log log) {
        Ownership.require(engine, stack, false, log);
        if (options.dryRun()) {
            return rollback(engine, stack, options, log);
        }
        Timeline timeline = new Timeline();
        String[] to = {options.targetId()};
        try {
            Result r = Locked.run(engine, stack, lock, "nothing to roll back to", log, () -> {
                timeline.mark("lock");
                return rollback(engine, stack, options, timeline, t -> to[0] = t, log);
            });
            timeline.mark("lock");
            log.info(timeline.line("rolled back to " + r.to()));
            return r;
        } catch (RuntimeException e) {
            timeline.mark("failed");
            log.info(timeline.line("rollback" + (to[0] == null ? "" : " to " + to[0]) + " failed", "after"));
            throw e;
        }
    }

    public static Result rollback(DockerEngine engine, Stack stack, Options options, Log log) {
        return rollback(engine, stack, options, Timeline.NONE, t -> {}, log);
    }

    /**
     * @param timeline gets {@code plan} (reading the deploys), {@code start}, {@code ready}, and the cutover's
     *                 {@code dns}, {@code drain}, {@code stop}
     * @param onTarget told the target's id as soon as it is known (for the timeline of a failed rollback)
     */
    private static Result rollback(DockerEngine engine, Stack stack, Options options, Timeline timeline,
            java.util.function.Consumer<String> onTarget, Log log) {
        DeployHistory history = StateReader.history(engine, stack.project());
        Optional<DeployHistory.Deploy> current = history.current();
        DeployHistory.Deploy target = target(stack, history, current, options.targetId());
        onTarget.accept(target.id());

        String from = current.map(DeployHistory.Deploy::id).orElse(null);
        log.info("sancho:rollback — project " + stack.project() + ": "
                + (from == null ? "no deploy is running" : "current " + describe(current.get())) + " -> "
                + describe(target));
        Table t = new Table();
        ordered(stack, target).forEach(c -> t.row("start", c.name(), c.image()));
        current.ifPresent(d -> reverse(ordered(stack, d)).forEach(c -> t.row("stop", c.name(),
                "after " + target.id() + " is healthy, grace " + stopTimeout(stack, c).toSeconds() + " s")));
        t.lines().forEach(l -> log.info("  " + l));
        if (options.dryRun()) {
            log.info("Dry run: nothing changed.");
            return new Result(from, target.id());
        }

        timeline.mark("plan");
        List<ContainerInfo> toStart = ordered(stack, target);
        List<ContainerInfo> started = new ArrayList<>();
        boolean currentStopped = false;
        for (ContainerInfo c : toStart) {
            try {
                Executor.revive(engine, c);
                started.add(c);
            } catch (DockerOperationException e) {
                if (current.isPresent() && !currentStopped && portTaken(e)) {
                    // Both deploys publish the same host port: they cannot run side by side. Swap instead.
                    log.warn(c.name() + " publishes a host port the current deploy holds, so the two cannot run side"
                            + " by side: stopping deploy " + from + " first (a short outage)");
                    stopAll(engine, stack, ordered(stack, current.get()), log);
                    currentStopped = true;
                    try {
                        Executor.revive(engine, c);
                        started.add(c);
                        continue;
                    } catch (DockerOperationException again) {
                        e = again;
                    }
                }
                undo(engine, stack, started, current, currentStopped, log);
                throw new CheckFailedException("rollback to " + target.id() + " failed: cannot start " + c.name()
                        + ": " + e.getMessage() + restoredText(from, currentStopped));
            }
        }
        long startedAt = Time.nanoTime();
        timeline.mark("start");
        Map<String, String> ids = new LinkedHashMap<>();
        started.forEach(c -> ids.put(c.id(), c.name()));
        log.info("Waiting for deploy " + target.id() + " to become ready (timeout "
                + options.healthTimeout().toSeconds() + " s)");
        HealthGate.Result r = HealthGate.await(engine, ids, options.healthTimeout(), options.minReady(), log);
        timeline.mark("ready");
        if (!r.ok()) {
            undo(engine, stack, started, current, currentStopped, log);
            throw new CheckFailedException("rollback to " + target.id() + " failed, " + SecretMask.of(stack, options.maskedVariables()).apply(r.describe())
                    + restoredText(from, currentStopped));
        }
        if (current.isPresent() && !currentStopped) {
            // Same cutover as a deploy: the current deploy leaves DNS, drains, then stops, so proxies drop nothing.
            List<Action.OldContainer> old = reverse(ordered(stack, current.get())).stream()
                    .filter(ContainerInfo::running)
                    .map(c -> new Action.OldContainer(c, stack.service(String.valueOf(c.label(Labels.SERVICE)))
                            .map(s -> s.service().stopSignal()).orElse(null), stopTimeout(stack, c)))
                    .toList();
            Cutover.drainAndStop(engine, new Action.Cutover(old, options.drain()), startedAt, options.waits(),
                    timeline, log);
        }
        log.info("Rolled back: deploy " + target.id() + " is current"
                + (from == null ? "." : "; " + from + " is stopped and kept (mvn sancho:rollback -Dsancho.rollbackTo="
                        + from + " returns to it)."));
        return new Result(from, target.id());
    }

    private static String restoredText(String from, boolean currentStopped) {
        if (from == null) {
            return "; it was stopped again, nothing else changed";
        }
        return currentStopped ? "; it was stopped again and deploy " + from + " restarted"
                : "; it was stopped again, deploy " + from + " kept serving throughout";
    }

    private static DeployHistory.Deploy target(Stack stack, DeployHistory history,
            Optional<DeployHistory.Deploy> current, String targetId) {
        List<DeployHistory.Deploy> kept = history.kept();
        String keptText = kept.isEmpty() ? "none is kept"
                : "kept: " + kept.stream().map(Rollback::describe).collect(Collectors.joining(", "));
        if (targetId != null) {
            DeployHistory.Deploy d = history.find(targetId).orElseThrow(() -> new ConfigException(
                    "sancho.rollbackTo=" + targetId + ": project " + stack.project() + " has no deploy with this id ("
                            + keptText + ")"));
            if (current.isPresent() && current.get().id().equals(d.id())) {
                throw new ConfigException("sancho.rollbackTo=" + targetId + " is already the current deploy ("
                        + keptText + ")");
            }
            if (!d.stopped()) {
                throw new CheckFailedException("deploy " + targetId + " cannot be rolled back to: its containers are "
                        + d.state() + ", not cleanly stopped (" + keptText + ")");
            }
            if (!d.missingServices().isEmpty()) {
                throw new CheckFailedException("deploy " + targetId + " cannot be rolled back to: it was interrupted"
                        + " before all its services had a container (no " + String.join(", ", d.missingServices())
                        + "), so it would leave them without one (" + keptText + ")");
            }
            return d;
        }
        return kept.stream().findFirst().orElseThrow(() -> new CheckFailedException("nothing to roll back to:"
                + " project " + stack.project() + " has no stopped deploy kept"
                + current.map(c -> " (current: " + c.id() + ")").orElse("")
                + "; sancho:deploy keeps the previous sancho.keep deploys stopped for this"));
    }

    private static String describe(DeployHistory.Deploy d) {
        return d.id() + (d.deployedAt() == null ? "" : " (" + d.deployedAt() + ")");
    }

    /**
     * Compose start order (depends_on) for known services, then anything the stack no longer declares. One-shot
     * jobs are left out: a rollback returns to a deploy's long-running containers and does not run its job (e.g. an
     * older migration) again.
     */
    static List<ContainerInfo> ordered(Stack stack, DeployHistory.Deploy d) {
        List<String> order = stack.services().stream().map(StackService::name).toList();
        return d.containers().stream().filter(c -> !"true".equals(c.label(Labels.JOB))).sorted(Comparator.comparingInt((ContainerInfo c) -> {
            int i = order.indexOf(c.label(Labels.SERVICE));
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(ContainerInfo::name)).toList();
    }

    private static List<ContainerInfo> reverse(List<ContainerInfo> list) {
        List<ContainerInfo> r = new ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }

    private static void stopAll(DockerEngine engine, Stack stack, List<ContainerInfo> containers, Log log) {
        for (ContainerInfo c : reverse(containers)) {
            Duration grace = stopTimeout(stack, c);
            log.info("  stopping " + c.name() + " (grace " + grace.toSeconds() + " s)");
            Executor.retire(engine, c.id(), grace);
        }
    }

    /** Puts things back as they were: the target stopped, the current deploy running. */
    private static void undo(DockerEngine engine, Stack stack, List<ContainerInfo> started,
            Optional<DeployHistory.Deploy> current, boolean currentStopped, Log log) {
        stopAll(engine, stack, started, log);
        if (currentStopped && current.isPresent()) {
            for (ContainerInfo c : ordered(stack, current.get())) {
                log.info("  restarting " + c.name());
                Executor.revive(engine, c);
            }
        }
    }

    static Duration stopTimeout(Stack stack, ContainerInfo c) {
        String service = c.label(Labels.SERVICE);
        return service == null ? ContainerSpecs.DEFAULT_STOP_GRACE : stack.service(service)
                .map(s -> ContainerSpecs.stopTimeout(s.service())).orElse(ContainerSpecs.DEFAULT_STOP_GRACE);
    }

    private static boolean portTaken(DockerOperationException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("port is already allocated") || m.contains("address already in use");
    }
}
