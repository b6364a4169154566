package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerCreateCommandTest {

    private static CreateContainerCmd apply(ContainerSpec spec, Map.Entry<String, List<String>> primary) {
        CreateContainerCmd.Exec notSent = c -> {
            throw new AssertionError("mapping only: nothing is sent");
        };
        return ContainerCreateCommand.apply(new CreateContainerCmdImpl(notSent, null, spec.image()), spec, primary);
    }

    @Test
    void everyFieldOfTheSpecReachesTheCommand() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "1");
        env.put("UNSET", null);
        env.put("B", "x=y");
        ContainerSpec spec = new ContainerSpec("sancho_app_d1", "app:1", List.of("/entry"), List.of("run", "--fast"),
                env, Map.of("sancho.project", "p"),
                List.of(new ContainerSpec.PortBinding("127.0.0.1", "8080", 80, null),
                        new ContainerSpec.PortBinding(null, "", 53, "udp")),
                List.of(new ContainerSpec.Mount("volume", "data", "/data", false),
                        new ContainerSpec.Mount("bind", "/etc/app.conf", "/app.conf", true)),
                Map.of("backend", List.of("app")), "on-failure:3",
                new ContainerSpec.HealthSpec(List.of("CMD", "true"), Duration.ofSeconds(2), Duration.ofMillis(500), 4,
                        Duration.ofSeconds(10)),
                "1000:1000", "/work", "app-host", List.of("db:10.0.0.2"), "SIGINT", Duration.ofSeconds(20));

        CreateContainerCmd cmd = apply(spec, Map.entry("backend", List.of("app", "api")));

        assertEquals("sancho_app_d1", cmd.getName());
        assertEquals("app:1", cmd.getImage());
        assertArrayEquals(new String[] {"/entry"}, cmd.getEntrypoint());
        assertArrayEquals(new String[] {"run", "--fast"}, cmd.getCmd());
        assertArrayEquals(new String[] {"A=1", "B=x=y"}, cmd.getEnv(), "a key without value stays unset");
        assertEquals(Map.of("sancho.project", "p"), cmd.getLabels());
        assertArrayEquals(new ExposedPort[] {ExposedPort.tcp(80), ExposedPort.udp(53)}, cmd.getExposedPorts());
        assertEquals(List.of("app", "api"), cmd.getAliases());
        assertEquals("1000:1000", cmd.getUser());
        assertEquals("/work", cmd.getWorkingDir());
        assertEquals("app-host", cmd.getHostName());
        assertEquals("SIGINT", cmd.getStopSignal());
        assertEquals(20, cmd.getStopTimeout());
        assertEquals(List.of("CMD", "true"), cmd.getHealthcheck().getTest());
        assertEquals(2_000_000_000L, cmd.getHealthcheck().getInterval());
        assertEquals(500_000_000L, cmd.getHealthcheck().getTimeout());
        assertEquals(4, cmd.getHealthcheck().getRetries());
        assertEquals(10_000_000_000L, cmd.getHealthcheck().getStartPeriod());

        HostConfig host = cmd.getHostConfig();
        Map<ExposedPort, Ports.Binding[]> bindings = host.getPortBindings().getBindings();
        assertArrayEquals(new Ports.Binding[] {new Ports.Binding("127.0.0.1", "8080")}, bindings.get(ExposedPort.tcp(80)));
        assertArrayEquals(new Ports.Binding[] {new Ports.Binding(null, null)}, bindings.get(ExposedPort.udp(53)),
                "an empty host port lets the engine pick");
        assertEquals(List.of(
                new Mount().withType(MountType.VOLUME).withSource("data").withTarget("/data").withReadOnly(false),
                new Mount().withType(MountType.BIND).withSource("/etc/app.conf").withTarget("/app.conf")
                        .withReadOnly(true)), host.getMounts());
        assertEquals(RestartPolicy.onFailureRestart(3), host.getRestartPolicy());
        assertArrayEquals(new String[] {"db:10.0.0.2"}, host.getExtraHosts());
        assertEquals("backend", host.getNetworkMode());
    }

    @Test
    void anEmptySpecSetsNothingButNameAndImage() {
        ContainerSpec spec = new ContainerSpec("x", "img", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
        CreateContainerCmd cmd = apply(spec, null);
        assertEquals("x", cmd.getName());
        assertNull(cmd.getEntrypoint());
        assertNull(cmd.getCmd());
        assertNull(cmd.getEnv());
        assertNull(cmd.getAliases());
        assertNull(cmd.getHealthcheck());
        assertNull(cmd.getStopTimeout());
        assertNull(cmd.getHostConfig().getNetworkMode());
        assertNull(cmd.getHostConfig().getMounts());
        assertNull(cmd.getHostConfig().getRestartPolicy());
    }

    @Test
    void restartPoliciesAreComposesValues() {
        assertEquals(RestartPolicy.noRestart(), ContainerCreateCommand.restartPolicy(" no "));
        assertEquals(RestartPolicy.alwaysRestart(), ContainerCreateCommand.restartPolicy("always"));
        assertEquals(RestartPolicy.unlessStoppedRestart(), ContainerCreateCommand.restartPolicy("unless-stopped"));
        DockerOperationException e = assertThrows(DockerOperationException.class,
                () -> ContainerCreateCommand.restartPolicy("sometimes"));
        assertEquals("invalid restart policy 'sometimes': use no, always, unless-stopped or on-failure[:N]",
                e.getMessage());
    }

    private static ContainerSpec withOptions(List<ContainerSpec.PortBinding> ports, ContainerOptions options) {
        return new ContainerSpec("x", "img", null, null, null, null, ports, null, null, null, null, null, null, null,
                null, null, null, options);
    }

    @Test
    void everyRuntimeOptionReachesTheHostConfigOrTheCommand() {
        Map<String, String> tmpfs = new LinkedHashMap<>();
        tmpfs.put("/run", "");
        tmpfs.put("/tmp", "size=64m");
        ContainerOptions o = new ContainerOptions(512L << 20, 1L << 30, 256L << 20, 10L, 500_000_000L, 512, 50000L,
                100000L, "0", 100L, true, -500, List.of(new ContainerOptions.Ulimit("nofile", 20000, 40000)),
                List.of("NET_ADMIN", "cap_sys_ptrace"), List.of("MKNOD"), List.of("no-new-privileges:true"), true, true,
                tmpfs, 64L << 20, true, Map.of("net.core.somaxconn", "1024"),
                List.of(new ContainerOptions.Device("/dev/null", "/dev/nul2", "r")), List.of("1.1.1.1"),
                List.of("example.com"), List.of("use-vc"), "example.com",
                List.of(new ContainerOptions.ExposedPort(8081, "tcp"), new ContainerOptions.ExposedPort(80, "tcp"),
                        new ContainerOptions.ExposedPort(53, "udp")),
                "host", "shareable", List.of("audio"), true, true, "local", Map.of("max-size", "10m"), "/sancho",
                "host", "linux/amd64", "runc", Map.of("size", "1G"), null, null, null, null, null, null, null, "host",
                "private", List.of("c 1:3 mr"), "02:42:ac:11:00:02", null);

        CreateContainerCmd cmd = apply(withOptions(List.of(new ContainerSpec.PortBinding(null, "8080", 80, "tcp")), o),
                null);

        HostConfig h = cmd.getHostConfig();
        assertEquals(512L << 20, h.getMemory());
        assertEquals(1L << 30, h.getMemorySwap());
        assertEquals(256L << 20, h.getMemoryReservation());
        assertEquals(10L, h.getMemorySwappiness());
        assertEquals(500_000_000L, h.getNanoCPUs());
        assertEquals(512, h.getCpuShares());
        assertEquals(50000L, h.getCpuQuota());
        assertEquals(100000L, h.getCpuPeriod());
        assertEquals("0", h.getCpusetCpus());
        assertEquals(100L, h.getPidsLimit());
        assertEquals(true, h.getOomKillDisable());
        assertEquals(-500, h.getOomScoreAdj());
        assertArrayEquals(new Ulimit[] {new Ulimit("nofile", 20000L, 40000L)}, h.getUlimits());
        assertArrayEquals(new Capability[] {Capability.NET_ADMIN, Capability.SYS_PTRACE}, h.getCapAdd());
        assertArrayEquals(new Capability[] {Capability.MKNOD}, h.getCapDrop());
        assertEquals(List.of("no-new-privileges:true"), h.getSecurityOpts());
        assertEquals(true, h.getPrivileged());
        assertEquals(true, h.getReadonlyRootfs());
        assertEquals(tmpfs, h.getTmpFs());
        assertEquals(64L << 20, h.getShmSize());
        assertEquals(true, h.getInit());
        assertEquals(Map.of("net.core.somaxconn", "1024"), h.getSysctls());
        assertArrayEquals(new Device[] {new Device("r", "/dev/nul2", "/dev/null")}, h.getDevices());
        assertArrayEquals(new String[] {"1.1.1.1"}, h.getDns());
        assertArrayEquals(new String[] {"example.com"}, h.getDnsSearch());
        assertEquals(List.of("use-vc"), h.getDnsOptions());
        assertEquals("host", h.getPidMode());
        assertEquals("shareable", h.getIpcMode());
        assertEquals(List.of("audio"), h.getGroupAdd());
        assertEquals(new LogConfig(LogConfig.LoggingType.LOCAL, Map.of("max-size", "10m")), h.getLogConfig());
        assertEquals("/sancho", h.getCgroupParent());
        assertEquals("host", h.getUsernsMode());
        assertEquals("runc", h.getRuntime());
        assertEquals(Map.of("size", "1G"), h.getStorageOpt());
        assertEquals("example.com", cmd.getDomainName());
        assertEquals(true, cmd.isTty());
        assertEquals(true, cmd.isStdinOpen());
        assertEquals("linux/amd64", cmd.getPlatform());
        assertArrayEquals(new ExposedPort[] {ExposedPort.tcp(80), ExposedPort.tcp(8081), ExposedPort.udp(53)},
                cmd.getExposedPorts(), "published ports first, each port once");
    }

    @Test
    void unsetOptionsAreLeftToTheEngine() {
        CreateContainerCmd cmd = apply(withOptions(null, ContainerOptions.NONE), null);
        HostConfig h = cmd.getHostConfig();
        assertNull(h.getMemory());
        assertNull(h.getNanoCPUs());
        assertNull(h.getPrivileged());
        assertNull(h.getCapAdd());
        assertNull(h.getUlimits());
        assertNull(h.getTmpFs());
        assertEquals(new LogConfig(), h.getLogConfig(), "docker-java's own empty one");
        assertNull(h.getInit());
        assertNull(cmd.isTty());
        assertNull(cmd.getPlatform());
        assertEquals(0, cmd.getExposedPorts().length);
    }

    private static ContainerOptions networking(String networkMode, Map<String, ContainerOptions.Address> addresses,
            java.time.Duration startInterval) {
        return new ContainerOptions(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, networkMode,
                List.of("shop_db:db", "legacy:legacy"), List.of("shop_db:rw", "legacy_data:ro"),
                new ContainerOptions.Blkio(300, List.of(new ContainerOptions.Rate("/dev/sda", 400)),
                        List.of(new ContainerOptions.Rate("/dev/sda", 1048576)), List.of(),
                        List.of(), List.of(new ContainerOptions.Rate("/dev/sda", 30))),
                List.of(new ContainerOptions.DeviceRequest(null, -1, List.of(), List.of("gpu"), Map.of())),
                addresses, startInterval, null, null, null, null, null);
    }

    @Test
    void networkModeLinksVolumesFromBlkioAndDeviceRequestsReachTheHostConfig() {
        CreateContainerCmd cmd = apply(withOptions(null, networking("container:shop_db", Map.of(), null)), null);
        HostConfig h = cmd.getHostConfig();
        assertEquals("container:shop_db", h.getNetworkMode());
        assertEquals("[shop_db:db, legacy:legacy]", List.of(h.getLinks()).toString());
        assertEquals(2, h.getVolumesFrom().length);
        assertEquals("shop_db:rw", h.getVolumesFrom()[0].toString());
        assertEquals("legacy_data:ro", h.getVolumesFrom()[1].toString());
        assertEquals(300, h.getBlkioWeight());
        assertEquals("/dev/sda", h.getBlkioWeightDevice().get(0).getPath());
        assertEquals(400, h.getBlkioWeightDevice().get(0).getWeight());
        assertEquals(1048576L, h.getBlkioDeviceReadBps().get(0).getRate());
        assertNull(h.getBlkioDeviceWriteBps(), "an empty list is not sent");
        assertEquals(30L, h.getBlkioDeviceWriteIOps().get(0).getRate());
        assertEquals(-1, h.getDeviceRequests().get(0).getCount());
        assertEquals(List.of(List.of("gpu")), h.getDeviceRequests().get(0).getCapabilities());
        assertEquals("", h.getDeviceRequests().get(0).getDriver());
    }

    @Test
    void aFixedAddressIsSentForThePrimaryNetworkAndStartIntervalOnlyToANewEnoughEngine() {
        ContainerOptions o = networking(null, Map.of("shop_back", new ContainerOptions.Address("172.28.5.10",
                "2001:db8::10")), Duration.ofSeconds(2));
        ContainerSpec spec = new ContainerSpec("x", "img", null, null, null, null, null, null,
                Map.of("shop_back", List.of("db")), null, new ContainerSpec.HealthSpec(List.of("CMD", "true"), null,
                null, null, null), null, null, null, null, null, null, o);
        CreateContainerCmd cmd = apply(spec, Map.entry("shop_back", List.of("db")));
        assertEquals("shop_back", cmd.getHostConfig().getNetworkMode());
        assertEquals("172.28.5.10", cmd.getIpv4Address());
        assertEquals("2001:db8::10", cmd.getIpv6Address());
        assertEquals(2_000_000_000L, cmd.getHealthcheck().getStartInterval());
        CreateContainerCmd old = ContainerCreateCommand.apply(new CreateContainerCmdImpl(c -> null, null, "img"), spec,
                Map.entry("shop_back", List.of("db")), false);
        assertNull(old.getHealthcheck().getStartInterval(), "API 1.41 would refuse it");
    }

    @Test
    void utsCgroupDeviceRulesAndMacAddressReachTheCommand() {
        ContainerOptions o = new ContainerOptions(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, "host", "private", List.of("c 1:3 mr"), "02:42:ac:11:00:02", null);
        CreateContainerCmd cmd = apply(withOptions(null, o), null);
        assertEquals("host", cmd.getHostConfig().getUtSMode());
        assertEquals("private", cmd.getHostConfig().getCgroupnsMode());
        assertEquals(List.of("c 1:3 mr"), cmd.getHostConfig().getDeviceCgroupRules());
        assertEquals("02:42:ac:11:00:02", cmd.getMacAddress());
    }

    @Test
    void apiVersionsCompareByNumber() {
        assertTrue(DockerJavaEngine.apiAtLeast("1.44", 1, 44));
        assertTrue(DockerJavaEngine.apiAtLeast("1.45", 1, 44));
        assertTrue(!DockerJavaEngine.apiAtLeast("1.41", 1, 44));
        assertTrue(!DockerJavaEngine.apiAtLeast("1.9", 1, 44));
    }

    @Test
    void logOptionsWithoutADriverGoToTheEnginesDefaultDriver() {
        ContainerOptions o = new ContainerOptions(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, Map.of("tag", "shop"), null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
        LogConfig log = apply(withOptions(null, o), null).getHostConfig().getLogConfig();
        assertNull(log.getType(), "not docker-java's DEFAULT, which names json-file");
        assertEquals(Map.of("tag", "shop"), log.getConfig());
        DockerOperationException e = assertThrows(DockerOperationException.class,
                () -> ContainerCreateCommand.logDriver("my-plugin"));
        assertTrue(e.getMessage().startsWith("logging driver 'my-plugin' is not one sancho can set"), e.getMessage());
    }
}
