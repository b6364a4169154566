package dev.sancho.maven.mojo;

import java.time.Duration;

/**
 * The one default of each readiness parameter. Deploy, rollback and recover each declare the parameters (Maven
 * injects fields, and a shared superclass would hand them to goals that ignore them), all with these values.
 */
final class Readiness {
    private Readiness() {}

    /** {@code sancho.healthTimeout}: how long new (or restarted) containers may take to become ready. */
    static final String HEALTH_TIMEOUT = "60s";

    /** {@code sancho.minReadySeconds}: how long a container without healthcheck must run to count as ready. */
    static final String MIN_READY = "2s";

    /** {@code sancho.drainSeconds}: how long the deploy being replaced stays reachable after it left DNS. */
    static final String DRAIN = "2s";

    /** The parameters' values, with the same bounds on every goal (a zero health timeout could never pass). */
    static Duration healthTimeout(String value) {
        return DurationParameter.parse("healthTimeout", value, Duration.ofSeconds(1));
    }

    static Duration minReady(String value) {
        return DurationParameter.parse("minReadySeconds", value, Duration.ZERO);
    }

    static Duration drain(String value) {
        return DurationParameter.parse("drainSeconds", value, Duration.ZERO);
    }
}
