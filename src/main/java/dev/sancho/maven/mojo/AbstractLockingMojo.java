package dev.sancho.maven.mojo;

import dev.sancho.maven.core.Cleanup;
import dev.sancho.maven.core.ImageCleanup;
import dev.sancho.maven.core.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.apache.maven.plugins.annotations.Parameter;

/** Parameters of the goals that change app containers and therefore take the project's deploy lock. */
abstract class AbstractLockingMojo extends AbstractSanchoMojo {

    /** Stopped deploys kept for rollback; older ones are removed. */
    @Parameter(property = "sancho.keep", defaultValue = "2")
    protected int keep;

    /** Seconds to wait for the deploy lock held by another deploy before failing with its holder. */
    @Parameter(property = "sancho.lockTimeout", defaultValue = "300")
    protected int lockTimeout;

    /**
     * Seconds after which a deploy lock counts as stale and is broken with a warning. A lock whose holder ran on
     * this host and whose process is gone is broken at once.
     */
    @Parameter(property = "sancho.staleLockAfter", defaultValue = "1800")
    protected int staleLockAfter;

    protected Duration lockTimeoutDuration() {
        return seconds("lockTimeout", lockTimeout, 0);
    }

    protected Duration staleLockAfterDuration() {
        return seconds("staleLockAfter", staleLockAfter, 1);
    }

    /** Refuses a bad keep, lockTimeout or staleLockAfter before anything connects to the engine. */
    protected void validateLocking() {
        atLeast("keep", keep, 0);
        lockTimeoutDuration();
        staleLockAfterDuration();
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

    /**
     * The lock container is created (never started) from an image the stack already has on the engine; for a stack
     * whose app services only have {@code build:}, the image one of its app containers runs (in use anyway, so
     * image cleanup never needs to remove it while the lock holds it).
     */
    protected static String lockImage(DockerEngine engine, Stack stack) {
        return stack.services().stream().map(StackService::service).map(s -> s.image()).filter(Objects::nonNull)
                .distinct().filter(i -> engine.findImage(i).isPresent()).findFirst()
                .or(() -> engine.listContainers(Labels.appSelector(stack.project())).stream()
                        .map(ContainerInfo::imageId).filter(Objects::nonNull)
                        .filter(i -> engine.findImage(i).isPresent()).findFirst())
                .orElse(null);
    }
}
