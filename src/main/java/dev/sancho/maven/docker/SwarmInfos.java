package dev.sancho.maven.docker;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the swarm reports, read from the Engine API's JSON by {@link SwarmJson}. */
public final class SwarmInfos {
    private SwarmInfos() {}

    /**
     * The engine sancho talks to, as a swarm member.
     *
     * @param localState inactive, pending, active, error, locked
     * @param manager    true when this engine can take swarm writes (a manager with control available)
     */
    public record State(String nodeId, String localState, boolean manager, String nodeAddress) {}

    /** @param state ready, down, unknown; @param availability active, pause, drain */
    public record Node(String id, String hostname, String role, String availability, String state, String address) {}

    /**
     * @param version      the object version an update must name
     * @param updateState  null (never updated), updating, paused, completed, rollback_started, rollback_paused,
     *                     rollback_completed
     * @param deployId     label sancho.deploy-id of the service's current spec
     * @param constraints  placement constraints of its current spec
     * @param volumes      the named volumes its current spec mounts
     */
    public record Service(String id, String name, long version, Map<String, String> labels, String image,
            int replicas, String updateState, String updateMessage, String deployId, List<String> constraints,
            List<String> volumes) {
        public Service {
            labels = Map.copyOf(labels);
            constraints = constraints == null ? List.of() : List.copyOf(constraints);
            volumes = volumes == null ? List.of() : List.copyOf(volumes);
        }
    }

    /**
     * @param state        new ... starting, running, complete, failed, shutdown, rejected, orphaned, remove
     * @param desiredState running, shutdown, ...
     * @param deployId     label sancho.deploy-id of the task's container spec
     */
    public record Task(String id, String serviceId, String nodeId, Integer slot, String state, String desiredState,
            String message, String error, String deployId, String containerId, String image, Instant updatedAt) {}

    public record Config(String id, String name, Map<String, String> labels, Instant createdAt, byte[] data) {
        public Config {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * One line of a service's log.
     *
     * @param taskId the task that wrote it (null when the engine did not say)
     * @param text   the line as the task wrote it
     */
    public record LogLine(String taskId, String text) {}
}
