package dev.sancho.maven.plan;

import dev.sancho.maven.compose.Secrets;
import dev.sancho.maven.compose.Service;
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
