package dev.sancho.maven.plan;

import dev.sancho.maven.compose.ComposeFile;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The desired stack of one deploy: every service classified and named.
 *
 * @param services     in start order (depends_on respected)
 * @param volumeNames  compose volume key -> engine volume name
 * @param networkNames compose network key -> engine network name (includes "default" when a service uses it)
 * @param warnings     classification warnings (e.g. an app service mounting a data volume)
 * @param identity     who owns the project's objects ({@link ProjectIdentity}), recorded in
 *                     {@link Labels#IDENTITY} on everything the stack creates; null when unknown
 */
public record Stack(
        String project,
        String deployId,
        ComposeFile compose,
        List<StackService> services,
        Map<String, String> volumeNames,
        Map<String, String> networkNames,
        List<String> warnings,
        String identity) {

    public Stack {
        services = List.copyOf(services);
        volumeNames = Map.copyOf(volumeNames);
        networkNames = Map.copyOf(networkNames);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public List<StackService> infrastructure() {
        return services.stream().filter(StackService::infra).toList();
    }

    public List<StackService> applications() {
        return services.stream().filter(s -> !s.infra()).toList();
    }

    public Set<String> infrastructureNames() {
        return services.stream().filter(StackService::infra).map(StackService::containerName)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * App services that run to completion per deploy: those another service waits for with
     * {@code depends_on: condition: service_completed_successfully} (a database migration, say).
     */
    public Set<String> jobs() {
        Set<String> jobs = new java.util.TreeSet<>();
        services.forEach(s -> s.service().dependsOn().forEach((dep, condition) -> {
            if (Labels.CONDITION_COMPLETED.equals(condition)) {
                jobs.add(dep);
            }
        }));
        return Collections.unmodifiableSet(jobs);
    }

    public Optional<StackService> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
