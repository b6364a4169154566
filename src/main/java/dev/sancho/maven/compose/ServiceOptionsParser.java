package dev.sancho.maven.compose;

import dev.sancho.maven.compose.ServiceOptions.Device;
import dev.sancho.maven.compose.ServiceOptions.Logging;
import dev.sancho.maven.compose.ServiceOptions.Resources;
import dev.sancho.maven.compose.ServiceOptions.Ulimit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the runtime keys of one service ({@link ServiceOptions}) with Compose's syntax and checks. */
final class ServiceOptionsParser {

    /** The service keys read here. */
    static final Set<String> KEYS = Set.of("mem_limit", "memswap_limit", "mem_reservation", "mem_swappiness", "cpus",
            "cpu_shares", "cpu_quota", "cpu_period", "cpuset", "pids_limit", "oom_kill_disable", "oom_score_adj",
            "ulimits", "cap_add", "cap_drop", "security_opt", "privileged", "read_only", "tmpfs", "shm_size", "init",
            "sysctls", "devices", "dns", "dns_search", "dns_opt", "domainname", "expose", "pid", "ipc", "group_add",
            "tty", "stdin_open", "logging", "cgroup_parent", "userns_mode", "platform", "runtime", "storage_opt",
            "deploy", "scale");

    /** Linux capabilities as the engine names them (without {@code CAP_}), and ALL. */
    static final Set<String> CAPABILITIES = Set.of("ALL", "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE",
            "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
            "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD",
            "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP",
            "SETUID", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYSLOG", "SYS_MODULE", "SYS_NICE", "SYS_PACCT",
            "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM");

    /** The engine's built-in logging drivers (plugins are not supported). */
    static final Set<String> LOG_DRIVERS = Set.of("json-file", "local", "syslog", "journald", "gelf", "fluentd",
            "awslogs", "splunk", "etwlogs", "gcplogs", "loki", "none");

    private static final Pattern EXPOSE = Pattern.compile("\\d{1,5}(-\\d{1,5})?(/(tcp|udp|sctp))?");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?|\\.\\d+");

    private final Source src;

    ServiceOptionsParser(Source src) {
        this.src = src;
    }

    /** @param secrets the service's {@code secrets:}/{@code configs:}, resolved by the caller */
    ServiceOptions parse(YamlNode.Mapping m, String p, List<ServiceOptions.FileMount> secrets,
            List<ServiceOptions.FileMount> configs) {
        return new ServiceOptions(
                size(m.get("mem_limit"), p + ".mem_limit", false),
                size(m.get("memswap_limit"), p + ".memswap_limit", true),
                size(m.get("mem_reservation"), p + ".mem_reservation", false),
                range(m.get("mem_swappiness"), p + ".mem_swappiness", 0, 100),
                cpus(m.get("cpus"), p + ".cpus"),
                range(m.get("cpu_shares"), p + ".cpu_shares", 0, Integer.MAX_VALUE),
                whole(m.get("cpu_quota"), p + ".cpu_quota"),
                whole(m.get("cpu_period"), p + ".cpu_period"),
                src.text(m.get("cpuset"), p + ".cpuset"),
                whole(m.get("pids_limit"), p + ".pids_limit"),
                bool(m.get("oom_kill_disable"), p + ".oom_kill_disable"),
                range(m.get("oom_score_adj"), p + ".oom_score_adj", -1000, 1000),
                ulimits(m.get("ulimits"), p + ".ulimits"),
                capabilities(m.get("cap_add"), p + ".cap_add"),
                capabilities(m.get("cap_drop"), p + ".cap_drop"),
                list(m.get("security_opt"), p + ".security_opt"),
                bool(m.get("privileged"), p + ".privileged"),
                bool(m.get("read_only"), p + ".read_only"),
                tmpfs(m.get("tmpfs"), p + ".tmpfs"),
                size(m.get("shm_size"), p + ".shm_size", false),
                bool(m.get("init"), p + ".init"),
                src.keyValues(m.get("sysctls"), p + ".sysctls", k -> ""),
                devices(m.get("devices"), p + ".devices"),
                stringOrList(m.get("dns"), p + ".dns"),
                stringOrList(m.get("dns_search"), p + ".dns_search"),
                stringOrList(m.get("dns_opt"), p + ".dns_opt"),
                src.text(m.get("domainname"), p + ".domainname"),
                expose(m.get("expose"), p + ".expose"),
                namespace(m.get("pid"), p + ".pid"),
                namespace(m.get("ipc"), p + ".ipc"),
                list(m.get("group_add"), p + ".group_add"),
                bool(m.get("tty"), p + ".tty"),
                bool(m.get("stdin_open"), p + ".stdin_open"),
                logging(m.get("logging"), p + ".logging"),
                src.text(m.get("cgroup_parent"), p + ".cgroup_parent"),
                src.text(m.get("userns_mode"), p + ".userns_mode"),
                src.text(m.get("platform"), p + ".platform"),
                src.text(m.get("runtime"), p + ".runtime"),
                src.keyValues(m.get("storage_opt"), p + ".storage_opt", k -> ""),
                deploy(m.get("deploy"), p + ".deploy"),
                secrets, configs, replicas(m, p));
    }

    private Long size(YamlNode node, String path, boolean minusOne) {
        String value = src.text(node, path);
        if (value == null) {
            return null;
        }
        if (minusOne && value.strip().equals("-1")) {
            return -1L;
        }
        try {
            return ByteSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw src.error(node, path, e.getMessage() + (minusOne ? ", or -1 for unlimited" : ""));
        }
    }

    private Long whole(YamlNode node, String path) {
        String value = src.text(node, path);
        if (value == null) {
            return null;
        }
        try {
            return Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw src.error(node, path, "expected a whole number, found \"" + value + "\"");
        }
    }

    private Integer range(YamlNode node, String path, int low, int high) {
        Long value = whole(node, path);
        if (value == null) {
            return null;
        }
        if (value < low || value > high) {
            throw src.error(node, path, value + " is out of range: use " + low + " to " + high);
        }
        return value.intValue();
    }

    private BigDecimal cpus(YamlNode node, String path) {
        String value = src.text(node, path);
        if (value == null) {
            return null;
        }
        if (!NUMBER.matcher(value.strip()).matches()) {
            throw src.error(node, path, "expected a number of CPUs (e.g. 0.5 or 2), found \"" + value + "\"");
        }
        return new BigDecimal(value.strip());
    }

    private Boolean bool(YamlNode node, String path) {
        return Source.isNull(node) ? null : src.bool(node, path, false);
    }

    private List<String> list(YamlNode node, String path) {
        return Source.isNull(node) ? List.of() : src.strings(node, path);
    }

    private List<String> capabilities(YamlNode node, String path) {
        List<String> caps = list(node, path);
        for (int i = 0; i < caps.size(); i++) {
            String name = caps.get(i).strip().toUpperCase(java.util.Locale.ROOT);
            if (!CAPABILITIES.contains(name.startsWith("CAP_") ? name.substring(4) : name)) {
                throw src.error(((YamlNode.Sequence) node).items().get(i), path + "[" + i + "]", "unknown capability \""
                        + caps.get(i) + "\" (e.g. NET_ADMIN, SYS_PTRACE, ALL)");
            }
        }
        return caps;
    }

    private List<String> stringOrList(YamlNode node, String path) {
        List<String> l = src.stringOrList(node, path);
        return l == null ? List.of() : l;
    }

    /** {@code nofile: 1024} (soft = hard) or {@code nofile: {soft: 1024, hard: 2048}}. */
    private List<Ulimit> ulimits(YamlNode node, String path) {
        List<Ulimit> result = new ArrayList<>();
        YamlNode.Mapping m = src.optionalMapping(node, path);
        if (m == null) {
            return result;
        }
        for (YamlNode.Entry e : m.entries()) {
            String itemPath = path + "." + e.key();
            if (e.value() instanceof YamlNode.Mapping limits) {
                src.checkKeys(limits, itemPath, Set.of("soft", "hard"), Set.of());
                Long soft = whole(limits.get("soft"), itemPath + ".soft");
                Long hard = whole(limits.get("hard"), itemPath + ".hard");
                if (soft == null || hard == null) {
                    throw src.error(limits, itemPath, "needs both soft: and hard: (or a single number for both)");
                }
                if (soft > hard && hard >= 0) {
                    throw src.error(limits, itemPath, "soft " + soft + " is above hard " + hard);
                }
                result.add(new Ulimit(e.key(), soft, hard));
            } else {
                Long both = whole(e.value(), itemPath);
                if (both == null) {
                    throw src.error(e.value(), itemPath, "expected a number or soft:/hard:");
                }
                result.add(new Ulimit(e.key(), both, both));
            }
        }
        return result;
    }

    /** A single {@code /run} or a list; each {@code PATH[:OPTIONS]} with an absolute path. */
    private List<String> tmpfs(YamlNode node, String path) {
        List<String> entries = stringOrList(node, path);
        for (int i = 0; i < entries.size(); i++) {
            if (!entries.get(i).startsWith("/")) {
                throw src.error(node, node instanceof YamlNode.Sequence ? path + "[" + i + "]" : path,
                        "a tmpfs mount needs an absolute path in the container (e.g. /run or /tmp:size=64m)");
            }
        }
        return entries;
    }

    /** {@code HOST[:CONTAINER[:PERMISSIONS]]}, or the long syntax {@code {source, target, permissions}}. */
    private List<Device> devices(YamlNode node, String path) {
        List<Device> result = new ArrayList<>();
        if (Source.isNull(node)) {
            return result;
        }
        List<YamlNode> items = src.sequence(node, path, "e.g. - \"/dev/fuse:/dev/fuse:rwm\"").items();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            YamlNode item = items.get(i);
            String host;
            String container;
            String permissions;
            if (item instanceof YamlNode.Mapping d) {
                src.checkKeys(d, itemPath, Set.of("source", "target", "permissions"), Set.of());
                host = src.required(d.get("source"), itemPath + ".source");
                container = src.text(d.get("target"), itemPath + ".target");
                permissions = src.text(d.get("permissions"), itemPath + ".permissions");
            } else {
                String[] parts = src.required(item, itemPath).split(":", -1);
                if (parts.length > 3) {
                    throw src.error(item, itemPath, "expected HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]]");
                }
                host = parts[0];
                container = parts.length > 1 ? parts[1] : null;
                permissions = parts.length > 2 ? parts[2] : null;
                if (parts.length == 2 && !parts[1].startsWith("/")) { // docker's HOST:PERMISSIONS form
                    container = null;
                    permissions = parts[1];
                }
            }
            container = container == null || container.isEmpty() ? host : container;
            permissions = permissions == null || permissions.isEmpty() ? "rwm" : permissions;
            if (!permissions.matches("[rwm]+")) {
                throw src.error(item, itemPath, "unknown device permissions \"" + permissions + "\": use r, w, m");
            }
            result.add(new Device(host, container, permissions));
        }
        return result;
    }

    private List<String> expose(YamlNode node, String path) {
        List<String> result = new ArrayList<>();
        if (Source.isNull(node)) {
            return result;
        }
        List<YamlNode> items = src.sequence(node, path, "e.g. - \"8080\"").items();
        for (int i = 0; i < items.size(); i++) {
            String port = src.required(items.get(i), path + "[" + i + "]").strip();
            if (!EXPOSE.matcher(port).matches()) {
                throw src.error(items.get(i), path + "[" + i + "]", "\"" + port
                        + "\" is not a port or range with an optional protocol (8080, 8000-8010, 53/udp)");
            }
            String[] ends = port.replaceFirst("/.*", "").split("-");
            int low = Integer.parseInt(ends[0]);
            int high = Integer.parseInt(ends[ends.length - 1]);
            if (low < 1 || high > 65535 || low > high) {
                throw src.error(items.get(i), path + "[" + i + "]", "\"" + port
                        + "\" is out of range: ports are 1-65535, ranges low-high");
            }
            result.add(port);
        }
        return result;
    }

    /** {@code host}, {@code container:NAME}, ...; {@code service:NAME} needs the other service's container id. */
    private String namespace(YamlNode node, String path) {
        String value = src.text(node, path);
        if (value != null && value.startsWith("service:")) {
            throw src.error(node, path, "service:NAME is not supported by sancho; share with the container by name:"
                    + " container:NAME (set container_name: on that service)");
        }
        return value;
    }

    private Logging logging(YamlNode node, String path) {
        YamlNode.Mapping m = src.optionalMapping(node, path);
        if (m == null) {
            return null;
        }
        src.checkKeys(m, path, Set.of("driver", "options"), Set.of());
        String driver = src.text(m.get("driver"), path + ".driver");
        if (driver != null && !LOG_DRIVERS.contains(driver)) {
            throw src.error(m.get("driver"), path + ".driver", "logging driver \"" + driver + "\" is not one sancho"
                    + " can set: use " + String.join(", ", new java.util.TreeSet<>(LOG_DRIVERS)));
        }
        return new Logging(driver,
                src.keyValues(m.get("options"), path + ".options", k -> ""));
    }

    /**
     * {@code scale} or {@code deploy.replicas}; both may be given when they agree (Compose v2 refuses two different
     * values). Zero is refused: sancho deploys every service it reads (leave a service out with {@code profiles}).
     */
    private Integer replicas(YamlNode.Mapping m, String p) {
        Integer scale = range(m.get("scale"), p + ".scale", 1, 1000);
        YamlNode.Mapping deploy = m.get("deploy") instanceof YamlNode.Mapping d ? d : null;
        Integer replicas = deploy == null ? null : range(deploy.get("replicas"), p + ".deploy.replicas", 1, 1000);
        if (scale != null && replicas != null && !scale.equals(replicas)) {
            throw src.error(m.get("scale"), p + ".scale", "scale: " + scale + " and deploy.replicas: " + replicas
                    + " differ; give one of them");
        }
        return scale != null ? scale : replicas;
    }

    private Resources deploy(YamlNode node, String path) {
        YamlNode.Mapping m = src.optionalMapping(node, path);
        if (m == null) {
            return Resources.NONE;
        }
        src.checkKeys(m, path, Set.of("resources", "replicas"), Set.of("mode", "replicas", "labels", "placement",
                "update_config", "rollback_config", "restart_policy", "endpoint_mode"));
        YamlNode.Mapping resources = src.optionalMapping(m.get("resources"), path + ".resources");
        if (resources == null) {
            return Resources.NONE;
        }
        String rp = path + ".resources";
        src.checkKeys(resources, rp, Set.of("limits", "reservations"), Set.of());
        YamlNode.Mapping limits = src.optionalMapping(resources.get("limits"), rp + ".limits");
        YamlNode.Mapping reservations = src.optionalMapping(resources.get("reservations"), rp + ".reservations");
        BigDecimal cpus = null;
        Long memory = null;
        Long pids = null;
        Long reserved = null;
        if (limits != null) {
            src.checkKeys(limits, rp + ".limits", Set.of("cpus", "memory", "pids"), Set.of("devices"));
            cpus = cpus(limits.get("cpus"), rp + ".limits.cpus");
            memory = size(limits.get("memory"), rp + ".limits.memory", false);
            pids = whole(limits.get("pids"), rp + ".limits.pids");
        }
        if (reservations != null) {
            // Compose applies neither to a single container: a CPU reservation is a swarm placement hint.
            src.checkKeys(reservations, rp + ".reservations", Set.of("memory"),
                    Set.of("cpus", "devices", "generic_resources", "pids"));
            reserved = size(reservations.get("memory"), rp + ".reservations.memory", false);
        }
        return new Resources(cpus, memory, pids, reserved);
    }
}
