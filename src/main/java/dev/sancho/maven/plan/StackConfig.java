package dev.sancho.maven.plan;

import java.util.Set;

/**
 * What the pom says about the stack.
 *
 * @param project        {@code sancho.project}, or null to fall back to compose {@code name:}, then artifactId
 * @param artifactId     last fallback for the project name
 * @param infrastructure service names that are infrastructure
 * @param appNamePattern e.g. {@code {project}_{service}_{deployId}}
 * @param swarm          {@code <target>swarm</target>}: replicas are tasks the swarm places, so a fixed host port
 *                       with several replicas is the swarm's to publish (ingress, or one per node), not an error
 * @param identity       who owns the project's objects on the engine ({@link ProjectIdentity}); null: unknown, so
 *                       only objects that carry no identity are this project's
 */
public record StackConfig(
        String project, String artifactId, String deployId, Set<String> infrastructure, String appNamePattern,
        boolean swarm, String identity) {
    public StackConfig {
        infrastructure = infrastructure == null ? Set.of() : Set.copyOf(infrastructure);
    }

    /** Without an identity (tests, tools that only read the compose file). */
    public StackConfig(String project, String artifactId, String deployId, Set<String> infrastructure,
            String appNamePattern, boolean swarm) {
        this(project, artifactId, deployId, infrastructure, appNamePattern, swarm, null);
    }

    /** One engine. */
    public StackConfig(String project, String artifactId, String deployId, Set<String> infrastructure,
            String appNamePattern) {
        this(project, artifactId, deployId, infrastructure, appNamePattern, false);
    }
}
