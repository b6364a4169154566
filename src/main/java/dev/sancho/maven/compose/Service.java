package dev.sancho.maven.compose;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One service of a Compose file, interpolated. Absent keys are null (scalars) or empty (collections).
 *
 * @param line          1-based line of the service's key in the file, for messages
 * @param command       exec form; a string command is split like Compose does (shell-words)
 * @param entrypoint    exec form, same rule as command
 * @param environment   values may be null for keys declared without value and absent from the environment
 * @param dependsOn     service name -> condition (service_started, service_healthy, service_completed_successfully)
 * @param build         the {@code build:} section or null; built per deploy by {@code core.ImageBuilder}
 * @param containerNameTemplate {@code container_name} as written, before interpolation (null when absent), so the
 *                      stack can tell whether the name depends on {@code DEPLOY_ID}
 * @param keyLines      line of each key of the service and of the keys/items one level below
 *                      ({@code restart}, {@code depends_on}, {@code depends_on.db}), so later checks can point at the
 *                      exact line; see {@link #line(String)}
 * @param backup        {@code x-sancho-backup} (null when absent): how sancho backs up the service's data
 * @param options       the runtime keys (resources, privileges, kernel settings, DNS, logging, ...);
 *                      {@link ServiceOptions#NONE} when the service sets none
 */
public record Service(
        String name,
        int line,
        String image,
        BuildDef build,
        String containerName,
        List<String> command,
        List<String> entrypoint,
        Map<String, String> environment,
        List<PortMapping> ports,
        List<Mount> volumes,
        Map<String, ServiceNetwork> networks,
        Map<String, String> labels,
        Healthcheck healthcheck,
        String restart,
        Map<String, String> dependsOn,
        String user,
        String workingDir,
        String hostname,
        List<String> extraHosts,
        String stopSignal,
        Duration stopGracePeriod,
        String containerNameTemplate,
        Map<String, Integer> keyLines,
        ServiceOptions options,
        PullPolicy pullPolicy,
        BackupDef backup) {

    /** Without {@code x-sancho-backup}. */
    public Service(String name, int line, String image, BuildDef build, String containerName, List<String> command,
            List<String> entrypoint, Map<String, String> environment, List<PortMapping> ports, List<Mount> volumes,
            Map<String, ServiceNetwork> networks, Map<String, String> labels, Healthcheck healthcheck, String restart,
            Map<String, String> dependsOn, String user, String workingDir, String hostname, List<String> extraHosts,
            String stopSignal, Duration stopGracePeriod, String containerNameTemplate, Map<String, Integer> keyLines,
            ServiceOptions options, PullPolicy pullPolicy) {
        this(name, line, image, build, containerName, command, entrypoint, environment, ports, volumes, networks,
                labels, healthcheck, restart, dependsOn, user, workingDir, hostname, extraHosts, stopSignal,
                stopGracePeriod, containerNameTemplate, keyLines, options, pullPolicy, null);
    }

    /** Without a template: {@code containerName} is taken as written. */
    public Service(String name, int line, String image, BuildDef build, String containerName, List<String> command,
            List<String> entrypoint, Map<String, String> environment, List<PortMapping> ports, List<Mount> volumes,
            Map<String, ServiceNetwork> networks, Map<String, String> labels, Healthcheck healthcheck, String restart,
            Map<String, String> dependsOn, String user, String workingDir, String hostname, List<String> extraHosts,
            String stopSignal, Duration stopGracePeriod) {
        this(name, line, image, build, containerName, command, entrypoint, environment, ports, volumes, networks,
                labels, healthcheck, restart, dependsOn, user, workingDir, hostname, extraHosts, stopSignal,
                stopGracePeriod, containerName, Map.of(), ServiceOptions.NONE, PullPolicy.MISSING);
    }

    /** Without key lines (a service built in code): every message points at the service's own line. */
    public Service(String name, int line, String image, BuildDef build, String containerName, List<String> command,
            List<String> entrypoint, Map<String, String> environment, List<PortMapping> ports, List<Mount> volumes,
            Map<String, ServiceNetwork> networks, Map<String, String> labels, Healthcheck healthcheck, String restart,
            Map<String, String> dependsOn, String user, String workingDir, String hostname, List<String> extraHosts,
            String stopSignal, Duration stopGracePeriod, String containerNameTemplate) {
        this(name, line, image, build, containerName, command, entrypoint, environment, ports, volumes, networks,
                labels, healthcheck, restart, dependsOn, user, workingDir, hostname, extraHosts, stopSignal,
                stopGracePeriod, containerNameTemplate, Map.of(), ServiceOptions.NONE, PullPolicy.MISSING);
    }

    /** The same service with another image (e.g. the one built for this deploy); every other key kept. */
    public Service withImage(String newImage) {
        return new Service(name, line, newImage, build, containerName, command, entrypoint, environment, ports,
                volumes, networks, labels, healthcheck, restart, dependsOn, user, workingDir, hostname, extraHosts,
                stopSignal, stopGracePeriod, containerNameTemplate, keyLines, options, pullPolicy, backup);
    }

    /** The line of {@code key} ({@code "restart"}, {@code "depends_on.db"}), else the service's own line. */
    public int line(String key) {
        return keyLines.getOrDefault(key, line);
    }

    public Service {
        command = command == null ? null : List.copyOf(command);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        environment = Maps.frozen(environment);
        ports = ports == null ? List.of() : List.copyOf(ports);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        networks = Maps.frozen(networks);
        labels = Maps.frozen(labels);
        dependsOn = Maps.frozen(dependsOn);
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        keyLines = keyLines == null ? Map.of() : Map.copyOf(keyLines);
        options = options == null ? ServiceOptions.NONE : options;
        pullPolicy = pullPolicy == null ? PullPolicy.MISSING : pullPolicy;
    }

    /**
     * A published port. {@code hostPort} and {@code containerPort} are single ports or ranges as text
     * ("8080", "8000-8010"); hostIp/hostPort may be null.
     */
    public record PortMapping(String hostIp, String hostPort, String containerPort, String protocol) {}

    /**
     * @param type    volume, bind or tmpfs
     * @param source  named-volume key (as declared under top-level volumes) or absolute host path; null for
     *                anonymous volumes and tmpfs
     * @param options the mount's options ({@link MountOptions#NONE} when none is given)
     */
    public record Mount(String type, String source, String target, boolean readOnly, MountOptions options) {
        public Mount(String type, String source, String target, boolean readOnly) {
            this(type, source, target, readOnly, MountOptions.NONE);
        }

        public Mount {
            options = options == null ? MountOptions.NONE : options;
        }
    }

    /**
     * The options of one mount, as the Compose Specification names them (long syntax, or the short syntax's flags).
     *
     * @param propagation    {@code bind.propagation}: private, rprivate, shared, rshared, slave, rslave; or null
     * @param selinux        {@code bind.selinux} or the short syntax's {@code z}/{@code Z}: relabel the source for
     *                       SELinux, shared ({@code z}) or private ({@code Z}); or null
     * @param createHostPath {@code bind.create_host_path}, implied by the short syntax (as Compose does): a missing
     *                       host directory is created
     * @param noCopy         {@code volume.nocopy} or the short syntax's {@code nocopy}: the image's files at the
     *                       target are not copied into a new volume
     * @param subpath        {@code volume.subpath}: the sub-directory of the volume that is mounted; or null
     * @param tmpfsSize      {@code tmpfs.size} in bytes, or null (no limit)
     * @param tmpfsMode      {@code tmpfs.mode} (file mode bits, e.g. 01777), or null
     */
    public record MountOptions(String propagation, String selinux, boolean createHostPath, boolean noCopy,
            String subpath, Long tmpfsSize, Integer tmpfsMode) {
        public static final MountOptions NONE = new MountOptions(null, null, false, false, null, null, null);
    }

    /**
     * @param ipv4Address {@code ipv4_address}, or null
     * @param ipv6Address {@code ipv6_address}, or null
     * @param priority    {@code priority}: the network with the highest is the one the container is created in
     */
    public record ServiceNetwork(List<String> aliases, String ipv4Address, String ipv6Address, int priority) {
        public ServiceNetwork {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }

        public ServiceNetwork(List<String> aliases) {
            this(aliases, null, null, 0);
        }
    }

    /** @param test Docker form (["CMD", ...], ["CMD-SHELL", cmd], ["NONE"]); null when only timings are given */
    public record Healthcheck(
            List<String> test, Duration interval, Duration timeout, Integer retries, Duration startPeriod,
            boolean disable) {}

    /**
     * @param context absolute directory (relative contexts resolve against the compose file's directory), or a
     *                URL as written
     * @param args    values interpolated; an arg written without value has the project variable of its name (environment,
     *                .env, the pom's {@code <environment>}) like Compose, null when none is set
     */
    public record BuildDef(
            String context, String dockerfile, Map<String, String> args, String target,
            Map<String, String> labels, String network, List<String> extraHosts, String shmSize) {
        public BuildDef {
            args = Maps.frozen(args);
            labels = Maps.frozen(labels);
            extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        }
    }
}
