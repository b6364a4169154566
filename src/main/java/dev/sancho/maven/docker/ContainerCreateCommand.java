package dev.sancho.maven.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.BlkioRateDevice;
import com.github.dockerjava.api.model.BlkioWeightDevice;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.Link;
import com.github.dockerjava.api.model.VolumesFrom;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Ulimit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Spells a {@link ContainerSpec} as docker-java's create command and its {@link HostConfig}, without sending it. */
final class ContainerCreateCommand {
    private ContainerCreateCommand() {}

    /**
     * Fills {@code cmd} (made for {@code spec.image()}) from {@code spec}.
     *
     * @param primaryNetwork the network the container is created in, with its aliases there; null = engine default.
     *                       The create API takes one network only: the caller joins the others before the first start.
     */
    static CreateContainerCmd apply(CreateContainerCmd cmd, ContainerSpec spec,
            Map.Entry<String, List<String>> primaryNetwork) {
        return apply(cmd, spec, primaryNetwork, true);
    }

    /**
     * @param startIntervalSupported the engine's API is 1.44 or newer; an older one would reject
     *                               {@code healthcheck.start_interval}, which is then left out (as Compose v2 does)
     */
    static CreateContainerCmd apply(CreateContainerCmd cmd, ContainerSpec spec,
            Map.Entry<String, List<String>> primaryNetwork, boolean startIntervalSupported) {
        HostConfig host = HostConfig.newHostConfig();
        cmd.withName(spec.name());
        if (spec.entrypoint() != null) {
            cmd.withEntrypoint(spec.entrypoint());
        }
        if (spec.command() != null) {
            cmd.withCmd(spec.command());
        }
        if (spec.environment() != null && !spec.environment().isEmpty()) {
            List<String> env = new ArrayList<>();
            // A key without value (absent everywhere) stays unset, as with Compose.
            spec.environment().forEach((k, v) -> {
                if (v != null) {
                    env.add(k + "=" + v);
                }
            });
            cmd.withEnv(env);
        }
        if (spec.labels() != null) {
            cmd.withLabels(spec.labels());
        }
        LinkedHashSet<ExposedPort> exposed = new LinkedHashSet<>();
        if (spec.ports() != null && !spec.ports().isEmpty()) {
            List<PortBinding> bindings = new ArrayList<>();
            for (ContainerSpec.PortBinding p : spec.ports()) {
                ExposedPort port = new ExposedPort(p.containerPort(),
                        InternetProtocol.parse(p.protocol() == null ? "tcp" : p.protocol()));
                exposed.add(port);
                String hostPort = p.hostPort() == null || p.hostPort().isEmpty() ? null : p.hostPort();
                bindings.add(new PortBinding(new Ports.Binding(p.hostIp(), hostPort), port));
            }
            host.withPortBindings(bindings);
        }
        for (ContainerOptions.ExposedPort p : spec.options().exposedPorts()) {
            exposed.add(new ExposedPort(p.port(), InternetProtocol.parse(p.protocol())));
        }
        if (!exposed.isEmpty()) {
            cmd.withExposedPorts(new ArrayList<>(exposed));
        }
        if (spec.mounts() != null && !spec.mounts().isEmpty()) {
            MountSpelling.apply(host, spec.mounts());
        }
        if (spec.restartPolicy() != null && !spec.restartPolicy().isBlank()) {
            host.withRestartPolicy(restartPolicy(spec.restartPolicy()));
        }
        if (spec.extraHosts() != null && !spec.extraHosts().isEmpty()) {
            host.withExtraHosts(spec.extraHosts().toArray(String[]::new));
        }
        if (primaryNetwork != null) {
            host.withNetworkMode(primaryNetwork.getKey());
            if (primaryNetwork.getValue() != null && !primaryNetwork.getValue().isEmpty()) {
                cmd.withAliases(primaryNetwork.getValue());
            }
            ContainerOptions.Address address = spec.options().addresses().get(primaryNetwork.getKey());
            if (address != null && address.ipv4() != null) {
                cmd.withIpv4Address(address.ipv4());
            }
            if (address != null && address.ipv6() != null) {
                cmd.withIpv6Address(address.ipv6());
            }
        } else if (spec.options().networkMode() != null) {
            host.withNetworkMode(spec.options().networkMode());
        }
        if (spec.healthcheck() != null) {
            ContainerSpec.HealthSpec h = spec.healthcheck();
            HealthCheck hc = new HealthCheck().withTest(h.test());
            if (h.interval() != null) {
                hc.withInterval(h.interval().toNanos());
            }
            if (h.timeout() != null) {
                hc.withTimeout(h.timeout().toNanos());
            }
            if (h.retries() != null) {
                hc.withRetries(h.retries());
            }
            if (h.startPeriod() != null) {
                hc.withStartPeriod(h.startPeriod().toNanos());
            }
            if (spec.options().healthStartInterval() != null && startIntervalSupported) {
                hc.withStartInterval(spec.options().healthStartInterval().toNanos());
            }
            cmd.withHealthcheck(hc);
        }
        if (spec.user() != null) {
            cmd.withUser(spec.user());
        }
        if (spec.workingDir() != null) {
            cmd.withWorkingDir(spec.workingDir());
        }
        if (spec.hostname() != null) {
            cmd.withHostName(spec.hostname());
        }
        if (spec.stopSignal() != null) {
            cmd.withStopSignal(spec.stopSignal());
        }
        if (spec.stopTimeout() != null) {
            cmd.withStopTimeout((int) spec.stopTimeout().toSeconds());
        }
        options(cmd, host, spec.options());
        return cmd.withHostConfig(host);
    }

    /** Each setting that is set; an unset one is left out so the engine applies its default, as with Compose. */
    private static void options(CreateContainerCmd cmd, HostConfig host, ContainerOptions o) {
        host.withMemory(o.memory()).withMemorySwap(o.memorySwap()).withMemoryReservation(o.memoryReservation())
                .withMemorySwappiness(o.memorySwappiness()).withNanoCPUs(o.nanoCpus()).withCpuShares(o.cpuShares())
                .withCpuQuota(o.cpuQuota()).withCpuPeriod(o.cpuPeriod()).withCpusetCpus(o.cpusetCpus())
                .withPidsLimit(o.pidsLimit()).withOomKillDisable(o.oomKillDisable()).withOomScoreAdj(o.oomScoreAdj())
                .withPrivileged(o.privileged()).withReadonlyRootfs(o.readonlyRootfs()).withShmSize(o.shmSize())
                .withInit(o.init()).withPidMode(o.pidMode()).withIpcMode(o.ipcMode())
                .withCgroupParent(o.cgroupParent()).withUsernsMode(o.usernsMode()).withRuntime(o.runtime());
        if (!o.ulimits().isEmpty()) {
            host.withUlimits(o.ulimits().stream().map(u -> new Ulimit(u.name(), u.soft(), u.hard())).toList());
        }
        if (!o.capAdd().isEmpty()) {
            host.withCapAdd(capabilities(o.capAdd()).toArray(Capability[]::new));
        }
        if (!o.capDrop().isEmpty()) {
            host.withCapDrop(capabilities(o.capDrop()).toArray(Capability[]::new));
        }
        if (!o.securityOpt().isEmpty()) {
            host.withSecurityOpts(o.securityOpt());
        }
        if (!o.tmpfs().isEmpty()) {
            host.withTmpFs(o.tmpfs());
        }
        if (!o.sysctls().isEmpty()) {
            host.withSysctls(o.sysctls());
        }
        if (!o.devices().isEmpty()) {
            host.withDevices(o.devices().stream()
                    .map(d -> new Device(d.cgroupPermissions(), d.pathInContainer(), d.pathOnHost())).toList());
        }
        if (!o.dns().isEmpty()) {
            host.withDns(o.dns());
        }
        if (!o.dnsSearch().isEmpty()) {
            host.withDnsSearch(o.dnsSearch());
        }
        if (!o.dnsOptions().isEmpty()) {
            host.withDnsOptions(o.dnsOptions());
        }
        if (!o.groupAdd().isEmpty()) {
            host.withGroupAdd(o.groupAdd());
        }
        if (!o.storageOpt().isEmpty()) {
            host.withStorageOpt(o.storageOpt());
        }
        if (o.utsMode() != null) {
            host.withUtSMode(o.utsMode());
        }
        if (o.cgroupnsMode() != null) {
            host.withCgroupnsMode(o.cgroupnsMode());
        }
        if (!o.deviceCgroupRules().isEmpty()) {
            host.withDeviceCgroupRules(o.deviceCgroupRules());
        }
        if (o.macAddress() != null) {
            cmd.withMacAddress(o.macAddress()); // container-wide, as Compose v2 sends it to an engine below API 1.44
        }
        if (!o.links().isEmpty()) {
            host.withLinks(o.links().stream().map(l -> {
                int colon = l.indexOf(':');
                return new Link(l.substring(0, colon), l.substring(colon + 1));
            }).toList());
        }
        if (!o.volumesFrom().isEmpty()) {
            host.withVolumesFrom(o.volumesFrom().stream().map(VolumesFrom::parse).toList());
        }
        if (o.blkio() != null) {
            ContainerOptions.Blkio b = o.blkio();
            host.withBlkioWeight(b.weight());
            if (!b.weightDevice().isEmpty()) {
                host.withBlkioWeightDevice(b.weightDevice().stream()
                        .map(w -> new BlkioWeightDevice().withPath(w.path()).withWeight((int) w.value())).toList());
            }
            if (!b.readBps().isEmpty()) {
                host.withBlkioDeviceReadBps(rates(b.readBps()));
            }
            if (!b.writeBps().isEmpty()) {
                host.withBlkioDeviceWriteBps(rates(b.writeBps()));
            }
            if (!b.readIops().isEmpty()) {
                host.withBlkioDeviceReadIOps(rates(b.readIops()));
            }
            if (!b.writeIops().isEmpty()) {
                host.withBlkioDeviceWriteIOps(rates(b.writeIops()));
            }
        }
        if (!o.deviceRequests().isEmpty()) {
            host.withDeviceRequests(o.deviceRequests().stream().map(d -> new DeviceRequest()
                    .withDriver(d.driver() == null ? "" : d.driver())
                    .withCount(d.count() == null ? 0 : d.count())
                    .withDeviceIds(d.deviceIds())
                    .withCapabilities(List.of(d.capabilities()))
                    .withOptions(d.options())).toList());
        }
        if (o.logDriver() != null || !o.logOptions().isEmpty()) {
            host.withLogConfig(new LogConfig(logDriver(o.logDriver()), o.logOptions().isEmpty() ? null : o.logOptions()));
        }
        if (o.domainname() != null) {
            cmd.withDomainName(o.domainname());
        }
        if (o.tty() != null) {
            cmd.withTty(o.tty());
        }
        if (o.openStdin() != null) {
            cmd.withStdinOpen(o.openStdin());
        }
        if (o.stdinOnce() != null) {
            cmd.withStdInOnce(o.stdinOnce()).withAttachStdin(o.stdinOnce());
        }
        if (o.platform() != null) {
            cmd.withPlatform(o.platform());
        }
    }

    private static List<BlkioRateDevice> rates(List<ContainerOptions.Rate> rates) {
        return rates.stream().map(r -> new BlkioRateDevice().withPath(r.path()).withRate(r.value())).toList();
    }

    /** Docker's names, with or without the {@code CAP_} prefix. */
    static List<Capability> capabilities(List<String> names) {
        List<Capability> caps = new ArrayList<>();
        for (String name : names) {
            String n = name.strip().toUpperCase(Locale.ROOT);
            try {
                caps.add(Capability.valueOf(n.startsWith("CAP_") ? n.substring(4) : n));
            } catch (IllegalArgumentException e) {
                throw new DockerOperationException("unknown capability '" + name + "' (e.g. NET_ADMIN, SYS_PTRACE, ALL)",
                        e);
            }
        }
        return caps;
    }

    /**
     * Null without a driver: the engine's own default driver then takes the options, as with Compose (docker-java's
     * {@code DEFAULT} would name json-file). An unknown driver name is refused.
     */
    static LogConfig.LoggingType logDriver(String driver) {
        if (driver == null) {
            return null;
        }
        LogConfig.LoggingType type = LogConfig.LoggingType.fromValue(driver);
        if (type == null) {
            throw new DockerOperationException("logging driver '" + driver + "' is not one sancho can set"
                    + " (json-file, local, syslog, journald, gelf, fluentd, awslogs, splunk, gcplogs, loki, none)", null);
        }
        return type;
    }

    /**
     * The policy for the engine's update endpoint. docker-java's {@code noRestart()} has an empty name, which create
     * reads as "no" but update reads as "leave the policy as it is": a kept deploy would keep {@code always} and come
     * back after a reboot. So {@code no} is sent spelled out.
     */
    static RestartPolicy restartPolicyForUpdate(String value) {
        if (value.trim().equals("no")) {
            return new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
                    java.util.Map.of("Name", "no", "MaximumRetryCount", 0), RestartPolicy.class);
        }
        return restartPolicy(value);
    }

    /** Compose's restart values; {@code no} is spelled differently by docker-java. */
    static RestartPolicy restartPolicy(String value) {
        String v = value.trim();
        if (v.equals("no")) {
            return RestartPolicy.noRestart();
        }
        try {
            return RestartPolicy.parse(v);
        } catch (IllegalArgumentException e) {
            throw new DockerOperationException("invalid restart policy '" + value
                    + "': use no, always, unless-stopped or on-failure[:N]", e);
        }
    }
}
