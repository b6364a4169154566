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

    /** @param type volume, bind or tmpfs */
    public record Mount(String type, String source, String target, boolean readOnly) {}

    /**
     * @param test Docker form: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]
     */
    public record HealthSpec(List<String> test, Duration interval, Duration timeout, Integer retries, Duration startPeriod) {}
}
