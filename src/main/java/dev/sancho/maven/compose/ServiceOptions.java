package dev.sancho.maven.compose;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The runtime keys of a service that tune the container itself (resources, privileges, kernel settings, DNS,
 * logging, terminals), typed and interpolated as written. Absent keys are null (scalars) or empty (collections).
 * What they become in the engine's terms, including how {@code deploy.resources} is applied to a single container,
 * is decided by {@code plan.ContainerSpecs}.
 *
 * @param memLimit       {@code mem_limit} in bytes
 * @param memswapLimit   {@code memswap_limit} in bytes, -1 for unlimited swap
 * @param cpus           {@code cpus} as written (e.g. 0.5)
 * @param tmpfs          {@code tmpfs} entries {@code PATH[:OPTIONS]} as written
 * @param devices        {@code devices}, each with its container path and permissions filled in like Compose
 * @param expose         {@code expose} entries {@code PORT[-PORT][/PROTOCOL]} as written
 * @param deploy         {@code deploy.resources} (only what applies to one container), or {@link Resources#NONE}
 * @param replicas       {@code deploy.replicas} or {@code scale} (Compose refuses two different values), null when
 *                       neither is set
 * @param networkMode    {@code network_mode} as written ({@code host}, {@code none}, {@code bridge},
 *                       {@code service:NAME}, {@code container:NAME})
 * @param links          {@code links}, each {@code SERVICE[:ALIAS]}
 * @param externalLinks  {@code external_links}, each {@code CONTAINER[:ALIAS]}
 * @param deviceRequests {@code gpus} and {@code deploy.resources.reservations.devices}, as Compose v2 sends them
 * @param healthStartInterval {@code healthcheck.start_interval}
 */
public record ServiceOptions(
        Long memLimit, Long memswapLimit, Long memReservation, Integer memSwappiness,
        BigDecimal cpus, Integer cpuShares, Long cpuQuota, Long cpuPeriod, String cpuset,
        Long pidsLimit, Boolean oomKillDisable, Integer oomScoreAdj, List<Ulimit> ulimits,
        List<String> capAdd, List<String> capDrop, List<String> securityOpt, Boolean privileged, Boolean readOnly,
        List<String> tmpfs, Long shmSize, Boolean init, Map<String, String> sysctls, List<Device> devices,
        List<String> dns, List<String> dnsSearch, List<String> dnsOpt, String domainname, List<String> expose,
        String pid, String ipc, List<String> groupAdd, Boolean tty, Boolean stdinOpen, Logging logging,
        String cgroupParent, String usernsMode, String platform, String runtime, Map<String, String> storageOpt,
        Resources deploy, List<FileMount> secrets, List<FileMount> configs, Integer replicas,
        String networkMode, List<String> links, List<String> externalLinks, List<VolumesFrom> volumesFrom,
        Blkio blkio, List<DeviceRequest> deviceRequests, java.time.Duration healthStartInterval,
        String uts, String cgroup, List<String> deviceCgroupRules, String macAddress) {

    /** A service that sets none of these keys. */
    public static final ServiceOptions NONE = new ServiceOptions(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null);

    public ServiceOptions {
        ulimits = list(ulimits);
        capAdd = list(capAdd);
        capDrop = list(capDrop);
        securityOpt = list(securityOpt);
        tmpfs = list(tmpfs);
        sysctls = Maps.frozen(sysctls);
        devices = list(devices);
        dns = list(dns);
        dnsSearch = list(dnsSearch);
        dnsOpt = list(dnsOpt);
        expose = list(expose);
        groupAdd = list(groupAdd);
        storageOpt = Maps.frozen(storageOpt);
        deploy = deploy == null ? Resources.NONE : deploy;
        secrets = list(secrets);
        configs = list(configs);
        links = list(links);
        externalLinks = list(externalLinks);
        volumesFrom = list(volumesFrom);
        deviceRequests = list(deviceRequests);
        deviceCgroupRules = list(deviceCgroupRules);
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    /** One {@code ulimits} entry; a single number sets both soft and hard. */
    public record Ulimit(String name, long soft, long hard) {}

    /** One {@code devices} entry: {@code HOST[:CONTAINER[:PERMISSIONS]]}, the container path defaults to the host's. */
    public record Device(String host, String container, String permissions) {}

    /** {@code logging:}; a null driver leaves the engine's default driver (options still apply to it). */
    public record Logging(String driver, Map<String, String> options) {
        public Logging {
            options = Maps.frozen(options);
        }
    }

    /**
     * The part of {@code deploy.resources} that applies to a single container, as Compose v2 applies it:
     * {@code limits.cpus}, {@code limits.memory}, {@code limits.pids} and {@code reservations.memory}.
     */
    public record Resources(BigDecimal limitCpus, Long limitMemory, Long limitPids, Long reservationMemory) {
        public static final Resources NONE = new Resources(null, null, null, null);
    }

    /**
     * A {@code secrets:} or {@code configs:} entry of the service, resolved against the top-level definition.
     *
     * @param name     the top-level key
     * @param file     absolute host path of the file the container sees (bind-mounted); null when {@code content} is
     * @param target   absolute path in the container
     * @param line     line of the entry, for messages
     * @param content  the value of an {@code environment:} or {@code content:} source, copied into the container;
     *                 may be a secret, so {@link #toString()} leaves it out
     * @param mode     permission bits of a copied file; null = 0444 (Compose's default)
     * @param uid      owner of a copied file; null = root
     * @param gid      group of a copied file; null = root
     * @param external on a swarm, the name of an existing swarm secret/config ({@code external: true}); else null
     */
    public record FileMount(String name, String file, String target, int line, String content, Integer mode,
            Integer uid, Integer gid, String external) {

        public FileMount(String name, String file, String target, int line, String content, Integer mode,
                Integer uid, Integer gid) {
            this(name, file, target, line, content, mode, uid, gid, null);
        }

        /** A host file, bind-mounted read-only. */
        public FileMount(String name, String file, String target, int line) {
            this(name, file, target, line, null, null, null, null);
        }

        @Override
        public String toString() {
            return "FileMount[" + name + " -> " + target + (external != null ? ", external=" + external
                    : file != null ? ", file=" + file : ", content=" + Secrets.MASK) + (mode == null ? "" : ", mode=0" + Integer.toOctalString(mode))
                    + (uid == null ? "" : ", uid=" + uid) + (gid == null ? "" : ", gid=" + gid) + "]";
        }
    }

    /**
     * One {@code volumes_from} entry: the mounts of another service's container ({@code service} true) or of any
     * container by name.
     */
    public record VolumesFrom(String name, boolean service, boolean readOnly) {}

    /** {@code blkio_config}; rates of the {@code _bps} lists in bytes per second, of the {@code _iops} lists per second. */
    public record Blkio(Integer weight, List<WeightDevice> weightDevice, List<Throttle> deviceReadBps,
            List<Throttle> deviceWriteBps, List<Throttle> deviceReadIops, List<Throttle> deviceWriteIops) {
        public Blkio {
            weightDevice = list(weightDevice);
            deviceReadBps = list(deviceReadBps);
            deviceWriteBps = list(deviceWriteBps);
            deviceReadIops = list(deviceReadIops);
            deviceWriteIops = list(deviceWriteIops);
        }
    }

    public record WeightDevice(String path, int weight) {}

    public record Throttle(String path, long rate) {}

    /**
     * A device request (GPUs): {@code count} -1 for all.
     *
     * @param capabilities the one capability set the request asks for, e.g. [gpu] or [gpu, utility]
     */
    public record DeviceRequest(String driver, Integer count, List<String> deviceIds, List<String> capabilities,
            Map<String, String> options) {
        public DeviceRequest {
            deviceIds = list(deviceIds);
            capabilities = list(capabilities);
            options = Maps.frozen(options);
        }
    }
}
