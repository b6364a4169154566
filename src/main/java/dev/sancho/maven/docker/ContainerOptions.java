package dev.sancho.maven.docker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime settings of a container beyond its process, ports, mounts and networks: resources, privileges,
 * kernel settings, DNS, logging and terminals, in the engine's own terms (bytes, nano-CPUs, {@code PATH -> OPTIONS}).
 * Null (scalars) or empty (collections) means "not set": the engine's default applies.
 *
 * @param exposedPorts ports exposed without being published ({@code expose:}), one per port
 * @param platform     sent with the create call ({@code ?platform=}); the engine checks it against the image
 * @param networkMode  {@code host}, {@code none}, {@code bridge} or {@code container:NAME}: the container then has no
 *                     networks of its own ({@link ContainerSpec#networks()} is empty)
 * @param links        legacy links {@code NAME:ALIAS}
 * @param volumesFrom  {@code NAME:ro} or {@code NAME:rw}
 * @param addresses    fixed addresses per network (engine name), for networks with a configured subnet
 * @param healthStartInterval needs engine API 1.44; the adapter leaves it out on an older engine
 * @param files        copied in after the create call, before the start ({@link DockerEngine#copyToContainer})
 * @param stdinOnce    with {@code openStdin}: the engine closes the container's stdin when the attached client goes
 *                     (the deploy lock's process ends on that EOF); not a compose key
 */
public record ContainerOptions(
        Long memory, Long memorySwap, Long memoryReservation, Long memorySwappiness,
        Long nanoCpus, Integer cpuShares, Long cpuQuota, Long cpuPeriod, String cpusetCpus,
        Long pidsLimit, Boolean oomKillDisable, Integer oomScoreAdj, List<Ulimit> ulimits,
        List<String> capAdd, List<String> capDrop, List<String> securityOpt, Boolean privileged,
        Boolean readonlyRootfs, Map<String, String> tmpfs, Long shmSize, Boolean init, Map<String, String> sysctls,
        List<Device> devices, List<String> dns, List<String> dnsSearch, List<String> dnsOptions, String domainname,
        List<ExposedPort> exposedPorts, String pidMode, String ipcMode, List<String> groupAdd, Boolean tty,
        Boolean openStdin, String logDriver, Map<String, String> logOptions, String cgroupParent, String usernsMode,
        String platform, String runtime, Map<String, String> storageOpt, String networkMode, List<String> links,
        List<String> volumesFrom, Blkio blkio, List<DeviceRequest> deviceRequests,
        Map<String, Address> addresses, java.time.Duration healthStartInterval, String utsMode, String cgroupnsMode,
        List<String> deviceCgroupRules, String macAddress, List<ContainerFile> files, Boolean stdinOnce) {

    /** Without {@code stdinOnce}: every setting a compose file can give. */
    public ContainerOptions(
            Long memory, Long memorySwap, Long memoryReservation, Long memorySwappiness,
            Long nanoCpus, Integer cpuShares, Long cpuQuota, Long cpuPeriod, String cpusetCpus,
            Long pidsLimit, Boolean oomKillDisable, Integer oomScoreAdj, List<Ulimit> ulimits,
            List<String> capAdd, List<String> capDrop, List<String> securityOpt, Boolean privileged,
            Boolean readonlyRootfs, Map<String, String> tmpfs, Long shmSize, Boolean init, Map<String, String> sysctls,
            List<Device> devices, List<String> dns, List<String> dnsSearch, List<String> dnsOptions, String domainname,
            List<ExposedPort> exposedPorts, String pidMode, String ipcMode, List<String> groupAdd, Boolean tty,
            Boolean openStdin, String logDriver, Map<String, String> logOptions, String cgroupParent, String usernsMode,
            String platform, String runtime, Map<String, String> storageOpt, String networkMode, List<String> links,
            List<String> volumesFrom, Blkio blkio, List<DeviceRequest> deviceRequests,
            Map<String, Address> addresses, java.time.Duration healthStartInterval, String utsMode, String cgroupnsMode,
            List<String> deviceCgroupRules, String macAddress, List<ContainerFile> files) {
        this(memory, memorySwap, memoryReservation, memorySwappiness, nanoCpus, cpuShares, cpuQuota, cpuPeriod,
                cpusetCpus, pidsLimit, oomKillDisable, oomScoreAdj, ulimits, capAdd, capDrop, securityOpt, privileged,
                readonlyRootfs, tmpfs, shmSize, init, sysctls, devices, dns, dnsSearch, dnsOptions, domainname,
                exposedPorts, pidMode, ipcMode, groupAdd, tty, openStdin, logDriver, logOptions, cgroupParent,
                usernsMode, platform, runtime, storageOpt, networkMode, links, volumesFrom, blkio, deviceRequests,
                addresses, healthStartInterval, utsMode, cgroupnsMode, deviceCgroupRules, macAddress, files, null);
    }

    /** A container whose stdin stays open for one attached client and closes when that client goes. */
    public static final ContainerOptions STDIN_ONCE = new ContainerOptions(null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, false, true, null, null, null, null, null, null, null, "none", null,
            null, null, null, null, null, null, null, null, null, null, true);

    /** A container that sets none of these: everything is the engine's default. */
    public static final ContainerOptions NONE = new ContainerOptions(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null);

    public ContainerOptions {
        ulimits = list(ulimits);
        capAdd = list(capAdd);
        capDrop = list(capDrop);
        securityOpt = list(securityOpt);
        tmpfs = map(tmpfs);
        sysctls = map(sysctls);
        devices = list(devices);
        dns = list(dns);
        dnsSearch = list(dnsSearch);
        dnsOptions = list(dnsOptions);
        exposedPorts = list(exposedPorts);
        groupAdd = list(groupAdd);
        logOptions = map(logOptions);
        storageOpt = map(storageOpt);
        links = list(links);
        volumesFrom = list(volumesFrom);
        deviceRequests = list(deviceRequests);
        deviceCgroupRules = list(deviceCgroupRules);
        files = list(files);
        addresses = addresses == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    private static Map<String, String> map(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    public record Ulimit(String name, long soft, long hard) {}

    public record Device(String pathOnHost, String pathInContainer, String cgroupPermissions) {}

    /** @param protocol tcp, udp or sctp */
    public record ExposedPort(int port, String protocol) {}

    /** Block IO weights and throttles ({@code PATH -> value}); a null weight is the engine's default. */
    public record Blkio(Integer weight, List<Rate> weightDevice, List<Rate> readBps, List<Rate> writeBps,
            List<Rate> readIops, List<Rate> writeIops) {
        public Blkio {
            weightDevice = list(weightDevice);
            readBps = list(readBps);
            writeBps = list(writeBps);
            readIops = list(readIops);
            writeIops = list(writeIops);
        }
    }

    public record Rate(String path, long value) {}

    /** A request for devices of a driver (GPUs); {@code count} -1 for all, null with device ids. */
    public record DeviceRequest(String driver, Integer count, List<String> deviceIds, List<String> capabilities,
            Map<String, String> options) {
        public DeviceRequest {
            deviceIds = list(deviceIds);
            capabilities = list(capabilities);
            options = map(options);
        }
    }

    /** A container's fixed address on one network; either may be null. */
    public record Address(String ipv4, String ipv6) {}
}
