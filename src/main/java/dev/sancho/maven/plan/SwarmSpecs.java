package dev.sancho.maven.plan;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.ServiceOptions;
import dev.sancho.maven.compose.SwarmDeploy;
import dev.sancho.maven.docker.SwarmServiceSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One compose service as a swarm service, for {@code <target>swarm</target>}. Application services get a stable
 * name, {@code <project>_<service>} (as {@code docker stack deploy} names them), updated per deploy; infrastructure
 * services keep their fixed (container) name. Pure: the node an infrastructure service is pinned to is given.
 */
public final class SwarmSpecs {
    /** Label with one short digest per field of an infrastructure service's spec: a drift report names fields. */
    public static final String SPEC_FIELDS = Labels.CONFIG_FIELDS;

    private SwarmSpecs() {}

    /** The swarm service name of an application service. */
    public static String appServiceName(String project, String service) {
        return project + "_" + service;
    }

    public static String serviceName(Stack stack, StackService s) {
        return s.infra() ? s.containerName() : appServiceName(stack.project(), s.name());
    }

    /**
     * @param constraints for infrastructure: the pinned node's constraints (the file's, else {@code node.id==...})
     */
    public static SwarmServiceSpec of(Stack stack, StackService s, List<String> constraints) {
        return of(stack, s, constraints, Digests.unsaved());
    }

    /** @param digests the project's digest key on the swarm (names of created secrets and configs, spec digests) */
    public static SwarmServiceSpec of(Stack stack, StackService s, List<String> constraints, Digests digests) {
        Service svc = s.service();
        SwarmDeploy d = stack.compose().swarmDeploy(s.name());
        Map<String, String> labels = new LinkedHashMap<>(svc.labels());
        labels.put(Labels.PROJECT, stack.project());
        labels.put(Labels.SERVICE, s.name());
        labels.put(Labels.ROLE, s.role().label());
        if (!s.infra()) {
            labels.put(Labels.DEPLOY_ID, stack.deployId());
        }
        Map<String, String> containerLabels = new LinkedHashMap<>(labels);
        // deploy.labels label the service only (Compose: not its containers); sancho's own label names stay its own
        Map<String, String> serviceLabels = new LinkedHashMap<>(labels);
        if (digests.isKeyed()) { // on the service only: its containers' labels are part of the digests
            serviceLabels.put(Labels.DIGEST_KEY_ID, digests.id());
        }
        d.labels().forEach((k, v) -> {
            if (!k.startsWith("sancho.")) {
                serviceLabels.put(k, v);
            }
        });
        List<String> env = new ArrayList<>();
        new TreeMap<>(svc.environment()).forEach((k, v) -> {
            if (v != null) {
                env.add(k + "=" + v);
            }
        });
        List<SwarmServiceSpec.Mount> mounts = new ArrayList<>();
        for (Service.Mount m : svc.volumes()) {
            String source = m.source();
            if ("volume".equals(m.type()) && source != null) {
                source = stack.volumeNames().getOrDefault(source, source);
            }
            mounts.add(new SwarmServiceSpec.Mount(m.type(), source, m.target(), m.readOnly()));
        }
        List<SwarmServiceSpec.Network> networks = new ArrayList<>();
        Map<String, Service.ServiceNetwork> declared = svc.networks().isEmpty()
                ? Map.of("default", new Service.ServiceNetwork(List.of())) : svc.networks();
        new TreeMap<>(declared).forEach((key, n) -> {
            List<String> aliases = new ArrayList<>();
            aliases.add(s.name()); // other services reach it by its compose name, as on one engine
            n.aliases().stream().filter(a -> !aliases.contains(a)).forEach(aliases::add);
            networks.add(new SwarmServiceSpec.Network(stack.networkNames().getOrDefault(key, key), aliases));
        });
        String endpoint = d.endpointMode() == null ? "vip" : d.endpointMode();
        List<SwarmServiceSpec.Port> ports = new ArrayList<>();
        String portsAt = stack.compose().file(svc, "ports") + ":" + svc.line("ports") + ": service " + s.name();
        for (int i = 0; i < svc.ports().size(); i++) {
            Service.PortMapping p = svc.ports().get(i);
            String mode = i < d.portModes().size() && d.portModes().get(i) != null ? d.portModes().get(i) : "ingress";
            if (p.hostPort() == null || p.hostPort().contains("-") || p.containerPort().contains("-")) {
                throw new ConfigException(portsAt + ": port " + p.containerPort() + " needs one published port (no"
                        + " range) on a swarm");
            }
            if (p.hostIp() != null && !Set.of("", "0.0.0.0", "::").contains(p.hostIp())) {
                throw new ConfigException(portsAt + ": port " + p.hostIp() + ":" + p.hostPort() + ":"
                        + p.containerPort() + ": a swarm publishes on every address of the node, it cannot bind "
                        + p.hostIp() + " (leave the address out, or keep this service on one engine)");
            }
            if ("dnsrr".equals(endpoint) && "ingress".equals(mode)) {
                throw new ConfigException(portsAt + ": port " + p.hostPort() + ":" + p.containerPort() + " is published"
                        + " through the ingress mesh, which a dnsrr service cannot use: write it in long syntax with"
                        + " mode: host");
            }
            ports.add(new SwarmServiceSpec.Port(Integer.parseInt(p.containerPort()), Integer.parseInt(p.hostPort()),
                    p.protocol() == null ? "tcp" : p.protocol(), mode));
        }
        SwarmServiceSpec.Health health = health(svc.healthcheck());
        Duration monitor = health == null || health.interval() == null ? Duration.ofSeconds(5) : health.interval();
        BigDecimal cpus = svc.options().deploy().limitCpus() != null ? svc.options().deploy().limitCpus()
                : svc.options().cpus();
        Long memory = svc.options().deploy().limitMemory() != null ? svc.options().deploy().limitMemory()
                : svc.options().memLimit();
        int replicas = s.infra() ? 1 : d.replicas() == null ? 1 : d.replicas();
        SwarmServiceSpec.RestartPolicy restart = d.restart() == null ? null : new SwarmServiceSpec.RestartPolicy(
                d.restart().condition(), d.restart().delay(), d.restart().maxAttempts(), d.restart().window());
        SwarmServiceSpec spec = new SwarmServiceSpec(serviceName(stack, s), serviceLabels, svc.image(), svc.entrypoint(),
                svc.command(), env, containerLabels, mounts, networks, health, svc.user(), svc.workingDir(),
                svc.stopSignal(), svc.stopGracePeriod(), replicas,
                s.infra() ? constraints : d.constraints(),
                cpus == null ? null : cpus.movePointRight(9).longValue(), memory,
                svc.options().deploy().reservationMemory(), endpoint, ports,
                policy(d.update(), monitor, "rollback"), policy(d.rollback(), monitor, "pause"), restart,
                files(stack, s, digests));
        if (s.infra()) {
            Map<String, String> withDigests = new LinkedHashMap<>(serviceLabels);
            withDigests.put(SPEC_FIELDS, fieldDigests(spec, digests));
            spec = new SwarmServiceSpec(spec.name(), withDigests, spec.image(), spec.command(), spec.args(),
                    spec.env(), spec.containerLabels(), spec.mounts(), spec.networks(), spec.health(), spec.user(),
                    spec.workingDir(), spec.stopSignal(), spec.stopGracePeriod(), spec.replicas(), spec.constraints(),
                    spec.nanoCpus(), spec.memoryBytes(), spec.memoryReservation(), spec.endpointMode(), spec.ports(),
                    spec.update(), spec.rollback(), spec.restart(), spec.files());
        }
        return spec;
    }

    public static List<SwarmServiceSpec.FileRef> files(Stack stack, StackService s) {
        return files(stack, s, Digests.unsaved());
    }

    /**
     * The service's {@code secrets:} and {@code configs:} as swarm objects. A created one is named by its content,
     * {@code <project>_<key>_<first 12 hex of its keyed digest>} ({@link Digests}: no unsalted digest of a secret
     * in a name), as swarm objects cannot change: a new value is a new object the service rolls over to; an
     * external one by its name. {@link SwarmServiceSpec.FileRef#sha256()} holds the full keyed digest. A
     * {@code file:} source is read here, when the plan is made. Defaults as {@code docker stack deploy}: owner
     * 0:0, mode 0444.
     */
    public static List<SwarmServiceSpec.FileRef> files(Stack stack, StackService s, Digests digests) {
        List<SwarmServiceSpec.FileRef> out = new ArrayList<>();
        Service svc = s.service();
        for (boolean secret : new boolean[] {true, false}) {
            for (ServiceOptions.FileMount f : secret ? svc.options().secrets() : svc.options().configs()) {
                String uid = f.uid() == null ? "0" : String.valueOf(f.uid());
                String gid = f.gid() == null ? "0" : String.valueOf(f.gid());
                int mode = f.mode() == null ? 0444 : f.mode();
                if (f.external() != null) {
                    out.add(new SwarmServiceSpec.FileRef(secret, f.external(), null, null, f.target(), uid, gid, mode));
                    continue;
                }
                byte[] data = f.content() != null ? f.content().getBytes(StandardCharsets.UTF_8) : read(stack, svc, f,
                        secret);
                String sha = digests.hex(data, 32);
                out.add(new SwarmServiceSpec.FileRef(secret, stack.project() + "_" + f.name() + "_"
                        + sha.substring(0, 12), data, sha, f.target(), uid, gid, mode));
            }
        }
        return out;
    }

    private static byte[] read(Stack stack, Service svc, ServiceOptions.FileMount f, boolean secret) {
        try {
            return Files.readAllBytes(Path.of(f.file()));
        } catch (IOException e) {
            String section = secret ? "secrets" : "configs";
            throw new ConfigException(stack.compose().file(svc, section) + ":" + f.line() + ": " + section + "."
                    + f.name() + ": cannot read " + f.file() + " (" + e.getMessage() + ")");
        }
    }

    /** Defaults sancho adds: start-first (the old task serves until the new one is healthy), monitor = interval. */
    private static SwarmServiceSpec.UpdatePolicy policy(SwarmDeploy.Policy p, Duration monitor, String action) {
        if (p == null) {
            return new SwarmServiceSpec.UpdatePolicy(1, null, action, monitor, null, "start-first");
        }
        return new SwarmServiceSpec.UpdatePolicy(p.parallelism() == null ? 1 : p.parallelism(), p.delay(),
                p.failureAction() == null ? action : p.failureAction(), p.monitor() == null ? monitor : p.monitor(),
                p.maxFailureRatio(), p.order() == null ? "start-first" : p.order());
    }

    private static SwarmServiceSpec.Health health(Service.Healthcheck h) {
        if (h == null) {
            return null;
        }
        if (h.disable()) {
            return new SwarmServiceSpec.Health(List.of("NONE"), null, null, null, null);
        }
        return new SwarmServiceSpec.Health(h.test(), h.interval(), h.timeout(), h.retries(), h.startPeriod());
    }

    /** {@link #fieldDigests(SwarmServiceSpec, Digests)} unkeyed, as versions before keyed digests wrote them. */
    public static String fieldDigests(SwarmServiceSpec s) {
        return fieldDigests(s, Digests.LEGACY);
    }

    /**
     * One short digest per field ({@code image=ab12cd34,env.PASSWORD=...,mounts=...}), sorted: values only ever
     * enter a truncated keyed digest ({@link Digests}), so the label shows nothing that a guess can be tested on.
     */
    public static String fieldDigests(SwarmServiceSpec s, Digests digests) {
        Map<String, Object> f = new TreeMap<>();
        f.put("image", s.image());
        f.put("entrypoint", s.command());
        f.put("command", s.args());
        s.env().forEach(e -> f.put("env." + e.substring(0, Math.max(0, e.indexOf('='))), e));
        f.put("mounts", s.mounts());
        f.put("networks", s.networks());
        f.put("ports", s.ports());
        f.put("constraints", s.constraints());
        f.put("healthcheck", s.health());
        f.put("user", s.user() + "|" + s.workingDir());
        f.put("stop", s.stopSignal() + "|" + s.stopGracePeriod());
        f.put("resources", s.nanoCpus() + "|" + s.memoryBytes() + "|" + s.memoryReservation());
        f.put("labels", new TreeMap<>(s.containerLabels()));
        if (!s.files().isEmpty()) { // only when given, as restart; object names carry the content's digest
            f.put("files", s.files());
        }
        if (s.restart() != null) { // only when given: digests recorded before restart_policy was mapped stay equal
            f.put("restart", s.restart());
        }
        StringBuilder b = new StringBuilder();
        f.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=')
                .append(digests.hex(String.valueOf(v), 4)));
        return b.toString();
    }

    /** The fields whose digests differ (a field on one side only counts), sorted. */
    public static List<String> drift(String recorded, String desired) {
        Map<String, String> a = parse(recorded), b = parse(desired);
        java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(a.get(k), b.get(k))).toList();
    }

    private static Map<String, String> parse(String digests) {
        Map<String, String> out = new TreeMap<>();
        if (digests != null) {
            for (String part : digests.split(",")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    out.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
        }
        return out;
    }

}
