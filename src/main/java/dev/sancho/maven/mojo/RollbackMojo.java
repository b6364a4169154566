package dev.sancho.maven.mojo;

import dev.sancho.maven.core.Rollback;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Duration;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Starts the previous kept deploy (or {@code -Dsancho.deployId=X}), waits until it is healthy, then stops the
 * current one gracefully. If the target does not become healthy it is stopped again and the current deploy keeps
 * serving. Removes nothing.
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractSanchoMojo {

    /** How long the target deploy may take to become healthy. */
    @Parameter(property = "sancho.healthTimeout", defaultValue = "60")
    protected int healthTimeout;

    /** Without a healthcheck: seconds a container must stay running to count as ready. */
    @Parameter(property = "sancho.minReadySeconds", defaultValue = "5")
    protected int minReadySeconds;

    @Override
    protected void run() {
        RecoverMojo.Options.check(healthTimeout, minReadySeconds);
        String target = deployId == null || deployId.isBlank() ? null : deployId.trim();
        Stack stack = loadStack();
        try (DockerEngine engine = connect()) {
            Rollback.rollback(engine, stack, new Rollback.Options(target, dryRun, Duration.ofSeconds(healthTimeout),
                    Duration.ofSeconds(minReadySeconds)), log());
        }
    }
}
