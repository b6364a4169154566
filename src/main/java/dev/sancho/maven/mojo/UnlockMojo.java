package dev.sancho.maven.mojo;

import dev.sancho.maven.core.DeployLock;
import dev.sancho.maven.core.SwarmLock;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Instant;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Releases the project's deploy lock by hand (after a deploy was killed on another machine) and says who held
 * it. Use it only when that deploy is really gone. {@code -Dsancho.dryRun} only says who holds it.
 */
@Mojo(name = "unlock", threadSafe = true)
public class UnlockMojo extends AbstractChangingMojo {

    @Override
    protected void run() {
        boolean named = project != null && !project.isBlank();
        // given only the project's name (e.g. outside the project), a lock of any identity of that name is released
        Stack stack = named && (identity == null || identity.isBlank()) ? null : loadStack();
        String projectName = named ? project.trim() : stack.project();
        String owner = stack == null ? null : stack.identity();
        try (DockerEngine engine = connect()) {
            boolean swarm = swarmTarget();
            if (dryRun) {
                (swarm ? SwarmLock.holder(engine.swarm(), projectName) : DeployLock.holder(engine, projectName))
                        .ifPresentOrElse(
                        h -> getLog().info("[dry-run] would release the deploy lock of project " + projectName
                                + ", held by " + h.describe(Instant.now()) + "; nothing was changed"),
                        () -> getLog().info("[dry-run] no deploy lock is held for project " + projectName
                                + "; nothing was changed"));
                return;
            }
            (swarm ? SwarmLock.forceRelease(engine.swarm(), projectName) : DeployLock.forceRelease(engine, projectName, owner))
                    .ifPresentOrElse(
                    h -> getLog().info("Released the deploy lock of project " + projectName + ", held by "
                            + h.describe(Instant.now())),
                    () -> getLog().info("No deploy lock is held for project " + projectName));
        }
    }

    /** On a swarm the lock is the swarm config {@code sancho-lock-<project>} (core.SwarmLock). */
    @Override
    protected boolean supportsSwarm() {
        return true;
    }
}
