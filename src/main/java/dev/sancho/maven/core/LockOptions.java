package dev.sancho.maven.core;

import java.time.Duration;

/**
 * How a goal that changes app containers takes the project's deploy lock.
 *
 * @param timeout    how long to wait for a lock another live deploy holds ({@code sancho.lockTimeout})
 * @param staleAfter age after which a lock is broken with a warning ({@code sancho.staleLockAfter})
 */
public record LockOptions(Duration timeout, Duration staleAfter) {

    /**
     * How long a built image without containers is presumed to belong to a deploy still in progress: a deploy
     * builds first, then waits up to the lock timeout for the lock; 5 minutes cover the pulls in between.
     */
    public Duration pendingBuildWindow() {
        return timeout.plusMinutes(5);
    }
}
