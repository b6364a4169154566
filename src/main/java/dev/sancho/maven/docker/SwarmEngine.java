package dev.sancho.maven.docker;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The swarm side of a manager engine: services, tasks, nodes and configs. Reached through
 * {@link DockerEngine#swarm()}, on the same transport. Deliberately absent: removing a service (a deploy never
 * does) and changing nodes.
 */
public interface SwarmEngine {

    /** The engine as a swarm member (GET /info). */
    SwarmInfos.State state();

    List<SwarmInfos.Node> nodes();

    /** The service named exactly {@code name}. */
    Optional<SwarmInfos.Service> findService(String name);

    /** Services carrying every given label. */
    List<SwarmInfos.Service> listServices(Map<String, String> labels);

    /** @return the new service's id */
    String createService(SwarmServiceSpec spec);

    /** Replaces the service's spec (the swarm then rolls its tasks as its update config says). */
    void updateService(SwarmInfos.Service current, SwarmServiceSpec spec);

    /** Removes a service by id (sancho's own one-shot helpers only; a deploy never removes a stack's service). */
    void removeService(String id);

    /** Replaces the service's spec with one recorded as the Engine API's JSON ({@link SwarmSpecsJson}). */
    void updateServiceFromJson(SwarmInfos.Service current, String serviceJson);

    /** The tasks of the service named exactly {@code serviceName}, every state. */
    List<SwarmInfos.Task> tasks(String serviceName);

    /** Overlay network, attachable (standalone containers may join it too). */
    NetworkInfo createOverlayNetwork(String name, Map<String, String> labels);

    /**
     * Creates a config. Atomic in the swarm's raft store.
     *
     * @throws NameConflictException when a config with that name exists
     */
    String createConfig(String name, Map<String, String> labels, byte[] data);

    /** Configs carrying every given label, with their data. */
    List<SwarmInfos.Config> listConfigs(Map<String, String> labels);

    /** The config named exactly {@code name}, with its data. */
    Optional<SwarmInfos.Config> findConfig(String name);

    void removeConfig(String id);

    /**
     * Creates a secret (a swarm never gives its value back).
     *
     * @throws NameConflictException when a secret with that name exists
     */
    String createSecret(String name, Map<String, String> labels, byte[] data);

    /** The ID of the secret named exactly {@code name}. */
    Optional<String> findSecret(String name);

    /**
     * Streams a service's log, every task's (GET /services/{id}/logs, as {@code docker service logs}), each line with
     * the task that wrote it; returns when the log ends (at once without {@code follow}).
     *
     * @param sinceEpochSecond only lines written at or after this time (seconds since the epoch); null: all
     * @param tail             only the last this many lines of each task before following; null: all
     */
    void streamServiceLogs(String serviceId, Long sinceEpochSecond, Integer tail, boolean follow,
            java.util.function.Consumer<SwarmInfos.LogLine> line);
}
