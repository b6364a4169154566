package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.core.ProxyWaits;
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

    /** {@code sancho.drainSeconds}: the longest the deploy being replaced stays reachable after it left DNS. */
    static final String DRAIN = "2s";

    /**
     * {@code sancho.proxyResolveInterval}: the longest nginx's {@code resolver ... valid=1s} keeps an answer. nginx
     * counts whole seconds, so an answer fetched at 10.9 s is still used at 11.99 s: up to {@code valid} + 1 s
     * (measured: with 5 s for {@code valid=5s}, a request failed with 504 at the moment an old container left DNS).
     */
    static final String RESOLVE_INTERVAL = "2s";

    /** {@code sancho.proxy}: the proxy resolves the service name. */
    static final String PROXY = "dns";

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

    /** The cutover's waits from {@code sancho.proxy}, {@code sancho.proxyResolveInterval} and {@code sancho.drainSeconds}. */
    static ProxyWaits waits(String proxy, String resolveInterval, String drainSeconds) {
        ProxyWaits.Proxy kind = ProxyWaits.Proxy.parse(proxy);
        if (kind == null) {
            throw new ConfigException("parameter proxy (sancho.proxy) must be dns, labels or none, was " + proxy
                    + " (dns: the proxy resolves the service name, e.g. nginx; labels: Traefik's Docker provider;"
                    + " none: no proxy caches DNS answers)");
        }
        return new ProxyWaits(kind, DurationParameter.parse("proxyResolveInterval", resolveInterval, Duration.ZERO),
                drain(drainSeconds));
    }
}
