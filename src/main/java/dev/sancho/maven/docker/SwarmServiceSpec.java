package dev.sancho.maven.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What sancho asks the swarm to run for one service, in the engine's terms but without any library type: the
 * adapter ({@link SwarmJson}) turns it into the service JSON of the Engine API.
 *
 * @param env           {@code KEY=value}, sorted
 * @param command       the image's entrypoint replaced (null: the image's)
 * @param args          the image's command replaced (null: the image's)
 * @param replicas      replicated mode with this many tasks
 * @param constraints   placement constraints ({@code node.id==...})
 * @param endpointMode  {@code vip} or {@code dnsrr}
 * @param update        null: the engine's defaults
 * @param restart       null: the engine's defaults (restart on any exit)
 */
public record SwarmServiceSpec(String name, Map<String, String> labels, String image, List<String> command,
        List<String> args, List<String> env, Map<String, String> containerLabels, List<Mount> mounts,
        List<Network> networks, Health health, String user, String workingDir, String stopSignal,
        Duration stopGracePeriod, int replicas, List<String> constraints, Long nanoCpus, Long memoryBytes,
        Long memoryReservation, String endpointMode, List<Port> ports, UpdatePolicy update, UpdatePolicy rollback,
        RestartPolicy restart) {

    public SwarmServiceSpec {
        labels = Map.copyOf(labels);
        command = command == null ? null : List.copyOf(command);
        args = args == null ? null : List.copyOf(args);
        env = List.copyOf(env);
        containerLabels = Map.copyOf(containerLabels);
        mounts = List.copyOf(mounts);
        networks = List.copyOf(networks);
        constraints = List.copyOf(constraints);
        ports = List.copyOf(ports);
    }

    /** @param type volume, bind or tmpfs */
    public record Mount(String type, String source, String target, boolean readOnly) {}

    public record Network(String name, List<String> aliases) {
        public Network {
            aliases = List.copyOf(aliases);
        }
    }

    /** @param test Docker form ({@code CMD ...}, {@code CMD-SHELL cmd}, {@code NONE}) */
    public record Health(List<String> test, Duration interval, Duration timeout, Integer retries,
            Duration startPeriod) {
        public Health {
            test = test == null ? null : List.copyOf(test);
        }
    }

    /** @param mode {@code host} or {@code ingress} */
    public record Port(int target, int published, String protocol, String mode) {}

    /**
     * {@code update_config} / {@code rollback_config}: null fields are the engine's defaults.
     *
     * @param failureAction pause, continue or rollback
     * @param order         start-first or stop-first
     */
    public record UpdatePolicy(Integer parallelism, Duration delay, String failureAction, Duration monitor,
            Double maxFailureRatio, String order) {}

    /** {@code restart_policy}: null fields are the engine's defaults. @param condition none, on-failure or any */
    public record RestartPolicy(String condition, Duration delay, Integer maxAttempts, Duration window) {}
}
