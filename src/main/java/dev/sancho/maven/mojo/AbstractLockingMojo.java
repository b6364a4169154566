package dev.sancho.maven.mojo;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.time.Duration;
import java.util.Objects;
import org.apache.maven.plugins.annotations.Parameter;

/** Parameters of the goals that change app containers and therefore take the project's deploy lock. */
abstract class AbstractLockingMojo extends AbstractChangingMojo {

    /**
     * How long to wait for the deploy lock held by another deploy before failing with its holder: seconds or a
     * duration ({@code 5m}, {@code 90s}).
     */
    @Parameter(property = "sancho.lockTimeout", defaultValue = "5m")
    protected String lockTimeout;

    /**
     * Age after which a deploy lock counts as stale and is broken with a warning (seconds or a duration). A lock
     * whose holder ran on this host and whose process is gone is broken at once.
     */
    @Parameter(property = "sancho.staleLockAfter", defaultValue = "30m")
    protected String staleLockAfter;

    protected Duration lockTimeoutDuration() {
        return duration("lockTimeout", lockTimeout, Duration.ZERO);
    }

    protected Duration staleLockAfterDuration() {
        return duration("staleLockAfter", staleLockAfter, Duration.ofSeconds(1));
    }

    /** Refuses a bad lockTimeout or staleLockAfter before anything connects to the engine. */
    protected void validateLocking() {
        lockTimeoutDuration();
        staleLockAfterDuration();
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
