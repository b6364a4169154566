package dev.sancho.maven.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Everything needed to create one container. Values are final (interpolated, paths absolute). */
public record ContainerSpec(
        String name,
        String image,
        List<String> entrypoint,
        List<String> command,
        Map<String, String> environment,
        Map<String, String> labels,
        List<PortBinding> ports,
        List<Mount> mounts,
        /* network name -> aliases in it; the first entry is the container's primary network */
        Map<String, List<String>> networks,
        String restartPolicy,
        HealthSpec healthcheck,
        String user,
        String workingDir,
        String hostname,
        List<String> extraHosts,
        String stopSignal,
        Duration stopTimeout,
        ContainerOptions options) {

    /** A container with none of the runtime settings of {@link ContainerOptions}: the engine's defaults. */
    public ContainerSpec(String name, String image, List<String> entrypoint, List<String> command,
            Map<String, String> environment, Map<String, String> labels, List<PortBinding> ports, List<Mount> mounts,
            Map<String, List<String>> networks, String restartPolicy, HealthSpec healthcheck, String user,
            String workingDir, String hostname, List<String> extraHosts, String stopSignal, Duration stopTimeout) {
        this(name, image, entrypoint, command, environment, labels, ports, mounts, networks, restartPolicy, healthcheck,
                user, workingDir, hostname, extraHosts, stopSignal, stopTimeout, ContainerOptions.NONE);
    }

    public ContainerSpec {
        options = options == null ? ContainerOptions.NONE : options;
    }

    /** The same container on other networks (or the same ones with other aliases). */
    public ContainerSpec withNetworks(Map<String, List<String>> networks) {
        return new ContainerSpec(name, image, entrypoint, command, environment, labels, ports, mounts, networks,
                restartPolicy, healthcheck, user, workingDir, hostname, extraHosts, stopSignal, stopTimeout, options);
    }

    /** @param hostPort null or empty = engine picks; {@code protocol} tcp/udp/sctp */
    public record PortBinding(String hostIp, String hostPort, int containerPort, String protocol) {}

    /**
     * @param type    volume, bind or tmpfs
     * @param options the mount's options; {@link MountOptions#NONE} for none
     */
    public record Mount(String type, String source, String target, boolean readOnly, MountOptions options) {
        public Mount(String type, String source, String target, boolean readOnly) {
            this(type, source, target, readOnly, MountOptions.NONE);
        }

        public Mount {
            options = options == null ? MountOptions.NONE : options;
        }

        /**
         * The text the config hash and field digests see: what the record printed before mounts had options, then
         * the options that are set, so a container without options keeps its hash.
         */
        @Override
        public String toString() {
            String set = options.toString();
            return "Mount[type=" + type + ", source=" + source + ", target=" + target + ", readOnly=" + readOnly
                    + (set.isEmpty() ? "" : ", " + set) + "]";
        }
    }

    /**
     * What a mount is besides source and target, in Compose's terms (see {@code compose.Service.MountOptions}).
     *
     * @param createHostPath a missing host directory is created; how the mount is made, not what is mounted, so it
     *                       is left out of {@link #toString()}
     */
    public record MountOptions(String propagation, String selinux, boolean createHostPath, boolean noCopy,
            String subpath, Long tmpfsSize, Integer tmpfsMode) {
        public static final MountOptions NONE = new MountOptions(null, null, false, false, null, null, null);

        /** The options that are set, {@code name=value} comma-separated; empty for none. */
        @Override
        public String toString() {
            List<String> set = new java.util.ArrayList<>();
            if (propagation != null) {
                set.add("propagation=" + propagation);
            }
            if (selinux != null) {
                set.add("selinux=" + selinux);
            }
            if (noCopy) {
                set.add("nocopy=true");
            }
            if (subpath != null) {
                set.add("subpath=" + subpath);
            }
            if (tmpfsSize != null) {
                set.add("size=" + tmpfsSize);
            }
            if (tmpfsMode != null) {
                set.add("mode=0" + Integer.toOctalString(tmpfsMode));
            }
            return String.join(", ", set);
        }
    }

    /**
     * @param test Docker form: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]
     */
    public record HealthSpec(List<String> test, Duration interval, Duration timeout, Integer retries, Duration startPeriod) {}
}
