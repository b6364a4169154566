package dev.sancho.maven.swarm;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.core.Time;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.plan.SwarmConvergence;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The swarm's health gate: deploy, rollback and recover wait here until their services have converged. */
final class SwarmAwait {
    private static final Duration POLL = Duration.ofMillis(500);

    private SwarmAwait() {}

    /**
     * Waits until every named service has converged (application services: on {@code deployId}, every task running
     * and healthy; infrastructure, {@code deployId} null: its one task running); else fails naming each service's
     * errors.
     */
    static void until(SwarmEngine swarm, String forDeploy, List<String> names, String deployId, Duration timeout,
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
            // A rejection waiting cannot fix fails now, not at healthTimeout; an application's update the swarm is
            // rolling back is still waited for, so that the previous deploy serves when the deploy fails.
            boolean rollingBack = last.values().stream().anyMatch(st -> st.failed() && !st.rollbackDone());
            String permanent = last.values().stream().map(SwarmConvergence.State::permanent)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (permanent != null && !rollingBack) {
                throw new CheckFailedException("deploy " + forDeploy + " failed: " + permanent
                        + " (waiting cannot fix this; the swarm keeps retrying until the cause is fixed)");
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
}
