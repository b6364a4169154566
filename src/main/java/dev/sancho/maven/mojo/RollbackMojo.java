package dev.sancho.maven.mojo;

import dev.sancho.maven.core.Rollback;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Duration;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Starts the previous kept deploy (or {@code -Dsancho.rollbackTo=X}), waits until it is healthy, then takes the
 * current one out of service like a deploy's cutover (leave DNS, drain, graceful stop). If the target does not
 * become healthy it is stopped again and the current deploy keeps serving. Removes nothing. Runs under the
 * project's deploy lock, so it never races a deploy.
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractLockingMojo {

    /**
     * The kept deploy to go back to; default: the newest one kept. ({@code sancho.deployId} named it before and still
     * does, with a deprecation warning.)
     */
    @Parameter(property = "sancho.rollbackTo")
    protected String rollbackTo;

    /** How long the target deploy may take to become healthy (seconds or a duration). */
    @Parameter(property = "sancho.healthTimeout", defaultValue = Readiness.HEALTH_TIMEOUT)
    protected String healthTimeout;

    /** Without a healthcheck: how long a container must stay running to count as ready (seconds or a duration). */
    @Parameter(property = "sancho.minReadySeconds", defaultValue = Readiness.MIN_READY)
    protected String minReadySeconds;

    /** How long the current deploy drains (out of DNS, still reachable) before it stops; as for deploy. */
    @Parameter(property = "sancho.drainSeconds", defaultValue = Readiness.DRAIN)
    protected String drainSeconds;

    @Override
    protected void run() {
        validateLocking();
        Duration health = Readiness.healthTimeout(healthTimeout);
        Duration minReady = Readiness.minReady(minReadySeconds);
        Duration drain = Readiness.drain(drainSeconds);
        String target = deprecatedAlias("rollbackTo", rollbackTo, "deployId", deployId,
                "names the deploy to go back to");
        Stack stack = loadStack();
        if (swarmTarget()) {
            try (DockerEngine engine = connect()) {
                dev.sancho.maven.core.SwarmRollback.run(engine, stack.project(), target, lockOptions(), health, dryRun,
                        log());
            }
            return;
        }
        Rollback.Options options = new Rollback.Options(target, dryRun, health, minReady, drain, maskedVariables());
        try (DockerEngine engine = connect()) {
            Rollback.run(engine, stack, options, lockOptions(), log());
        }
    }

    @Override
    protected boolean supportsSwarm() {
        return true;
    }
}
