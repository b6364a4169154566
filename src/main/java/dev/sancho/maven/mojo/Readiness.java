package dev.sancho.maven.mojo;

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
}
