package dev.sancho.maven.core;

import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Action;
import java.time.Duration;
import java.util.List;

/**
 * Takes the previous deploy out of service once the new one is ready. Its own step so draining can grow here
 * (issue 5: leave the proxy's DNS/rotation first, then wait) without touching the rest of the deploy.
 *
 * <p>Today: wait {@code drain} (0 by default), then stop the old containers in parallel, each gracefully with
 * its stop signal and the service's {@code stop_grace_period} before SIGKILL. Nothing is removed here.
 */
public final class Cutover {
    private Cutover() {}

    public static void drainAndStop(DockerEngine engine, Action.Cutover cutover, Log log) {
        List<Action.OldContainer> old = cutover.stop();
        if (old.isEmpty()) {
            return;
        }
        drain(cutover.drain(), log);
        Parallel.run(old, o -> {
            engine.stopContainer(o.id(), o.grace());
            log.info("  stopped " + o.name() + " (deploy " + o.deployId() + ")");
        });
    }

    private static void drain(Duration drain, Log log) {
        if (drain.isZero() || drain.isNegative()) {
            return;
        }
        log.info("  draining " + drain.toSeconds() + " s (sancho.drainSeconds) before stopping the previous deploy");
        try {
            Thread.sleep(drain.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailedException("interrupted while draining the previous deploy");
        }
    }
}
