package dev.sancho.maven.plan;

import java.util.Set;

/**
 * What the pom says about the stack.
 *
 * @param project        {@code sancho.project}, or null to fall back to compose {@code name:}, then artifactId
 * @param artifactId     last fallback for the project name
 * @param infrastructure service names that are infrastructure
 * @param appNamePattern e.g. {@code {project}_{service}_{deployId}}
 */
public record StackConfig(
        String project, String artifactId, String deployId, Set<String> infrastructure, String appNamePattern) {
    public StackConfig {
        infrastructure = infrastructure == null ? Set.of() : Set.copyOf(infrastructure);
    }
}
