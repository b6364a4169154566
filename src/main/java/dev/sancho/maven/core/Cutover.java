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

/**
 * Takes the previous deploy out of service once the new one is healthy, without failing or slowing a request that
 * goes through a reverse proxy (measurements in {@code bench/RESULTS.md}):
 * <ol>
 * <li><b>Let proxies see the new deploy.</b> The new containers must have been resolvable for
 * {@code sancho.drainSeconds} before the old ones leave DNS: a proxy whose cached answer still lists only the old
 * addresses would otherwise have nowhere to go during the moment an old container reconnects (measured: 504s).</li>
 * <li><b>Leave DNS, stay reachable.</b> Each old container's endpoint on each of its networks is replaced by one
 * without the service aliases, keeping its IP address ({@link DockerEngine#replaceAliases}). The service name now
 * resolves to the new deploy only, while a proxy that cached the old address (nginx {@code resolver ... valid=1s})
 * and requests already in flight still reach the old container. Stopping it right away instead costs a connect
 * timeout (~1 s) for every request the proxy still routes to the vanished address.</li>
 * <li><b>Drain</b> {@code sancho.drainSeconds}: long enough for proxies to re-resolve and in-flight requests to
 * finish.</li>
 * <li><b>Stop</b> gracefully (the image's/service's stop signal, {@code stop_grace_period} before SIGKILL), in
 * parallel, then give the stopped container its aliases back so a rollback starts it exactly as it was.</li>
 * </ol>
 * Containers are re-aliased one after another, not in parallel: without a configured subnet the engine hands out
 * the lowest free address, which is the one just released only if no other container is reconnecting meanwhile.
 * Nothing is removed here.
 */
public final class Cutover {
    private Cutover() {}

    /** The aliases one old container gave up on one network, to give them back once it is stopped. */
    private record Detached(Action.OldContainer container, String network, List<String> aliases,
            List<String> original) {}

    public static void drainAndStop(DockerEngine engine, Action.Cutover cutover, Log log) {
        drainAndStop(engine, cutover, Time.nanoTime() - cutover.drain().toNanos(), log);
    }

    /**
     * @param newInDnsSince {@link Time#nanoTime()} when the new deploy's containers started, i.e. became
     *                      resolvable: a proxy must have had {@code drain} to re-resolve and see them before the old
     *                      ones leave DNS, or its cached answer (old addresses only) briefly points nowhere.
     */
    public static void drainAndStop(DockerEngine engine, Action.Cutover cutover, long newInDnsSince, Log log) {
        List<Action.OldContainer> old = cutover.stop();
        if (old.isEmpty()) {
            return;
        }
        long settle = newInDnsSince + cutover.drain().toNanos() - Time.nanoTime();
        if (settle > 0) {
            log.info("  waiting " + settle / 1_000_000 + " ms until the new deploy has been in DNS for "
                    + cutover.drain().toSeconds() + " s (sancho.drainSeconds), so proxies have resolved it");
            sleep(Duration.ofNanos(settle));
        }
        List<Detached> detached = new ArrayList<>();
        for (Action.OldContainer o : old) {
            detached.addAll(leaveDns(engine, o, log));
        }
        if (!detached.isEmpty()) {
            drain(cutover.drain(), log);
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
        });
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

    private static void drain(Duration drain, Log log) {
        if (drain.isZero() || drain.isNegative()) {
            return;
        }
        log.info("  draining " + drain.toSeconds() + " s (sancho.drainSeconds) before stopping the previous deploy");
        sleep(drain);
    }

    private static void sleep(Duration d) {
        Time.sleep(d, "the previous deploy to be taken out of service");
    }
}
