package dev.sancho.maven.core;

import dev.sancho.maven.common.Parallel;
import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.RegistryAuthException;
import dev.sancho.maven.plan.Action;
import dev.sancho.maven.plan.Plan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Executes a {@link Plan} with one loop. Before anything changes: the plan's blockers and its safety invariants
 * are checked and every missing image is pulled (offline that fails with one line naming the image). If the new
 * deploy does not become ready, its app containers are removed again (through {@link dev.sancho.maven.plan.Safety}) and the previous
 * deploy keeps serving: nothing of it has been touched before the cutover, except the containers of services with
 * a fixed host port ({@link Action.StopFirst}), which are stopped right before their replacement starts and are
 * started again (and awaited) when the new deploy fails.
 */
public final class Deployer {
    private static final int LOG_LINES = 20;

    private Deployer() {}

    /** What a deploy did, for the summary line. */
    public record Result(String deployId, List<String> created, List<String> stopped, List<String> removed) {}

    /** Refuses the plan when it has blockers, before it creates, starts or stops any container. */
    public static void requireRunnable(Plan plan) {
        if (!plan.blockers().isEmpty()) {
            throw new ConfigException("deploy " + plan.deployId() + " refused before creating, starting or stopping"
                    + " any container: " + String.join(" | ", plan.blockers()));
        }
    }

    /**
     * Makes every image the plan needs present, trying a pull for each missing one. All failures are reported
     * together in one line, before the plan has changed anything.
     */
    public static void ensureImages(DockerEngine engine, List<Action.PullImage> pulls, Log log) {
        List<String> missing = new ArrayList<>();
        String reason = null;
        for (Action.PullImage p : pulls) {
            try {
                log.info("Pulling " + p.image() + " (" + p.reason() + ")");
                engine.pullImage(p.image(), log::info);
            } catch (RegistryAuthException e) {
                // not "build or load it": the image may well be there, the credentials are what is wrong
                throw new ConfigException(e.getMessage() + "; nothing was changed", e);
            } catch (DockerOperationException e) {
                missing.add(p.image());
                reason = reason == null ? e.getMessage() : reason;
            }
        }
        if (!missing.isEmpty()) {
            String list = String.join(", ", missing);
            throw new ConfigException((missing.size() == 1 ? "image " + list + " is" : "images " + list + " are")
                    + " not on the engine at " + engine.address() + " and cannot be pulled (" + reason + "): build or"
                    + " load it there first (docker build -t " + missing.get(0) + " <dir>, or docker load -i <file>.tar);"
                    + " nothing was changed");
        }
    }

    public static Result execute(DockerEngine engine, Plan plan, SecretMask mask, Log log) {
        return execute(engine, plan, mask, null, Timeline.NONE, log);
    }

    /**
     * @param waits    the cutover's waits for the proxy; null: a DNS proxy re-resolving within the plan's drain
     *                 ({@link ProxyWaits#dns})
     * @param timeline gets the steps {@code start} (create and start), {@code ready} (health and job waits),
     *                 {@code dns}, {@code drain} and {@code stop} (the cutover, stop-first, removals beyond keep)
     */
    public static Result execute(DockerEngine engine, Plan plan, SecretMask mask, ProxyWaits waits, Timeline timeline,
            Log log) {
        return execute(engine, plan, mask, waits, timeline, () -> { }, log);
    }

    /**
     * @param beforeStopping runs right before the new deploy joins DNS and before anything of a previous deploy is
     *                       stopped (the cutover, a stop-first service), and fails when the deploy lock is no longer
     *                       held ({@link DeployLock#requireHeld})
     */
    public static Result execute(DockerEngine engine, Plan plan, SecretMask mask, ProxyWaits waits, Timeline timeline,
            Runnable beforeStopping, Log log) {
        requireRunnable(plan);
        plan.assertSafe();
        try (Interruption guard = Interruption.install(engine, "deploy " + plan.deployId(), log)) {
            return execute(guard, plan, mask, waits, timeline, beforeStopping, log);
        }
    }

    /**
     * The deploy under a Ctrl-C guard: until the new deploy is ready and in DNS, Ctrl-C removes its containers on the
     * way out (and starts a stop-first service's previous container again), as a failure does; from then on it
     * finishes the cutover, so one deploy serves either way.
     */
    static Result execute(Interruption guard, Plan plan, SecretMask mask, ProxyWaits waits, Timeline timeline,
            Runnable beforeStopping, Log log) {
        DockerEngine engine = guard.engine();
        List<Action.ReloadProxy> reloads = plan.actions(Action.ReloadProxy.class);
        ProxyWaits undoWaits = (waits != null ? waits : ProxyWaits.dns(plan.actions(Action.Cutover.class).stream()
                .findFirst().map(Action.Cutover::drain).orElse(Duration.ZERO))).withReloads(reloads);
        guard.phase(raw -> {
            log.warn("Interrupted: deploy " + plan.deployId() + " is not serving yet; removing its containers");
            removeNew(raw, plan, undoWaits, "interrupted", log);
            reviveStoppedFirst(raw, plan, log);
        });
        // a pull the policy asks for although the image is there (always, daily...) was done before the lock
        ensureImages(engine, plan.actions(Action.PullImage.class).stream()
                .filter(p -> engine.findImage(p.image()).isEmpty()).toList(), log);

        Map<String, String> ids = new LinkedHashMap<>(); // container name -> id, for what this run created/started
        List<String> createdApps = new ArrayList<>();
        List<Action.StartContainer> wave = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<Action.StopFirst> stoppedFirst = new ArrayList<>();
        boolean cutOver = false;
        Set<Action> removedEarly = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Set<Action> createdAhead = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long appsStarted = 0; // Time.nanoTime() of the last app start: from then on what joined at creation is in DNS
        long joined = 0; // Time.nanoTime() once the new deploy's ready containers joined DNS
        plan.warnings().forEach(log::warn);
        try {
            for (Action action : plan.actions()) {
                boolean sameWave = action instanceof Action.StartContainer s
                        && (wave.isEmpty() || wave.get(0).wave() == s.wave());
                if (!sameWave && !wave.isEmpty()) {
                    startWave(engine, wave, ids, log);
                    timeline.mark("start");
                    if (wave.stream().anyMatch(s -> !s.infra())) {
                        appsStarted = Time.nanoTime();
                    }
                    wave.clear();
                }
                if (action instanceof Action.CreateNetwork n) {
                    Executor.create(engine, n);
                    log.info("Created network " + n.name());
                } else if (action instanceof Action.CreateVolume v) {
                    Executor.create(engine, v);
                    log.info("Created volume " + v.name());
                } else if (action instanceof Action.DriftReport d) {
                    log.warn(d.describe().trim());
                } else if (action instanceof Action.NetworkGap g) {
                    log.warn(g.describe().trim());
                } else if (action instanceof Action.RenameInfra r) {
                    Executor.rename(engine, r);
                    log.warn(r.from() + " gets its fixed name " + r.to() + " back (an upgrade of it was interrupted)");
                } else if (action instanceof Action.RestoreAliases r) {
                    Executor.restoreAliases(engine, r.container().id(), log);
                } else if (action instanceof Action.JoinDns j) {
                    beforeStopping.run(); // what serves changes from here on: only while the lock is ours
                    Cutover.joinDns(engine, j.joins(), ids, log);
                    joined = Time.nanoTime();
                } else if (action instanceof Action.CreateContainer c) {
                    if (!createdAhead.contains(c)) {
                        List<Action.CreateContainer> batch = new ArrayList<>();
                        for (Action next : plan.actions().subList(plan.actions().indexOf(c), plan.actions().size())) {
                            if (!(next instanceof Action.CreateContainer cc)) {
                                break;
                            }
                            batch.add(cc);
                        }
                        createdAhead.addAll(batch);
                        createAll(engine, batch, ids, createdApps, log);
                    }
                } else if (action instanceof Action.StartContainer s) {
                    if (s.id() != null) {
                        ids.put(s.name(), s.id());
                    }
                    wave.add(s);
                } else if (action instanceof Action.AwaitCompleted j) {
                    requireOk(plan, mask, HealthGate.awaitCompleted(engine, byId(j.names(), ids), j.timeout(), log));
                } else if (action instanceof Action.AwaitHealthy h) {
                    requireOk(plan, mask, HealthGate.await(engine, byId(h.names(), ids), h.timeout(), h.minReady(),
                            log));
                } else if (action instanceof Action.StopFirst f) {
                    beforeStopping.run();
                    // recorded before stopping: a stop failing half-way is undone too
                    stoppedFirst.add(f);
                    log.info("Stopping " + String.join(", ", f.stop().stream().map(Action.OldContainer::name)
                            .toList()) + " before " + f.replacement() + " starts (" + f.service() + " publishes host port "
                            + String.join(", ", f.hostPorts()) + ")");
                    Cutover.drainAndStop(engine, new Action.Cutover(f.stop(), Duration.ZERO), log);
                    f.stop().forEach(o -> stopped.add(o.name()));
                } else if (action instanceof Action.Cutover c) {
                    beforeStopping.run();
                    ProxyWaits w = (waits != null ? waits : ProxyWaits.dns(c.drain())).withReloads(reloads);
                    // The removals beyond keep (after the cutover in the plan) of containers that are already stopped
                    // run in the drain's wait instead of after it. A container this cutover stops (an interrupted
                    // deploy's, still running) is removed after its stop, as the plan orders: the executor never
                    // removes a running container.
                    Set<String> stopping = new java.util.HashSet<>();
                    c.stop().forEach(o -> stopping.add(o.name()));
                    List<Action.RemoveContainer> removals = plan.actions().subList(plan.actions().indexOf(c) + 1,
                            plan.actions().size()).stream().filter(Action.RemoveContainer.class::isInstance)
                            .map(Action.RemoveContainer.class::cast).filter(r -> !stopping.contains(r.name()))
                            .toList();
                    long inDnsSince = joined != 0 ? joined : appsStarted != 0 ? appsStarted
                            : Time.nanoTime() - w.inDnsBeforeSwitch().toNanos();
                    // From here on the new deploy is ready and in DNS: Ctrl-C finishes the switch, it no longer undoes.
                    List<Action.RemoveContainer> beyondKeep = plan.actions().subList(plan.actions().indexOf(c) + 1,
                            plan.actions().size()).stream().filter(Action.RemoveContainer.class::isInstance)
                            .map(Action.RemoveContainer.class::cast).toList();
                    guard.phase(raw -> {
                        finishCutover(raw, c, inDnsSince, w, log);
                        beyondKeep.forEach(r -> {
                            try {
                                remove(raw, plan, r, new ArrayList<>(), log);
                            } catch (RuntimeException e) {
                                log.warn("Could not remove " + r.what() + ": " + e.getMessage());
                            }
                        });
                    });
                    cutOver = true;
                    Cutover.drainAndStop(engine, c, inDnsSince, w, timeline,
                            () -> removals.forEach(r -> remove(engine, plan, r, removed, log)), log);
                    guard.phase(raw -> {});
                    removedEarly.addAll(removals);
                    c.stop().forEach(o -> stopped.add(o.name()));
                } else if (action instanceof Action.RemoveContainer r) {
                    if (!removedEarly.contains(r)) {
                        remove(engine, plan, r, removed, log);
                    }
                } // PullImage: done above; AdoptContainer: nothing to do, the printed plan said so; ReloadProxy: the
                  // cutover runs it
                if (action instanceof Action.Cutover || action instanceof Action.ReloadProxy) {
                    timeline.skip(); // marked its own steps, if it had anything to stop
                } else if (action instanceof Action.JoinDns) {
                    timeline.mark("dns");
                } else {
                    timeline.mark(step(action));
                }
            }
            startWave(engine, wave, ids, log); // a plan never ends on starts, but never leave one unstarted
            timeline.mark("start");
        } catch (RuntimeException e) {
            if (guard.interrupted()) { // Ctrl-C: the guard's hook undoes (or finishes) on the way out
                throw new CheckFailedException("deploy " + plan.deployId() + " was interrupted (Ctrl-C or SIGTERM): "
                        + (cutOver ? "the switch to it is finished on the way out"
                                : "its containers are removed on the way out; the previous deploy keeps serving"));
            }
            if (!cutOver) {
                removeNew(engine, plan, waits != null ? waits.withReloads(reloads) : undoWaits, "failed", log);
                String restartFailure = restartStopped(engine, stoppedFirst, mask, log);
                if (restartFailure != null) {
                    throw new CheckFailedException(e.getMessage() + "\n  The new containers were removed, but "
                            + restartFailure);
                }
                throw e instanceof CheckFailedException ? new CheckFailedException(e.getMessage()
                        + previousNote(plan, stoppedFirst)) : e;
            }
            throw e;
        }
        return new Result(plan.deployId(), createdApps, stopped, removed);
    }

    /**
     * Creates consecutive containers of the plan in plan order (nothing starts before all exist). Each one created is
     * recorded, also when a later one fails, so the undo removes it.
     */
    private static void createAll(DockerEngine engine, List<Action.CreateContainer> batch, Map<String, String> ids,
            List<String> createdApps, Log log) {
        Map<Action.CreateContainer, String> made = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            // One after another, in plan order: a container may refer to one created just before it
            // (network_mode/pid/ipc container:, volumes_from, links), which the engine resolves at create time.
            for (Action.CreateContainer c : batch) {
                made.put(c, Executor.create(engine, c));
            }
        } finally {
            for (Action.CreateContainer c : batch) {
                String id = made.get(c);
                if (id != null) {
                    ids.put(c.name(), id);
                    if (!c.infra()) {
                        createdApps.add(c.name());
                    }
                    log.info("Created " + c.name() + (c.infra() ? " (infrastructure)" : ""));
                }
            }
        }
    }

    /**
     * Removes one app container beyond keep. Re-read by the executor: labels are checked on what the engine holds
     * now, not on the plan's snapshot, and a container started again meanwhile stays.
     */
    private static void remove(DockerEngine engine, Plan plan, Action.RemoveContainer r, List<String> removed,
            Log log) {
        if (Executor.remove(engine, r, plan.project(), plan.identity(), plan.infraNames())) {
            removed.add(r.name());
            log.info("Removed " + r.what());
        }
    }

    /** The timeline step an action's time belongs to. */
    private static String step(Action action) {
        if (action instanceof Action.AwaitHealthy || action instanceof Action.AwaitCompleted) {
            return "ready";
        }
        if (action instanceof Action.StopFirst || action instanceof Action.RemoveContainer) {
            return "stop";
        }
        return "start";
    }

    /** container id (or the name, for one this run did not create) -> name, for {@link HealthGate} */
    private static Map<String, String> byId(List<String> names, Map<String, String> ids) {
        Map<String, String> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(ids.getOrDefault(n, n), n));
        return out;
    }

    private static void requireOk(Plan plan, SecretMask mask, HealthGate.Result r) {
        if (!r.ok()) {
            throw new CheckFailedException("deploy " + plan.deployId() + " failed: " + mask.apply(r.describe()));
        }
    }

    private static String previousNote(Plan plan, List<Action.StopFirst> stoppedFirst) {
        List<String> prev = new ArrayList<>();
        plan.actions(Action.StopFirst.class).forEach(f -> f.stop().forEach(o -> prev.add(o.name())));
        plan.actions(Action.Cutover.class).forEach(c -> c.stop().forEach(o -> prev.add(o.name())));
        prev.sort(null);
        List<String> restarted = new ArrayList<>();
        stoppedFirst.forEach(f -> f.stop().forEach(o -> restarted.add(o.name())));
        return "\n  The new containers were removed; " + (prev.isEmpty() ? "nothing else was changed."
                : (restarted.isEmpty() ? "" : String.join(", ", restarted) + " (stopped for its host port) was"
                        + " started again and ") + "the previous deploy keeps serving (" + String.join(", ", prev)
                        + ").");
    }

    /**
     * Undo of the stop-first step: starts the previous deploy's containers this run stopped (those not running
     * now) and waits until they are ready again, so a failed deploy leaves the previous deploy serving.
     *
     * @return null when they all run again, else what failed and how to recover by hand
     */
    private static String restartStopped(DockerEngine engine, List<Action.StopFirst> stoppedFirst, SecretMask mask,
            Log log) {
        for (Action.StopFirst f : stoppedFirst) {
            Map<String, String> started = new LinkedHashMap<>();
            try {
                for (Action.OldContainer o : f.stop()) {
                    ContainerInfo now = engine.inspectContainer(o.id()).orElse(null);
                    if (now != null && !now.running()) {
                        Executor.revive(engine, now);
                        log.info("Started " + o.name() + " again (deploy " + o.deployId() + ")");
                    }
                    started.put(o.id(), o.name());
                }
                HealthGate.Result r = HealthGate.await(engine, started, f.restartTimeout(), Duration.ZERO, log);
                if (!r.ok()) {
                    return "the previous deploy's " + f.service() + " did not become ready again: " + mask.apply(r.describe())
                            + "; check it (docker logs), or mvn sancho:rollback";
                }
            } catch (RuntimeException e) {
                String names = String.join(" ", f.stop().stream().map(Action.OldContainer::name).toList());
                return "the previous deploy's " + f.service() + " could not be started again (" + mask.apply(String.valueOf(e.getMessage()))
                        + "): start it by hand (docker start " + names + ")";
            }
        }
        return null;
    }

    private static void startWave(DockerEngine engine, List<Action.StartContainer> wave, Map<String, String> ids,
            Log log) {
        Parallel.run(List.copyOf(wave), s -> {
            Executor.start(engine, ids.getOrDefault(s.name(), s.name()));
            log.info("Started " + s.name());
        });
    }

    /**
     * Undo of a failed (or interrupted) deploy: the app containers the plan creates, found by their exact names (the
     * plan was refused if any of them existed before), each checked by Safety. One that joined DNS already leaves it
     * first, and is removed only once proxies have re-resolved ({@code sancho.proxyResolveInterval}), so a request is
     * never sent to an address that vanished.
     */
    static void removeNew(DockerEngine engine, Plan plan, ProxyWaits waits, String why, Log log) {
        List<ContainerInfo> made = new ArrayList<>();
        for (String name : plan.newAppContainers()) {
            try {
                engine.findContainer(name).ifPresent(made::add);
            } catch (RuntimeException e) {
                log.warn("Could not look for " + name + " of the failed deploy: " + e.getMessage());
            }
        }
        boolean left = false;
        for (ContainerInfo c : made) {
            try {
                left |= c.running() && Cutover.leave(engine, c, log);
            } catch (RuntimeException e) {
                log.warn("Could not take " + c.name() + " out of DNS: " + e.getMessage());
            }
        }
        if (left && !Cutover.reloadedAfterLeaving(engine, waits, "the failed deploy left DNS", log)) {
            Time.sleep(waits.inDnsBeforeSwitch(), "proxies to forget the failed deploy's addresses");
        }
        for (ContainerInfo c : made) {
            try {
                if (Executor.removeCreated(engine, c.id(), plan.project(), plan.identity(), plan.infraNames())) {
                    log.info("Removed " + c.name() + " (" + why + " deploy " + plan.deployId() + ")");
                }
            } catch (RuntimeException e) {
                log.warn("Could not remove " + c.name() + " of the " + why + " deploy: " + e.getMessage()
                        + " (sancho:pre-deploy-cleanup removes it later)");
            }
        }
    }

    /** Ctrl-C's undo of the stop-first step: the previous containers start again (no wait: the JVM is exiting). */
    private static void reviveStoppedFirst(DockerEngine engine, Plan plan, Log log) {
        for (Action.StopFirst f : plan.actions(Action.StopFirst.class)) {
            for (Action.OldContainer o : f.stop()) {
                try {
                    ContainerInfo now = engine.inspectContainer(o.id()).orElse(null);
                    if (now != null && !now.running()) {
                        Executor.revive(engine, now);
                        log.info("Started " + o.name() + " again (deploy " + o.deployId() + ")");
                    }
                } catch (RuntimeException e) {
                    log.warn("Could not start " + o.name() + " again (" + e.getMessage() + "): docker start " + o.name());
                }
            }
        }
    }

    /**
     * Ctrl-C once the new deploy is ready and in DNS: the cutover is finished (what still runs of the previous
     * deploy leaves DNS, drains, stops), so exactly one deploy serves when the JVM exits.
     */
    static void finishCutover(DockerEngine engine, Action.Cutover c, long inDnsSince, ProxyWaits waits, Log log) {
        List<Action.OldContainer> running = c.stop().stream().filter(o -> engine.inspectContainer(o.id())
                .map(ContainerInfo::running).orElse(false)).toList();
        log.warn("Interrupted during the cutover: the new deploy serves; finishing the switch ("
                + (running.isEmpty() ? "nothing left to stop" : "stopping " + String.join(", ",
                        running.stream().map(Action.OldContainer::name).toList())) + ")");
        Cutover.drainAndStop(engine, new Action.Cutover(running, c.drain()), inDnsSince, waits, Timeline.NONE,
                () -> {}, log);
        c.stop().forEach(o -> Executor.restoreAliases(engine, o.id(), log));
    }
}
