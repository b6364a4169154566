package dev.sancho.maven.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import java.util.ArrayList;
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
        if (spec.ports() != null && !spec.ports().isEmpty()) {
            List<ExposedPort> exposed = new ArrayList<>();
            List<PortBinding> bindings = new ArrayList<>();
            for (ContainerSpec.PortBinding p : spec.ports()) {
                ExposedPort port = new ExposedPort(p.containerPort(),
                        InternetProtocol.parse(p.protocol() == null ? "tcp" : p.protocol()));
                exposed.add(port);
                String hostPort = p.hostPort() == null || p.hostPort().isEmpty() ? null : p.hostPort();
                bindings.add(new PortBinding(new Ports.Binding(p.hostIp(), hostPort), port));
            }
            cmd.withExposedPorts(exposed);
            host.withPortBindings(bindings);
        }
        if (spec.mounts() != null && !spec.mounts().isEmpty()) {
            List<Mount> mounts = new ArrayList<>();
            for (ContainerSpec.Mount m : spec.mounts()) {
                mounts.add(new Mount()
                        .withType(MountType.valueOf(m.type().toUpperCase(Locale.ROOT)))
                        .withSource(m.source())
                        .withTarget(m.target())
                        .withReadOnly(m.readOnly()));
            }
            host.withMounts(mounts);
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
        return cmd.withHostConfig(host);
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
