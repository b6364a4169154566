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

    protected LockOptions lockOptions() {
        return new LockOptions(lockTimeoutDuration(), staleLockAfterDuration());
    }
}
