package dev.sancho.maven.mojo;

import dev.sancho.maven.core.Cleanup;
import dev.sancho.maven.core.ImageCleanup;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Duration;
import java.util.Set;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that remove old deploys (deploy, pre-deploy-cleanup), and so take {@code keep}. */
abstract class AbstractCleaningMojo extends AbstractLockingMojo {

    /** Stopped deploys kept for rollback; older ones are removed. */
    @Parameter(property = "sancho.keep", defaultValue = "2")
    protected int keep;

    /** Refuses a bad keep, lockTimeout or staleLockAfter before anything connects to the engine. */
    @Override
    protected void validateLocking() {
        atLeast("keep", keep, 0);
        super.validateLocking();
    }

    /**
     * The runbook's pre-deploy-cleanup: app containers, then the built images of deploys that are gone. Call it
     * holding the deploy lock, or with dryRun.
     *
     * @param protectedDeployIds deploys whose built images stay although they have no container yet
     */
    protected void cleanup(DockerEngine engine, Stack stack, Set<String> protectedDeployIds, boolean dry, Log log) {
        Cleanup.Result containers = Cleanup.run(engine, stack.project(), stack.infrastructureNames(), keep, dry, log);
        log.info(containers.summary(dry));
        // a dry run removed nothing: count the containers it would remove as gone, so it lists the same images
        log.info(ImageCleanup.run(engine, stack.project(), protectedDeployIds, containers.removedDeploys(),
                pendingBuildWindow(), dry, log).summary(dry));
    }

    /**
     * How long a built image without containers is presumed to belong to a deploy still in progress: a deploy
     * builds first, then waits up to lockTimeout for the lock; 5 minutes cover the pulls in between.
     */
    protected Duration pendingBuildWindow() {
        return lockTimeoutDuration().plusMinutes(5);
    }

}
