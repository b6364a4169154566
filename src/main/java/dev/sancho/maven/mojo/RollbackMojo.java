package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.core.DeployLock;
import dev.sancho.maven.core.Rollback;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Duration;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Starts the previous kept deploy (or {@code -Dsancho.deployId=X}), waits until it is healthy, then takes the
 * current one out of service like a deploy's cutover (leave DNS, drain, graceful stop). If the target does not
 * become healthy it is stopped again and the current deploy keeps serving. Removes nothing. Runs under the
 * project's deploy lock, so it never races a deploy.
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractLockingMojo {

    /** How long the target deploy may take to become healthy (seconds or a duration). */
    @Parameter(property = "sancho.healthTimeout", defaultValue = "60s")
    protected String healthTimeout;

    /** Without a healthcheck: how long a container must stay running to count as ready (seconds or a duration). */
    @Parameter(property = "sancho.minReadySeconds", defaultValue = "5s")
    protected String minReadySeconds;

    /** How long the current deploy drains (out of DNS, still reachable) before it stops; as for deploy. */
    @Parameter(property = "sancho.drainSeconds", defaultValue = "2s")
    protected String drainSeconds;

    @Override
    protected void run() {
        validateLocking();
        Duration health = duration("healthTimeout", healthTimeout, Duration.ofSeconds(1));
        Duration minReady = duration("minReadySeconds", minReadySeconds, Duration.ZERO);
        Duration drain = duration("drainSeconds", drainSeconds, Duration.ZERO);
        String target = deployId == null || deployId.isBlank() ? null : deployId.trim();
        Stack stack = loadStack();
        Rollback.Options options = new Rollback.Options(target, dryRun, health, minReady, drain);
        try (DockerEngine engine = connect()) {
            if (dryRun) {
                Rollback.rollback(engine, stack, options, log());
                return;
            }
            String image = lockImage(engine, stack);
            if (image == null) {
                throw new ConfigException("no image of " + stack.project() + " is on the engine to create the deploy"
                        + " lock from: nothing to roll back to");
            }
            try (DeployLock lock = DeployLock.acquire(engine, stack.project(), image, lockTimeoutDuration(),
                    staleLockAfterDuration(), log())) {
                Rollback.rollback(engine, stack, options, log());
            }
        }
    }
}
