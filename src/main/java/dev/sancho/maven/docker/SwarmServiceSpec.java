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
 * @param files         secrets and configs the tasks' containers get, by object name
 */
public record SwarmServiceSpec(String name, Map<String, String> labels, String image, List<String> command,
        List<String> args, List<String> env, Map<String, String> containerLabels, List<Mount> mounts,
        List<Network> networks, Health health, String user, String workingDir, String stopSignal,
        Duration stopGracePeriod, int replicas, List<String> constraints, Long nanoCpus, Long memoryBytes,
        Long memoryReservation, String endpointMode, List<Port> ports, UpdatePolicy update, UpdatePolicy rollback,
        RestartPolicy restart, List<FileRef> files) {

    /** A spec without secrets or configs. */
    public SwarmServiceSpec(String name, Map<String, String> labels, String image, List<String> command,
            List<String> args, List<String> env, Map<String, String> containerLabels, List<Mount> mounts,
            List<Network> networks, Health health, String user, String workingDir, String stopSignal,
            Duration stopGracePeriod, int replicas, List<String> constraints, Long nanoCpus, Long memoryBytes,
            Long memoryReservation, String endpointMode, List<Port> ports, UpdatePolicy update, UpdatePolicy rollback,
            RestartPolicy restart) {
        this(name, labels, image, command, args, env, containerLabels, mounts, networks, health, user, workingDir,
                stopSignal, stopGracePeriod, replicas, constraints, nanoCpus, memoryBytes, memoryReservation,
                endpointMode, ports, update, rollback, restart, List.of());
    }

    public SwarmServiceSpec {
        files = files == null ? List.of() : List.copyOf(files);
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

    /**
     * A swarm secret or config a service's containers see as a file. Swarm objects are immutable, so a created one
     * is named by its content's digest ({@code <project>_<key>_<12 hex>}): a changed value is a new object the
     * service rolls over to. The value may be a secret: {@link #toString()} shows only its digest.
     *
     * @param secret   a secret (else a config)
     * @param name     the object's name in the swarm
     * @param data     the content to create the object with; null for an external object (it must exist)
     * @param sha256   hex SHA-256 of data; null for an external object
     * @param target   the file's path (secrets: /run/secrets/..., configs: absolute)
     * @param uid      owner, "0" by default
     * @param gid      group, "0" by default
     * @param mode     permission bits, 0444 by default
     */
    public record FileRef(boolean secret, String name, byte[] data, String sha256, String target, String uid,
            String gid, int mode) {
        public FileRef {
            data = data == null ? null : data.clone();
        }

        @Override
        public byte[] data() {
            return data == null ? null : data.clone();
        }

        public boolean external() {
            return data == null;
        }

        public String kind() {
            return secret ? "secret" : "config";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileRef f && secret == f.secret && name.equals(f.name)
                    && java.util.Arrays.equals(data, f.data) && target.equals(f.target) && uid.equals(f.uid)
                    && gid.equals(f.gid) && mode == f.mode;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(secret, name, target, uid, gid, mode);
        }

        /** Never the data: kind, name, digest, target, owner and mode. */
        @Override
        public String toString() {
            return kind() + " " + name + (external() ? " (external)" : " sha256=" + sha256) + " -> " + target
                    + " uid=" + uid + " gid=" + gid + " mode=0" + Integer.toOctalString(mode);
        }
    }
}
