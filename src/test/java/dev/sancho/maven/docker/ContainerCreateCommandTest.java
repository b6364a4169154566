package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
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
}
