package dev.sancho.maven.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * How a deploy behaves; every value has a {@code sancho.*} user property on the deploy goal.
 *
 * @param keep            stopped deploys kept for rollback ({@code sancho.keep})
 * @param healthTimeout   how long a wave of containers may take to become ready ({@code sancho.healthTimeout})
 * @param minReady        how long a container without healthcheck must stay running ({@code sancho.minReadySeconds})
 * @param drain           pause between taking old containers out of rotation and stopping them
 *                        ({@code sancho.drainSeconds})
 * @param now             the deploy's start, recorded as {@code sancho.deployed-at}
 * @param ensuredVolumes  volumes ensure-volume created (or, in a dry run, would create) in this run: an infra
 *                        service may start on them although they did not exist before
 * @param explicitDeployId the deploy id was given ({@code sancho.deployId}), not generated from the start time:
 *                        only then is a taken id the user's to change
 * @param deployLabels    labels every app container of the deploy carries besides sancho's own, outside the config
 *                        hash: who deployed it and from which commit ({@code core.Provenance})
 */
public record DeployOptions(
        int keep, Duration healthTimeout, Duration minReady, Duration drain, Instant now, Set<String> ensuredVolumes,
        boolean explicitDeployId, Map<String, String> deployLabels) {

    public DeployOptions(int keep, Duration healthTimeout, Duration minReady, Duration drain, Instant now,
            Set<String> ensuredVolumes, boolean explicitDeployId) {
        this(keep, healthTimeout, minReady, drain, now, ensuredVolumes, explicitDeployId, Map.of());
    }

    public DeployOptions(int keep, Duration healthTimeout, Duration minReady, Duration drain, Instant now,
            Set<String> ensuredVolumes) {
        this(keep, healthTimeout, minReady, drain, now, ensuredVolumes, true);
    }

    public DeployOptions {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be >= 0, was " + keep);
        }
        ensuredVolumes = ensuredVolumes == null ? Set.of() : Set.copyOf(ensuredVolumes);
        deployLabels = deployLabels == null ? Map.of() : Map.copyOf(deployLabels);
    }

    public static DeployOptions defaults(Instant now) {
        return new DeployOptions(2, Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ZERO, now, Set.of());
    }

    public DeployOptions withEnsuredVolumes(Set<String> volumes) {
        return new DeployOptions(keep, healthTimeout, minReady, drain, now, volumes, explicitDeployId, deployLabels);
    }

    public DeployOptions withDeployLabels(Map<String, String> labels) {
        return new DeployOptions(keep, healthTimeout, minReady, drain, now, ensuredVolumes, explicitDeployId, labels);
    }
}
