package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import java.time.Duration;

/**
 * The core's clock for waits: health polling, minimum ready time, the lock wait, the drain. Everything that waits
 * reads and sleeps through here, so unit tests run those waits on virtual time ({@link #use}) instead of sleeping.
 */
public final class Time {
    private Time() {}

    /** A monotonic clock that can wait. */
    public interface Ticker {
        long nanoTime();

        void sleep(Duration d) throws InterruptedException;
    }

    private static final Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        }
    };

    private static volatile Ticker ticker = SYSTEM;

    public static long nanoTime() {
        return ticker.nanoTime();
    }

    /**
     * Waits {@code d}; an interrupt (Ctrl-C) becomes a one-line failure, so the goal ends without a stack trace and
     * the caller's undo still runs.
     *
     * @param waitingFor what the wait was for, e.g. {@code the deploy lock}
     */
    public static void sleep(Duration d, String waitingFor) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            ticker.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailedException("interrupted while waiting for " + waitingFor);
        }
    }

    /** Tests: wait on this ticker until {@link #reset}. */
    public static void use(Ticker t) {
        ticker = t;
    }

    public static void reset() {
        ticker = SYSTEM;
    }
}
