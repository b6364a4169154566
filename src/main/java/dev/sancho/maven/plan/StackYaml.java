package dev.sancho.maven.plan;

import dev.sancho.maven.compose.Secrets;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.ServiceOptions;
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
 * The resolved stack as Compose YAML (what {@code sancho:config} prints): interpolated, services in start order,
 * each with {@code x-sancho-role} and its final {@code container_name}, engine names of volumes and networks,
 * secret environment values masked by {@link Secrets}. Valid Compose, so it can be diffed or fed to Compose.
 */
public final class StackYaml {
    private StackYaml() {}

    public static String render(Stack stack, Collection<String> maskedVariables) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", stack.project());
        root.put("x-sancho-deploy-id", stack.deployId());
        Map<String, Object> services = new LinkedHashMap<>();
        for (StackService s : stack.services()) {
            services.put(s.name(), service(s, stack.jobs().contains(s.name()), maskedVariables));
        }
        root.put("services", services);
        Map<String, Object> volumes = new LinkedHashMap<>();
        for (VolumeDef v : stack.compose().volumes().values()) {
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
            var def = stack.compose().networks().get(key);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", stack.networkNames().get(key));
            if (def != null) {
                putIf(m, "external", def.external() ? Boolean.TRUE : null);
                putIf(m, "driver", def.driver());
                putIf(m, "labels", def.labels());
            }
            networks.put(key, m);
        });
        putIf(root, "networks", networks);
        return yaml().dump(root);
    }

    /** Declared networks in file order, then the implicit default network. */
    private static java.util.Comparator<String> defaultLast(Stack stack) {
        List<String> declared = new ArrayList<>(stack.compose().networks().keySet());
        return java.util.Comparator.comparingInt(k -> declared.contains(k) ? declared.indexOf(k) : Integer.MAX_VALUE);
    }

    private static Map<String, Object> service(StackService s, boolean job, Collection<String> maskedVariables) {
        Service svc = s.service();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x-sancho-role", s.role().label());
        if (job) {
            m.put("x-sancho-job", true); // runs to completion once per deploy
        }
        m.put("container_name", s.containerName());
        if (s.replicas() > 1) {
            m.put("scale", s.replicas()); // the others are named container_name_2 ... _N
        }
        putIf(m, "image", svc.image());
        if (svc.build() != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            putIf(b, "context", svc.build().context());
            putIf(b, "dockerfile", svc.build().dockerfile());
            putIf(b, "args", Secrets.mask(svc.build().args(), maskedVariables));
            putIf(b, "target", svc.build().target());
            m.put("build", b);
        }
        putIf(m, "command", svc.command());
        putIf(m, "entrypoint", svc.entrypoint());
        putIf(m, "environment", Secrets.mask(svc.environment(), maskedVariables));
        putIf(m, "ports", svc.ports().stream().map(StackYaml::port).toList());
        putIf(m, "volumes", svc.volumes().stream().map(StackYaml::mount).toList());
        Map<String, Object> networks = new LinkedHashMap<>();
        svc.networks().forEach((k, v) -> networks.put(k, v.aliases().isEmpty() ? null : Map.of("aliases", v.aliases())));
        putIf(m, "networks", networks);
        putIf(m, "labels", svc.labels());
        if (svc.healthcheck() != null) {
            m.put("healthcheck", healthcheck(svc.healthcheck()));
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
        return m;
    }

    /** The runtime keys as written (sizes in bytes, which Compose reads back as the same size). */
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
                : Map.of("soft", u.soft(), "hard", u.hard())));
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
        ServiceOptions.Resources r = o.deploy();
        Map<String, Object> limits = new LinkedHashMap<>();
        putIf(limits, "cpus", r.limitCpus() == null ? null : r.limitCpus().toPlainString());
        putIf(limits, "memory", r.limitMemory());
        putIf(limits, "pids", r.limitPids());
        Map<String, Object> reservations = new LinkedHashMap<>();
        putIf(reservations, "memory", r.reservationMemory());
        Map<String, Object> resources = new LinkedHashMap<>();
        putIf(resources, "limits", limits);
        putIf(resources, "reservations", reservations);
        putIf(m, "deploy", resources.isEmpty() ? null : Map.of("resources", resources));
        putIf(m, "secrets", o.secrets().stream().map(StackYaml::file).toList());
        putIf(m, "configs", o.configs().stream().map(StackYaml::file).toList());
    }

    private static Map<String, Object> file(ServiceOptions.FileMount f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", f.name());
        m.put("target", f.target());
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
        return m;
    }

    private static Map<String, Object> healthcheck(Service.Healthcheck h) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "test", h.test());
        putIf(m, "interval", duration(h.interval()));
        putIf(m, "timeout", duration(h.timeout()));
        putIf(m, "retries", h.retries());
        putIf(m, "start_period", duration(h.startPeriod()));
        putIf(m, "disable", h.disable() ? Boolean.TRUE : null);
        return m;
    }

    /** Compose's own duration form: 90 s prints as 1m30s. */
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
        return b.length() > 0 ? b.toString() : d.toNanos() + "ns";
    }

    private static void append(StringBuilder b, long amount, String unit) {
        if (amount > 0) {
            b.append(amount).append(unit);
        }
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value == null || value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> map && map.isEmpty()) {
            return;
        }
        m.put(key, value);
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
