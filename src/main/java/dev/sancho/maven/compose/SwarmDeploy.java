package dev.sancho.maven.compose;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The keys of a service's {@code deploy:} section that only a swarm honours (one engine runs one container per
 * service and ignores them, with a warning), plus the {@code mode} of each long-syntax port. Read for
 * {@code <target>swarm</target>}.
 *
 * @param replicas      null: 1
 * @param constraints   {@code deploy.placement.constraints}, as written
 * @param endpointMode  {@code vip}, {@code dnsrr} or null (vip)
 * @param portModes     per entry of {@code ports:} (same order): {@code host}, {@code ingress}, or null
 * @param line          the line of {@code deploy:}, else of the service, for messages
 * @param restart       {@code deploy.restart_policy}, null when absent
 * @param labels        {@code deploy.labels}: labels of the service (not of its containers)
 */
public record SwarmDeploy(Integer replicas, List<String> constraints, Policy update, Policy rollback,
        String endpointMode, List<String> portModes, int line, Restart restart, Map<String, String> labels) {

    public static final SwarmDeploy NONE = new SwarmDeploy(null, List.of(), null, null, null, List.of(), 0, null,
            Map.of());

    public SwarmDeploy {
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        portModes = portModes == null ? List.of() : java.util.Collections.unmodifiableList(
                new java.util.ArrayList<>(portModes));
    }

    /** {@code restart_policy}; absent keys null (the swarm's defaults: condition any, no limit). */
    public record Restart(String condition, Duration delay, Integer maxAttempts, Duration window) {}

    /** {@code update_config} / {@code rollback_config}; absent keys null. */
    public record Policy(Integer parallelism, Duration delay, String failureAction, Duration monitor,
            Double maxFailureRatio, String order) {}
}
