package dev.sancho.maven.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the core's waits on virtual time: a sleep advances the clock at once. Register it with
 * {@code @RegisterExtension final VirtualTime time = new VirtualTime();} and assert on {@link #elapsed()}.
 */
public final class VirtualTime implements Time.Ticker, BeforeEachCallback, AfterEachCallback {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private long start;

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleep(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /** Virtual time since the test began. */
    public Duration elapsed() {
        return Duration.ofNanos(now.get() - start);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start = now.get();
        Time.use(this);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Time.reset();
    }
}
