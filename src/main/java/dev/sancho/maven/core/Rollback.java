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
import dev.sancho.maven.plan.DnsAliases;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Retention;
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
import java.util.Set;
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

        /** These options with other cutover waits. */
        public Options withWaits(ProxyWaits other) {
            return new Options(targetId, dryRun, healthTimeout, minReady, drain, maskedVariables, other);
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
                + describe(target) + direction(history, current, target));
        List<ContainerInfo> toStart = ordered(stack, target);
        // Everything of another deploy that runs now stops once the target serves: the current deploy and any
        // stray one (an interrupted deploy's containers), as at a deploy's cutover.
        List<ContainerInfo> others = history.deploys().stream().filter(d -> !d.id().equals(target.id()))
                .flatMap(d -> d.containers().stream()).filter(ContainerInfo::running).toList();
        Set<String> served = new java.util.HashSet<>();
        others.forEach(c -> served.add(c.label(Labels.SERVICE)));
        List<ContainerInfo> repairs = history.deploys().stream().filter(d -> !d.id().equals(target.id()))
                .flatMap(d -> d.containers().stream()).filter(c -> "exited".equals(c.state()))
                .filter(c -> !"true".equals(c.label(Labels.JOB)) && !DnsAliases.missing(c).isEmpty()).toList();
        // Leftovers of a killed deploy or rollback go once the target serves, as a deploy's retention would remove
        // them: they are never rollback targets, and kept they would exceed keep until the next deploy.
        List<Action.RemoveContainer> leftovers = Retention.leftovers(stack.project(), stack.identity(),
                stack.infrastructureNames(), history.deploys().stream().filter(d -> !d.id().equals(target.id()))
                        .filter(d -> current.isEmpty() || !d.id().equals(current.get().id()))
                        .flatMap(d -> d.containers().stream()).toList());
        Table t = new Table();
        repairs.forEach(c -> t.row("repair", c.name(), "gets back its DNS aliases (lost in an interrupted cutover)"));
        toStart.forEach(c -> t.row("start", c.name(), c.image()));
        t.row("await", target.id(), "ready (healthcheck, else running " + options.minReady().toSeconds()
                + " s; timeout " + options.healthTimeout().toSeconds() + " s), then in DNS");
        List<Action.ReloadProxy> reloads = others.isEmpty() ? List.of() : Action.ReloadProxy.of(stack);
        reloads.forEach(p -> t.row("reload", p.container(), p.shown() + " (x-sancho-proxy) once " + target.id()
                + " is in DNS and again once the current deploy left it, instead of waiting out the proxy's DNS cache"));
        Options opts = options.withWaits(options.waits().withReloads(reloads));
        reverse(ordered(stack, others)).forEach(c -> t.row("stop", c.name(),
                "after " + target.id() + " is healthy, grace " + stopTimeout(stack, c).toSeconds() + " s"));
        leftovers.forEach(r -> t.row("remove", r.name(), r.reason()));
        t.lines().forEach(l -> log.info("  " + l));
        if (options.dryRun()) {
            log.info("Dry run: nothing changed.");
            return new Result(from, target.id());
        }
        timeline.mark("plan");
        try (Interruption guard = Interruption.install(engine, "rollback to " + target.id(), log)) {
            return rollback(guard, stack, opts, timeline, current, target, toStart, others, served, repairs,
                    leftovers, log);
        }
    }

    /**
     * The rollback itself, the way a deploy brings up its new containers: started without their DNS aliases where
     * another container serves the name, health-gated, then in DNS, then the cutover. Until the cutover Ctrl-C (or a
     * failure) stops the target again and leaves things as they were; from the cutover on Ctrl-C finishes it.
     */
    private static Result rollback(Interruption guard, Stack stack, Options options, Timeline timeline,
            Optional<DeployHistory.Deploy> current, DeployHistory.Deploy target, List<ContainerInfo> toStart,
            List<ContainerInfo> others, Set<String> served, List<ContainerInfo> repairs,
            List<Action.RemoveContainer> leftovers, Log log) {
        DockerEngine engine = guard.engine();
        String from = current.map(DeployHistory.Deploy::id).orElse(null);
        SecretMask mask = SecretMask.of(stack, options.maskedVariables());
        List<ContainerInfo> started = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean[] currentStopped = {false};
        guard.phase(raw -> {
            log.warn("Interrupted: rollback to " + target.id() + " is not serving yet; stopping it again");
            undo(raw, stack, toStart, current, currentStopped[0], options.waits(), log);
        });
        repairs.forEach(c -> Executor.restoreAliases(engine, c.id(), log));
        List<Action.Join> joins = new ArrayList<>();
        for (ContainerInfo c : toStart) {
            Map<String, List<String>> aliases = DnsAliases.expected(c);
            if (served.contains(c.label(Labels.SERVICE)) && !aliases.isEmpty()) {
                // A stopped container keeps its aliases; started with them it would take requests before it is ready.
                DnsAliases.current(c).forEach((network, has) -> {
                    if (!has.isEmpty()) {
                        List<String> keep = c.networkAliases().get(network).stream().filter(a -> !has.contains(a))
                                .toList();
                        engine.replaceAliases(network, c.id(), keep);
                    }
                });
                joins.add(new Action.Join(c.name(), aliases));
            } else if (!DnsAliases.missing(c).isEmpty()) {
                // Nothing else serves its name: it answers from its start, as at creation, whole again when an
                // interrupted cutover left it without an alias or off a network.
                Executor.restoreAliases(engine, c.id(), log);
            }
        }
        for (ContainerInfo c : toStart) {
            try {
                Executor.revive(engine, c);
                started.add(c);
                log.info("  started " + c.name() + " (deploy " + target.id() + ")");
            } catch (DockerOperationException e) {
                if (current.isPresent() && !currentStopped[0] && portTaken(e)) {
                    // Both deploys publish the same host port: they cannot run side by side. Swap instead.
                    log.warn(c.name() + " publishes a host port the current deploy holds, so the two cannot run side"
                            + " by side: stopping deploy " + from + " first (a short outage)");
                    stopAll(engine, stack, ordered(stack, current.get()), log);
                    currentStopped[0] = true;
                    try {
                        Executor.revive(engine, c);
                        started.add(c);
                        continue;
                    } catch (DockerOperationException again) {
                        e = again;
                    }
                }
                failed(guard, stack, toStart, current, currentStopped[0], options, log);
                throw new CheckFailedException("rollback to " + target.id() + " failed: cannot start " + c.name()
                        + ": " + e.getMessage() + restoredText(from, currentStopped[0]));
            }
        }
        timeline.mark("start");
        Map<String, String> ids = new LinkedHashMap<>();
        started.forEach(c -> ids.put(c.id(), c.name()));
        log.info("Waiting for deploy " + target.id() + " to become ready (timeout "
                + options.healthTimeout().toSeconds() + " s)");
        HealthGate.Result r;
        try {
            r = HealthGate.await(engine, ids, options.healthTimeout(), options.minReady(), log);
        } catch (RuntimeException e) {
            failed(guard, stack, toStart, current, currentStopped[0], options, log);
            throw e;
        }
        timeline.mark("ready");
        if (!r.ok()) {
            failed(guard, stack, toStart, current, currentStopped[0], options, log);
            throw new CheckFailedException("rollback to " + target.id() + " failed, " + mask.apply(r.describe())
                    + restoredText(from, currentStopped[0]));
        }
        long inDnsSince = Time.nanoTime();
        if (!joins.isEmpty()) {
            try {
                Map<String, String> byName = new LinkedHashMap<>();
                started.forEach(c -> byName.put(c.name(), c.id()));
                Cutover.joinDns(engine, joins, byName, log);
            } catch (RuntimeException e) {
                failed(guard, stack, toStart, current, currentStopped[0], options, log);
                throw new CheckFailedException("rollback to " + target.id() + " failed: " + e.getMessage()
                        + restoredText(from, currentStopped[0]));
            }
            inDnsSince = Time.nanoTime();
            timeline.mark("dns");
        }
        List<ContainerInfo> toStop = currentStopped[0] ? others.stream()
                .filter(c -> current.isEmpty() || !current.get().id().equals(c.label(Labels.DEPLOY_ID))).toList()
                : others;
        if (!toStop.isEmpty()) {
            // Same cutover as a deploy: what else runs leaves DNS, drains, then stops, so proxies drop nothing.
            Action.Cutover cutover = new Action.Cutover(reverse(ordered(stack, toStop)).stream()
                    .map(c -> new Action.OldContainer(c, stack.service(String.valueOf(c.label(Labels.SERVICE)))
                            .map(s -> s.service().stopSignal()).orElse(null), stopTimeout(stack, c)))
                    .toList(), options.drain());
            long since = inDnsSince;
            guard.phase(raw -> Deployer.finishCutover(raw, cutover, since, options.waits(), log));
            Cutover.drainAndStop(engine, cutover, inDnsSince, options.waits(), timeline, log);
        }
        guard.phase(raw -> {});
        // Read again now: a killed deploy that had started a container counted as running before the cutover, and
        // only now is it a stopped, interrupted deploy (plus containers never started).
        List<ContainerInfo> afterCutover = StateReader.history(engine, stack.project()).deploys().stream()
                .filter(d -> !d.id().equals(target.id())).flatMap(d -> d.containers().stream()).toList();
        for (Action.RemoveContainer leftover : Retention.leftovers(stack.project(), stack.identity(),
                stack.infrastructureNames(), afterCutover)) {
            try {
                if (Executor.remove(engine, leftover, stack.project(), stack.identity(), stack.infrastructureNames())) {
                    log.info("  removed " + leftover.what());
                }
            } catch (DockerOperationException e) {
                // the rollback itself is done; pre-deploy-cleanup or the next deploy removes it
                log.warn("could not remove " + leftover.name() + " (" + e.getMessage() + "): the next deploy or"
                        + " sancho:pre-deploy-cleanup removes it");
            }
        }
        log.info("Rolled back: deploy " + target.id() + " is current"
                + (from == null ? "." : "; " + from + " is stopped and kept (mvn sancho:rollback -Dsancho.rollbackTo="
                        + from + " returns to it)."));
        return new Result(from, target.id());
    }

    /** How the target relates to the current deploy, for the first line: back to an older one, or forward. */
    private static String direction(DeployHistory history, Optional<DeployHistory.Deploy> current,
            DeployHistory.Deploy target) {
        if (current.isEmpty()) {
            return " (nothing runs: the newest kept deploy)";
        }
        boolean older = history.deploys().indexOf(target) > history.deploys().indexOf(current.get());
        return older ? " (back to an older deploy)" : " (forward to a newer deploy)";
    }

    /** Undo after a failure; after Ctrl-C the hook does it on the way out, and the rollback says it was interrupted. */
    private static void failed(Interruption guard, Stack stack, List<ContainerInfo> toStart,
            Optional<DeployHistory.Deploy> current, boolean currentStopped, Options options, Log log) {
        if (guard.interrupted()) {
            throw interrupted(current);
        }
        undo(guard.engine(), stack, toStart, current, currentStopped, options.waits(), log);
    }

    private static CheckFailedException interrupted(Optional<DeployHistory.Deploy> current) {
        return new CheckFailedException("rollback interrupted (Ctrl-C or SIGTERM): its target is stopped again on the"
                + " way out" + current.map(d -> "; deploy " + d.id() + " keeps serving").orElse(""));
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
        if (kept.isEmpty()) {
            throw new CheckFailedException("nothing to roll back to: project " + stack.project() + " has no stopped"
                    + " deploy kept" + current.map(c -> " (current: " + c.id() + ")").orElse("")
                    + "; sancho:deploy keeps the previous sancho.keep deploys stopped for this");
        }
        if (current.isEmpty()) {
            return kept.get(0);
        }
        // Back, never forward: the newest kept deploy OLDER than the current one, so repeated rollbacks walk back
        // (the deploy just left is newer than the one now current, and is reached only by naming it).
        int at = history.deploys().indexOf(current.get());
        List<DeployHistory.Deploy> newer = kept.stream().filter(d -> history.deploys().indexOf(d) < at).toList();
        return kept.stream().filter(d -> history.deploys().indexOf(d) > at).findFirst().orElseThrow(() ->
                new CheckFailedException("nothing older than the current deploy " + current.get().id() + " is kept to"
                        + " roll back to" + (newer.isEmpty() ? "" : "; newer kept deploys: " + newer.stream()
                                .map(DeployHistory.Deploy::id).collect(Collectors.joining(", ")) + " (mvn"
                                + " sancho:rollback -Dsancho.rollbackTo=" + newer.get(newer.size() - 1).id()
                                + " goes forward to it)")));
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
        return ordered(stack, d.containers());
    }

    static List<ContainerInfo> ordered(Stack stack, List<ContainerInfo> containers) {
        List<String> order = stack.services().stream().map(StackService::name).toList();
        return containers.stream().filter(c -> !"true".equals(c.label(Labels.JOB))).sorted(Comparator.comparingInt((ContainerInfo c) -> {
            int i = order.indexOf(c.label(Labels.SERVICE));
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(ContainerInfo::name)).toList();
    }

    private static List<ContainerInfo> reverse(List<ContainerInfo> list) {
        List<ContainerInfo> r = new ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }

    /** Stops each (restart policy no first), and gives it its DNS aliases back: a stopped container is kept whole. */
    private static void stopAll(DockerEngine engine, Stack stack, List<ContainerInfo> containers, Log log) {
        for (ContainerInfo c : reverse(containers)) {
            if (engine.inspectContainer(c.id()).map(ContainerInfo::running).orElse(false)) {
                Duration grace = stopTimeout(stack, c);
                log.info("  stopping " + c.name() + " (grace " + grace.toSeconds() + " s)");
                Executor.retire(engine, c.id(), grace);
            }
            Executor.restoreAliases(engine, c.id(), log);
        }
    }

    /**
     * Puts things back as they were: the target stopped (out of DNS first if it had joined, and only once proxies
     * re-resolved), with its aliases back; the current deploy running again if it was stopped for a host port.
     */
    private static void undo(DockerEngine engine, Stack stack, List<ContainerInfo> toStart,
            Optional<DeployHistory.Deploy> current, boolean currentStopped, ProxyWaits waits, Log log) {
        boolean left = false;
        for (ContainerInfo c : toStart) {
            ContainerInfo now = engine.inspectContainer(c.id()).orElse(null);
            if (now != null && now.running()) {
                left |= Cutover.leave(engine, now, log);
            }
        }
        if (left && !Cutover.reloadedAfterLeaving(engine, waits, "the rollback target left DNS", log)) {
            Time.sleep(waits.inDnsBeforeSwitch(), "proxies to forget the rollback target's addresses");
        }
        stopAll(engine, stack, toStart, log);
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
