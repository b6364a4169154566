package dev.sancho.maven.mojo;

import dev.sancho.maven.core.LockOptions;

import java.time.Duration;
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
     * Age (by the engine's clock) after which a deploy lock that cannot tell whether its holder lives is broken with
     * a warning: a lock of an earlier sancho, an engine of an architecture without a lock program, a swarm lock
     * (seconds or a duration). A lock with liveness is never broken while its holder runs, however long that takes,
     * and is taken over at once when its holder is gone.
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

    protected LockOptions lockOptions() {
        return new LockOptions(lockTimeoutDuration(), staleLockAfterDuration());
    }
}
