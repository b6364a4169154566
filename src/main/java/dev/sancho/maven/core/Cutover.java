package dev.sancho.maven.core;

import dev.sancho.maven.common.Parallel;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes the previous deploy out of service once the new one is healthy, without failing or slowing a request that
 * goes through a reverse proxy (measurements in {@code bench/RESULTS.md}):
 * <ol>
 * <li><b>Let proxies see the new deploy.</b> Behind a DNS proxy the new containers must have been resolvable for
 * the proxy's re-resolve interval ({@code sancho.proxyResolveInterval}) before the old ones leave DNS: a proxy whose
 * cached answer still lists only the old addresses would otherwise have nowhere to go during the moment an old
 * container reconnects (measured: 504s). Counted from when they join DNS, which is only once they are ready (so no
 * request reaches a container that has not passed its readiness).</li>
 * <li><b>Leave DNS, stay reachable.</b> Each old container's endpoint on each of its networks is replaced by one
 * without the service aliases, keeping its IP address ({@link DockerEngine#replaceAliases}). The service name now
 * resolves to the new deploy only, while a proxy that cached the old address (nginx {@code resolver ... valid=1s})
 * and requests already in flight still reach the old container. Stopping it right away instead costs a connect
 * timeout (~1 s) for every request the proxy still routes to the vanished address.</li>
 * <li><b>Drain</b>, observed: at least the re-resolve interval (cached answers expire), then until the old
 * containers have no open inbound connection left ({@link OpenConnections}), at most {@code sancho.drainSeconds}.
 * A label-routed proxy (Traefik) needs neither wait, but the new deploy must be in its routing before the old one
 * stops ({@link ProxyWaits#inViewBeforeStop()}). The drain's first part is a plain wait: the
 * caller's work that touches no serving container (removals beyond keep) runs in it.</li>
 * <li><b>Stop</b> gracefully (the image's/service's stop signal, {@code stop_grace_period} before SIGKILL), in
 * parallel, then give the stopped container its aliases back so a rollback starts it exactly as it was.</li>
 * </ol>
 * With {@code x-sancho-proxy} ({@link ProxyWaits#reloads()}) the proxy is reloaded right after the new deploy joined
 * DNS and again right after the old one left it ({@link ProxyReloads}, observed): the first wait is then the reload,
 * and the drain's minimum goes (it still ends only when the old containers' connections are gone). A reload that
 * fails is one warning line and the waits above apply.
 * Containers are re-aliased one after another, not in parallel: without a configured subnet the engine hands out
 * the lowest free address, which is the one just released only if no other container is reconnecting meanwhile.
 * Nothing is removed here (the removals the caller passes as {@code meanwhile} go through {@link Executor}).
 */
public final class Cutover {
    /** How often the drain reads the old containers' connections. */
    static final Duration POLL = Duration.ofMillis(100);

    private Cutover() {}

    /** The aliases one old container gave up on one network, to give them back once it is stopped. */
    private record Detached(Action.OldContainer container, String network, List<String> aliases,
            List<String> original) {}

    public static void drainAndStop(DockerEngine engine, Action.Cutover cutover, Log log) {
        drainAndStop(engine, cutover, Time.nanoTime() - cutover.drain().toNanos(), log);
    }

    /** As a deploy's cutover with only {@code sancho.drainSeconds} known: {@link ProxyWaits#dns(Duration)}. */
    public static void drainAndStop(DockerEngine engine, Action.Cutover cutover, long newInDnsSince, Log log) {
        drainAndStop(engine, cutover, newInDnsSince, ProxyWaits.dns(cutover.drain()), Timeline.NONE, log);
    }

    /**
     * @param newInDnsSince {@link Time#nanoTime()} when the new deploy's containers started, i.e. became
     *                      resolvable: a DNS proxy must have had its re-resolve interval to see them before the old
     *                      ones leave DNS, or its cached answer (old addresses only) briefly points nowhere.
     * @param timeline      gets the steps {@code dns} (the rest of that wait, and leaving DNS), {@code drain} and
     *                      {@code stop}
     */
    public static void drainAndStop(DockerEngine engine, Action.Cutover cutover, long newInDnsSince,
            ProxyWaits waits, Timeline timeline, Log log) {
        drainAndStop(engine, cutover, newInDnsSince, waits, timeline, () -> {}, log);
    }

    /**
     * @param meanwhile work that needs no serving container and can use the drain's wait (the deploy removes the
     *                  containers of deploys beyond {@code keep}); runs once, inside the drain when there is one,
     *                  else after the stop. Its failure is rethrown once the old containers are stopped.
     */
    public static void drainAndStop(DockerEngine engine, Action.Cutover cutover, long newInDnsSince,
            ProxyWaits waits, Timeline timeline, Runnable meanwhile, Log log) {
        List<Action.OldContainer> old = cutover.stop();
        if (old.isEmpty()) {
            meanwhile.run();
            return;
        }
        Duration inView = waits.inViewBeforeStop();
        if (inView.compareTo(Duration.ZERO) > 0) {
            // Counted from now, not from when the new deploy became ready: now is later, so never too short.
            log.info("  waiting " + millis(inView) + " so Traefik routes to the new deploy before the previous one"
                    + " stops (it applies the new deploy's health_status event at most once per"
                    + " providersThrottleDuration, sancho.proxyResolveInterval=" + millis(waits.resolveInterval())
                    + ", and keeps the old one until its die event)");
            sleep(inView);
        }
        // With x-sancho-proxy the proxy is told to resolve afresh now (it then knows the new deploy) instead of the
        // wait below; a reload that fails (one line) falls back to that wait, and no later reload is tried.
        boolean reloading = !waits.reloads().isEmpty();
        if (reloading) {
            reloading = reloaded(engine, waits, "the new deploy joined DNS", "waiting for its DNS cache instead",
                    log);
        }
        Duration inDns = waits.inDnsBeforeSwitch();
        long settle = newInDnsSince + inDns.toNanos() - Time.nanoTime();
        if (settle > 0 && !reloading) {
            log.info("  waiting " + settle / 1_000_000 + " ms until the new deploy has been in DNS for "
                    + millis(inDns) + " (sancho.proxyResolveInterval), so proxies have resolved it");
            sleep(Duration.ofNanos(settle));
        }
        List<Detached> detached = new ArrayList<>();
        for (Action.OldContainer o : old) {
            detached.addAll(leaveDns(engine, o, log));
        }
        timeline.mark("dns");
        RuntimeException meanwhileFailed = null;
        boolean draining = !detached.isEmpty() && waits.maxDrainOrMin().compareTo(Duration.ZERO) > 0;
        if (draining) {
            // Reloaded again, the proxy's new workers resolve the name to the new deploy only: the drain need not
            // wait for its cache, only for the old containers' open connections.
            long drainStart = Time.nanoTime();
            Duration min = reloading && reloaded(engine, waits, "the previous deploy left DNS",
                    "draining for its DNS cache instead", log) ? Duration.ZERO : waits.minDrain();
            // The drain's first part is a plain wait (the proxy's cached answers expire): what touches no serving
            // container happens in it instead of after the stop. The old containers themselves are left alone while
            // they may still get requests (their restart policy changes right before their stop, as before).
            try {
                meanwhile.run();
            } catch (RuntimeException e) {
                meanwhileFailed = e;
            }
            drain(engine, detached.stream().map(Detached::container).distinct().toList(), waits, min, drainStart,
                    log);
            timeline.mark("drain");
        }
        Parallel.run(old, o -> {
            try {
                Executor.retire(engine, o.id(), o.grace());
            } catch (RuntimeException e) {
                if (engine.inspectContainer(o.id()).isEmpty()) {
                    // removed by someone else meanwhile: it serves nothing any more, which is all the cutover needs
                    log.warn("  " + o.name() + " (deploy " + o.deployId() + ") was removed by someone else meanwhile");
                    return;
                }
                throw e;
            }
            log.info("  stopped " + o.name() + " (deploy " + o.deployId() + ")");
            for (Detached d : detached) {
                if (d.container().id().equals(o.id())) {
                    restore(engine, d, log);
                }
            }
            // Also one that was out of DNS already (an interrupted cutover left it running without its aliases):
            // every stop leaves a container whole for a rollback.
            Executor.restoreAliases(engine, o.id(), log);
        });
        if (!draining) {
            meanwhile.run();
        }
        timeline.mark("stop");
        if (meanwhileFailed != null) {
            throw meanwhileFailed;
        }
    }

    /**
     * The aliases that make a container findable by service name, per network: every alias except the container's
     * short id, which Docker adds itself and which routes to this container only.
     */
    static Map<String, List<String>> serviceAliases(ContainerInfo c) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        c.networkAliases().forEach((network, aliases) -> {
            List<String> service = aliases.stream().filter(a -> !c.id().startsWith(a)).toList();
            if (!service.isEmpty()) {
                out.put(network, service);
            }
        });
        return out;
    }

    /**
     * The new deploy is ready: each container gets its service's aliases on each network (its endpoint is replaced,
     * one container after another). A failure fails the deploy before the cutover, so its undo removes the new
     * containers and the previous deploy keeps serving.
     *
     * @param ids container name -> id, for the containers this run created
     */
    public static void joinDns(DockerEngine engine, List<Action.Join> joins, Map<String, String> ids, Log log) {
        for (Action.Join j : joins) {
            String id = ids.getOrDefault(j.name(), j.name());
            ContainerInfo now = engine.inspectContainer(id).orElseThrow(() -> new dev.sancho.maven.common
                    .CheckFailedException(j.name() + " disappeared before it could join DNS"));
            new java.util.TreeMap<>(j.aliases()).forEach((network, aliases) -> {
                List<String> want = new ArrayList<>(now.networkAliases().getOrDefault(network, List.of()));
                aliases.stream().filter(a -> !want.contains(a)).forEach(want::add);
                Executor.setAliases(engine, now, network, want);
                log.info("  " + j.name() + " joined DNS as " + String.join(", ", aliases) + " on " + network);
            });
        }
    }

    /**
     * Takes a container out of its service's DNS name on every network (it stays attached and reachable at its
     * address): the undo of a {@link #joinDns} before the container is removed or stopped.
     *
     * @return true when it had an alias to give up
     */
    public static boolean leave(DockerEngine engine, ContainerInfo c, Log log) {
        boolean left = false;
        for (var e : serviceAliases(c).entrySet()) {
            List<String> keep = c.networkAliases().get(e.getKey()).stream().filter(a -> !e.getValue().contains(a))
                    .toList();
            engine.replaceAliases(e.getKey(), c.id(), keep);
            log.info("  " + c.name() + " left DNS alias " + String.join(", ", e.getValue()) + " on " + e.getKey());
            left = true;
        }
        return left;
    }

    private static List<Detached> leaveDns(DockerEngine engine, Action.OldContainer o, Log log) {
        // Re-read: the plan's snapshot may predate the new deploy's start by a minute.
        ContainerInfo now = engine.inspectContainer(o.id()).orElse(null);
        if (now == null || !now.running()) {
            return List.of();
        }
        List<Detached> out = new ArrayList<>();
        serviceAliases(now).forEach((network, aliases) -> {
            List<String> keep = now.networkAliases().get(network).stream().filter(a -> !aliases.contains(a)).toList();
            try {
                boolean sameAddress = engine.replaceAliases(network, now.id(), keep);
                out.add(new Detached(o, network, aliases, now.networkAliases().get(network)));
                log.info("  " + o.name() + " left DNS alias " + String.join(", ", aliases) + " on " + network
                        + (sameAddress ? ", still reachable at its address" : ""));
            } catch (RuntimeException e) {
                // The new deploy is healthy; a container we could not re-alias is simply stopped without draining.
                log.warn("  could not take " + o.name() + " out of DNS on " + network + " (" + e.getMessage()
                        + "); it is stopped without draining");
            }
        });
        return out;
    }

    private static void restore(DockerEngine engine, Detached d, Log log) {
        try {
            engine.replaceAliases(d.network(), d.container().id(), d.original());
        } catch (RuntimeException e) {
            log.warn("  " + d.container().name() + " is stopped but could not get its alias "
                    + String.join(", ", d.aliases()) + " on " + d.network() + " back (" + e.getMessage() + "): a"
                    + " rollback to deploy " + d.container().deployId() + " needs `docker network disconnect "
                    + d.network() + " " + d.container().name() + " && docker network connect --alias "
                    + d.aliases().get(0) + " " + d.network() + " " + d.container().name() + "` first");
        }
    }

    /**
     * The old containers are out of DNS: wait at least the proxy's re-resolve interval (it may still send requests to
     * an address it resolved before), then until none of them has an open inbound connection, polled every
     * {@link #POLL}; at most {@link ProxyWaits#maxDrainOrMin()}. A container whose connections cannot be read (no
     * {@code cat} in its image) keeps the drain to that bound, as does a connection that never closes.
     */
    private static void drain(DockerEngine engine, List<Action.OldContainer> old, ProxyWaits waits, Duration min,
            long start, Log log) {
        Duration max = waits.maxDrainOrMin();
        long minLeft = start + min.toNanos() - Time.nanoTime();
        if (minLeft > 0) {
            sleep(Duration.ofNanos(minLeft));
        }
        String why;
        while (true) {
            Map<String, OptionalInt> byId = new ConcurrentHashMap<>();
            long remaining = start + max.toNanos() - Time.nanoTime();
            Duration timeout = Duration.ofNanos(Math.max(Math.min(remaining, OpenConnections.TIMEOUT.toNanos()),
                    POLL.toNanos() * 5));
            Parallel.run(old, o -> byId.put(o.id(), OpenConnections.of(engine, o.id(), timeout)));
            List<OptionalInt> counts = List.copyOf(byId.values());
            long unknown = counts.stream().filter(OptionalInt::isEmpty).count();
            int open = counts.stream().filter(OptionalInt::isPresent).mapToInt(OptionalInt::getAsInt).sum();
            long left = start + max.toNanos() - Time.nanoTime();
            if (unknown == 0 && open == 0) {
                why = "no open connections left";
                break;
            }
            if (left <= 0) {
                why = unknown > 0 ? "its connections cannot be read (no cat in the image?)"
                        : open + " connection" + (open == 1 ? "" : "s") + " still open";
                why += ", sancho.drainSeconds=" + millis(max) + " is up";
                break;
            }
            sleep(Duration.ofNanos(Math.min(left, POLL.toNanos())));
        }
        log.info("  drained the previous deploy in " + millis(Duration.ofNanos(Time.nanoTime() - start)) + ": " + why);
    }

    /**
     * Containers that served left DNS and are about to go (the undo of a failed deploy or rollback): with
     * {@code x-sancho-proxy} the proxy is reloaded instead of waiting out its DNS cache.
     *
     * @return true when there is a reload and it was observed: the caller need not wait for the proxy's cache
     */
    static boolean reloadedAfterLeaving(DockerEngine engine, ProxyWaits waits, String when, Log log) {
        return !waits.reloads().isEmpty() && reloaded(engine, waits, when, "waiting for its DNS cache instead", log);
    }

    /**
     * Reloads the proxies ({@link ProxyReloads}); a failure is one warning line saying what the cutover does instead.
     *
     * @return true when every reload ran and was observed
     */
    private static boolean reloaded(DockerEngine engine, ProxyWaits waits, String when, String instead, Log log) {
        Optional<String> failed = ProxyReloads.run(engine, waits.reloads(), when, log);
        failed.ifPresent(why -> log.warn("  " + why + "; " + instead + " (sancho.proxyResolveInterval="
                + millis(waits.resolveInterval()) + ")"));
        return failed.isEmpty();
    }

    private static String millis(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static void sleep(Duration d) {
        Time.sleep(d, "the previous deploy to be taken out of service");
    }
}
