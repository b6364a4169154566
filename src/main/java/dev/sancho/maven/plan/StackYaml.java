package dev.sancho.maven.plan;

import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.NetworkDef;
import dev.sancho.maven.compose.Secrets;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.ServiceOptions;
import dev.sancho.maven.compose.SwarmDeploy;
import dev.sancho.maven.compose.VolumeDef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The resolved stack as a Compose file (what {@code sancho:config} prints), which Compose and sancho read back to the
 * same model: interpolated (every {@code $} of a value written {@code $$}, but for the {@code ${DEPLOY_ID}} of an
 * application's {@code container_name}, so the file deploys again), every key sancho applies in the form its loader
 * reads, services in start order, each with {@code x-sancho-role}, {@code x-sancho-container-name} (its final name),
 * engine names of volumes and networks, the top-level {@code secrets} and {@code configs} (an {@code environment:}
 * source by its variable, never its value), secret environment values and build args masked by {@link Secrets}.
 * {@code env_file} values are part of {@code environment}; a {@code deploy.restart_policy} is the {@code restart:}
 * it gives on one engine.
 */
public final class StackYaml {
    private StackYaml() {}

    /** A value written as it is: {@code $} not doubled (a reference sancho resolves at deploy time). */
    private record Raw(String text) {}

    public static String render(Stack stack, Collection<String> maskedVariables) {
        return render(stack, maskedVariables, false);
    }

    /** @param swarm {@code <target>swarm</target>}: the swarm's {@code deploy:} keys are printed too */
    public static String render(Stack stack, Collection<String> maskedVariables, boolean swarm) {
        ComposeFile compose = stack.compose();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", stack.project());
        root.put("x-sancho-deploy-id", stack.deployId());
        Map<String, Object> services = new LinkedHashMap<>();
        for (StackService s : stack.services()) {
            services.put(s.name(), service(s, stack, maskedVariables, swarm));
        }
        root.put("services", services);
        Map<String, Object> volumes = new LinkedHashMap<>();
        for (VolumeDef v : compose.volumes().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", stack.volumeNames().get(v.key()));
            putIf(m, "external", v.external() ? Boolean.TRUE : null);
            putIf(m, "driver", v.driver());
            putIf(m, "driver_opts", v.driverOpts());
            putIf(m, "labels", v.labels());
            volumes.put(v.key(), m);
        }
        putIf(root, "volumes", volumes);
        Map<String, Object> networks = new LinkedHashMap<>();
        stack.networkNames().keySet().stream().sorted(defaultLast(stack)).forEach(key -> {
            networks.put(key, network(compose.networks().get(key), stack.networkNames().get(key)));
        });
        putIf(root, "networks", networks);
        putIf(root, "secrets", definitions(compose.secrets()));
        putIf(root, "configs", definitions(compose.configs()));
        return yaml().dump(escaped(root));
    }

    private static Map<String, Object> network(NetworkDef def, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (def == null) {
            return m;
        }
        putIf(m, "external", def.external() ? Boolean.TRUE : null);
        putIf(m, "driver", def.driver());
        putIf(m, "labels", def.labels());
        NetworkDef.Options o = def.options();
        putIf(m, "internal", o.internal() ? Boolean.TRUE : null);
        putIf(m, "enable_ipv6", o.enableIpv6());
        putIf(m, "attachable", o.attachable() ? Boolean.TRUE : null);
        putIf(m, "driver_opts", o.driverOpts());
        if (def.ipam() != null) {
            Map<String, Object> ipam = new LinkedHashMap<>();
            putIf(ipam, "driver", def.ipam().driver());
            List<Object> pools = new ArrayList<>();
            for (NetworkDef.Pool p : def.ipam().config()) {
                Map<String, Object> pool = new LinkedHashMap<>();
                putIf(pool, "subnet", p.subnet());
                putIf(pool, "ip_range", p.ipRange());
                putIf(pool, "gateway", p.gateway());
                putIf(pool, "aux_addresses", p.auxAddresses());
                pools.add(pool);
            }
            putIf(ipam, "config", pools);
            putIf(ipam, "options", def.ipam().options());
            m.put("ipam", ipam);
        }
        return m;
    }

    private static Map<String, Object> definitions(Map<String, ComposeFile.Definition> defs) {
        Map<String, Object> out = new LinkedHashMap<>();
        defs.forEach((key, d) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            if (d.external() != null) {
                m.put("external", true);
                m.put("name", d.external());
            } else if (d.file() != null) {
                m.put("file", d.file());
            } else if (d.variable() != null) {
                m.put("environment", d.variable());
            } else {
                m.put("content", d.content() == null ? "" : d.content());
            }
            out.put(key, m);
        });
        return out;
    }

    /** Declared networks in file order, then the implicit default network. */
    private static java.util.Comparator<String> defaultLast(Stack stack) {
        List<String> declared = new ArrayList<>(stack.compose().networks().keySet());
        return java.util.Comparator.comparingInt(k -> declared.contains(k) ? declared.indexOf(k) : Integer.MAX_VALUE);
    }

    private static Map<String, Object> service(StackService s, Stack stack, Collection<String> maskedVariables,
            boolean swarm) {
        Service svc = s.service();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x-sancho-role", s.role().label());
        if (stack.jobs().contains(s.name())) {
            m.put("x-sancho-job", true); // runs to completion once per deploy
        }
        m.put("x-sancho-container-name", s.containerName());
        // the name the loader gives the same container: an application's keeps ${DEPLOY_ID}, whatever named it
        m.put("container_name", s.infra() ? s.containerName() : new Raw(withDeployIdReference(s.containerName(),
                stack.deployId())));
        putIf(m, "scale", svc.options().replicas()); // replicas 2 ... N are named container_name_2 ... _N
        putIf(m, "image", svc.image());
        if (svc.build() != null) {
            Service.BuildDef b = svc.build();
            Map<String, Object> build = new LinkedHashMap<>();
            putIf(build, "context", b.context());
            putIf(build, "dockerfile", b.dockerfile());
            putIf(build, "args", Secrets.mask(b.args(), maskedVariables));
            putIf(build, "target", b.target());
            putIf(build, "labels", b.labels());
            putIf(build, "network", b.network());
            putIf(build, "extra_hosts", b.extraHosts());
            putIf(build, "shm_size", b.shmSize());
            m.put("build", build);
        }
        putIf(m, "pull_policy", svc.pullPolicy().equals(dev.sancho.maven.compose.PullPolicy.MISSING) ? null
                : svc.pullPolicy().written());
        if (svc.command() != null) {
            m.put("command", svc.command()); // [] too: "command: ''" clears the image's
        }
        if (svc.entrypoint() != null) {
            m.put("entrypoint", svc.entrypoint());
        }
        putIf(m, "environment", Secrets.mask(svc.environment(), maskedVariables));
        putIf(m, "ports", svc.ports().stream().map(StackYaml::port).toList());
        putIf(m, "volumes", svc.volumes().stream().map(StackYaml::mount).toList());
        Map<String, Object> networks = new LinkedHashMap<>();
        svc.networks().forEach((k, v) -> {
            Map<String, Object> n = new LinkedHashMap<>();
            putIf(n, "aliases", v.aliases());
            putIf(n, "ipv4_address", v.ipv4Address());
            putIf(n, "ipv6_address", v.ipv6Address());
            putIf(n, "priority", v.priority() == 0 ? null : v.priority());
            networks.put(k, n.isEmpty() ? null : n);
        });
        putIf(m, "networks", networks);
        putIf(m, "labels", svc.labels());
        if (svc.healthcheck() != null || svc.options().healthStartInterval() != null) {
            m.put("healthcheck", healthcheck(svc.healthcheck(), svc.options().healthStartInterval()));
        }
        putIf(m, "restart", svc.restart());
        Map<String, Object> dependsOn = new LinkedHashMap<>();
        svc.dependsOn().forEach((k, v) -> dependsOn.put(k, Map.of("condition", v)));
        putIf(m, "depends_on", dependsOn);
        putIf(m, "user", svc.user());
        putIf(m, "working_dir", svc.workingDir());
        putIf(m, "hostname", svc.hostname());
        putIf(m, "extra_hosts", svc.extraHosts());
        putIf(m, "stop_signal", svc.stopSignal());
        putIf(m, "stop_grace_period", duration(svc.stopGracePeriod()));
        options(m, svc.options());
        if (swarm) {
            swarmDeploy(m, stack.compose().swarmDeploy(s.name()));
        }
        return m;
    }

    /** {@code name} with its last {@code deployId} written {@code ${DEPLOY_ID}}; every other {@code $} doubled. */
    static String withDeployIdReference(String name, String deployId) {
        int at = name.lastIndexOf(deployId);
        if (at < 0) {
            return name.replace("$", "$$");
        }
        return name.substring(0, at).replace("$", "$$") + "${DEPLOY_ID}"
                + name.substring(at + deployId.length()).replace("$", "$$");
    }

    /** The runtime keys as the loader reads them (sizes in bytes, which Compose reads back as the same size). */
    private static void options(Map<String, Object> m, ServiceOptions o) {
        putIf(m, "mem_limit", o.memLimit());
        putIf(m, "memswap_limit", o.memswapLimit());
        putIf(m, "mem_reservation", o.memReservation());
        putIf(m, "mem_swappiness", o.memSwappiness());
        putIf(m, "cpus", o.cpus() == null ? null : o.cpus().toPlainString());
        putIf(m, "cpu_shares", o.cpuShares());
        putIf(m, "cpu_quota", o.cpuQuota());
        putIf(m, "cpu_period", o.cpuPeriod());
        putIf(m, "cpuset", o.cpuset());
        putIf(m, "pids_limit", o.pidsLimit());
        putIf(m, "oom_kill_disable", o.oomKillDisable());
        putIf(m, "oom_score_adj", o.oomScoreAdj());
        Map<String, Object> ulimits = new LinkedHashMap<>();
        o.ulimits().forEach(u -> ulimits.put(u.name(), u.soft() == u.hard() ? (Object) u.soft()
                : map("soft", u.soft(), "hard", u.hard())));
        putIf(m, "ulimits", ulimits);
        putIf(m, "cap_add", o.capAdd());
        putIf(m, "cap_drop", o.capDrop());
        putIf(m, "security_opt", o.securityOpt());
        putIf(m, "privileged", o.privileged());
        putIf(m, "read_only", o.readOnly());
        putIf(m, "tmpfs", o.tmpfs());
        putIf(m, "shm_size", o.shmSize());
        putIf(m, "init", o.init());
        putIf(m, "sysctls", o.sysctls());
        putIf(m, "devices", o.devices().stream()
                .map(d -> d.host() + ":" + d.container() + ":" + d.permissions()).toList());
        putIf(m, "dns", o.dns());
        putIf(m, "dns_search", o.dnsSearch());
        putIf(m, "dns_opt", o.dnsOpt());
        putIf(m, "domainname", o.domainname());
        putIf(m, "expose", o.expose());
        putIf(m, "pid", o.pid());
        putIf(m, "ipc", o.ipc());
        putIf(m, "uts", o.uts());
        putIf(m, "cgroup", o.cgroup());
        putIf(m, "group_add", o.groupAdd());
        putIf(m, "tty", o.tty());
        putIf(m, "stdin_open", o.stdinOpen());
        if (o.logging() != null) {
            Map<String, Object> logging = new LinkedHashMap<>();
            putIf(logging, "driver", o.logging().driver());
            putIf(logging, "options", o.logging().options());
            m.put("logging", logging);
        }
        putIf(m, "cgroup_parent", o.cgroupParent());
        putIf(m, "userns_mode", o.usernsMode());
        putIf(m, "platform", o.platform());
        putIf(m, "runtime", o.runtime());
        putIf(m, "storage_opt", o.storageOpt());
        putIf(m, "network_mode", o.networkMode());
        putIf(m, "links", o.links());
        putIf(m, "external_links", o.externalLinks());
        putIf(m, "volumes_from", o.volumesFrom().stream().map(v -> (v.service() ? "" : "container:") + v.name()
                + (v.readOnly() ? ":ro" : "")).toList());
        putIf(m, "device_cgroup_rules", o.deviceCgroupRules());
        putIf(m, "mac_address", o.macAddress());
        if (o.blkio() != null) {
            putIf(m, "blkio_config", blkio(o.blkio()));
        }
        ServiceOptions.Resources r = o.deploy();
        Map<String, Object> limits = new LinkedHashMap<>();
        putIf(limits, "cpus", r.limitCpus() == null ? null : r.limitCpus().toPlainString());
        putIf(limits, "memory", r.limitMemory());
        putIf(limits, "pids", r.limitPids());
        Map<String, Object> reservations = new LinkedHashMap<>();
        putIf(reservations, "memory", r.reservationMemory());
        // gpus and reservations.devices are one list of device requests: written back as the latter, which keeps
        // each request's capabilities as they are
        putIf(reservations, "devices", o.deviceRequests().stream().map(StackYaml::deviceRequest).toList());
        Map<String, Object> resources = new LinkedHashMap<>();
        putIf(resources, "limits", limits);
        putIf(resources, "reservations", reservations);
        putIf(m, "deploy", resources.isEmpty() ? null : map("resources", resources));
        putIf(m, "secrets", o.secrets().stream().map(StackYaml::file).toList());
        putIf(m, "configs", o.configs().stream().map(StackYaml::file).toList());
    }

    private static Map<String, Object> deviceRequest(ServiceOptions.DeviceRequest d) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "driver", d.driver());
        putIf(m, "count", d.count() == null ? null : d.count() == -1 ? (Object) "all" : d.count());
        putIf(m, "device_ids", d.deviceIds());
        putIf(m, "capabilities", d.capabilities());
        putIf(m, "options", d.options());
        return m;
    }

    private static Map<String, Object> blkio(ServiceOptions.Blkio b) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "weight", b.weight());
        putIf(m, "weight_device", b.weightDevice().stream().map(w -> map("path", w.path(), "weight", w.weight()))
                .toList());
        putIf(m, "device_read_bps", throttles(b.deviceReadBps()));
        putIf(m, "device_write_bps", throttles(b.deviceWriteBps()));
        putIf(m, "device_read_iops", throttles(b.deviceReadIops()));
        putIf(m, "device_write_iops", throttles(b.deviceWriteIops()));
        return m;
    }

    private static List<Object> throttles(List<ServiceOptions.Throttle> list) {
        return list.stream().map(t -> (Object) map("path", t.path(), "rate", t.rate())).toList();
    }

    /** The swarm's own {@code deploy:} keys ({@code <target>swarm</target>}), merged into the {@code deploy:} above. */
    @SuppressWarnings("unchecked")
    private static void swarmDeploy(Map<String, Object> m, SwarmDeploy d) {
        if (d == null || d.equals(SwarmDeploy.NONE)) {
            return;
        }
        Map<String, Object> deploy = new LinkedHashMap<>(m.get("deploy") instanceof Map<?, ?> existing
                ? (Map<String, Object>) existing : Map.of());
        putIf(deploy, "replicas", d.replicas());
        putIf(deploy, "endpoint_mode", d.endpointMode());
        putIf(deploy, "labels", d.labels());
        if (!d.constraints().isEmpty()) {
            deploy.put("placement", map("constraints", d.constraints()));
        }
        putIf(deploy, "update_config", policy(d.update()));
        putIf(deploy, "rollback_config", policy(d.rollback()));
        if (d.restart() != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            putIf(r, "condition", d.restart().condition());
            putIf(r, "delay", duration(d.restart().delay()));
            putIf(r, "max_attempts", d.restart().maxAttempts());
            putIf(r, "window", duration(d.restart().window()));
            deploy.put("restart_policy", r);
        }
        m.put("deploy", deploy);
    }

    private static Map<String, Object> policy(SwarmDeploy.Policy p) {
        if (p == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "parallelism", p.parallelism());
        putIf(m, "delay", duration(p.delay()));
        putIf(m, "failure_action", p.failureAction());
        putIf(m, "monitor", duration(p.monitor()));
        putIf(m, "max_failure_ratio", p.maxFailureRatio());
        putIf(m, "order", p.order());
        return m;
    }

    private static Map<String, Object> file(ServiceOptions.FileMount f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", f.name());
        m.put("target", f.target());
        putIf(m, "uid", f.uid() == null ? null : String.valueOf(f.uid()));
        putIf(m, "gid", f.gid() == null ? null : String.valueOf(f.gid()));
        putIf(m, "mode", f.mode() == null ? null : "0" + Integer.toOctalString(f.mode()));
        return m;
    }

    private static String port(Service.PortMapping p) {
        StringBuilder b = new StringBuilder();
        if (p.hostIp() != null) {
            b.append(p.hostIp().contains(":") ? "[" + p.hostIp() + "]" : p.hostIp()).append(':');
        }
        if (p.hostPort() != null || p.hostIp() != null) {
            b.append(p.hostPort() == null ? "" : p.hostPort()).append(':');
        }
        return b.append(p.containerPort()).append('/').append(p.protocol()).toString();
    }

    private static Map<String, Object> mount(Service.Mount mount) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", mount.type());
        putIf(m, "source", mount.source());
        m.put("target", mount.target());
        putIf(m, "read_only", mount.readOnly() ? Boolean.TRUE : null);
        Service.MountOptions o = mount.options();
        switch (mount.type()) {
            case "bind" -> {
                Map<String, Object> bind = new LinkedHashMap<>();
                putIf(bind, "propagation", o.propagation());
                putIf(bind, "selinux", o.selinux());
                putIf(bind, "create_host_path", o.createHostPath() ? Boolean.TRUE : null);
                putIf(m, "bind", bind);
            }
            case "volume" -> {
                Map<String, Object> volume = new LinkedHashMap<>();
                putIf(volume, "nocopy", o.noCopy() ? Boolean.TRUE : null);
                putIf(volume, "subpath", o.subpath());
                putIf(m, "volume", volume);
                if (o.selinux() != null) { // the short syntax's z/Z on a volume has no long form: keep the short one
                    return shortVolume(mount);
                }
            }
            default -> {
                Map<String, Object> tmpfs = new LinkedHashMap<>();
                putIf(tmpfs, "size", o.tmpfsSize());
                putIf(tmpfs, "mode", o.tmpfsMode() == null ? null : "0" + Integer.toOctalString(o.tmpfsMode()));
                putIf(m, "tmpfs", tmpfs);
            }
        }
        return m;
    }

    private static Map<String, Object> shortVolume(Service.Mount mount) {
        List<String> flags = new ArrayList<>();
        flags.add(mount.readOnly() ? "ro" : "rw");
        flags.add(mount.options().selinux());
        if (mount.options().noCopy()) {
            flags.add("nocopy");
        }
        return map("x-short", (mount.source() == null ? "" : mount.source() + ":") + mount.target() + ":"
                + String.join(",", flags));
    }

    private static Map<String, Object> healthcheck(Service.Healthcheck h, Duration startInterval) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (h != null) {
            putIf(m, "test", h.test());
            putIf(m, "interval", duration(h.interval()));
            putIf(m, "timeout", duration(h.timeout()));
            putIf(m, "retries", h.retries());
            putIf(m, "start_period", duration(h.startPeriod()));
            putIf(m, "disable", h.disable() ? Boolean.TRUE : null);
        }
        putIf(m, "start_interval", duration(startInterval));
        return m;
    }

    /** Compose's own duration form: 90 s prints as 1m30s; what is below a millisecond in {@code us}/{@code ns}. */
    static String duration(Duration d) {
        if (d == null) {
            return null;
        }
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        append(b, d.toHours(), "h");
        append(b, d.toMinutesPart(), "m");
        append(b, d.toSecondsPart(), "s");
        append(b, d.toMillisPart(), "ms");
        append(b, d.toNanosPart() % 1_000_000, "ns");
        return b.toString();
    }

    private static void append(StringBuilder b, long amount, String unit) {
        if (amount > 0) {
            b.append(amount).append(unit);
        }
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value == null || value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> map && map.isEmpty()) {
            return;
        }
        m.put(key, value);
    }

    /**
     * The tree with every string value's {@code $} doubled, so Compose's interpolation gives the value back ({@link Raw}
     * values as they are); keys are not interpolated and stay. A mount kept in the short syntax becomes that string.
     */
    private static Object escaped(Object v) {
        if (v instanceof Raw r) {
            return r.text();
        }
        if (v instanceof String s) {
            return s.replace("$", "$$");
        }
        if (v instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.containsKey("x-short")) {
                return escaped(m.get("x-short"));
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, escaped(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(StackYaml::escaped).toList();
        }
        return v;
    }

    private static Yaml yaml() {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setWidth(Integer.MAX_VALUE);
        o.setSplitLines(false);
        return new Yaml(o);
    }
}
