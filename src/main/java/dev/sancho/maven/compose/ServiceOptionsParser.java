package dev.sancho.maven.compose;

import dev.sancho.maven.compose.ServiceOptions.Device;
import dev.sancho.maven.compose.ServiceOptions.Logging;
import dev.sancho.maven.compose.ServiceOptions.Resources;
import dev.sancho.maven.compose.ServiceOptions.Ulimit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
            "deploy", "scale", "network_mode", "links", "external_links", "volumes_from", "blkio_config", "gpus", "uts",
            "cgroup", "device_cgroup_rules", "mac_address");

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
    private static final BigDecimal MAX_CPUS = BigDecimal.valueOf(Long.MAX_VALUE).movePointLeft(9);
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?|\\.\\d+");

    private final Source src;
    private final java.util.Collection<String> serviceNames;

    /** @param serviceNames the services of the file, which {@code service:NAME} references must name */
    /** {@code <target>swarm</target>}: the {@code deploy:} keys {@link SwarmDeployParser} maps are applied there. */
    private final boolean swarm;

    ServiceOptionsParser(Source src, java.util.Collection<String> serviceNames) {
        this(src, serviceNames, false);
    }

    ServiceOptionsParser(Source src, java.util.Collection<String> serviceNames, boolean swarm) {
        this.src = src;
        this.serviceNames = serviceNames;
        this.swarm = swarm;
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
                secrets, configs, replicas(m, p),
                networkMode(m, p),
                links(m.get("links"), p + ".links", true),
                links(m.get("external_links"), p + ".external_links", false),
                volumesFrom(m.get("volumes_from"), p + ".volumes_from"),
                blkio(m.get("blkio_config"), p + ".blkio_config"),
                deviceRequests(m, p),
                startInterval(m.get("healthcheck"), p + ".healthcheck"),
                oneOf(m.get("uts"), p + ".uts", Set.of("host")),
                oneOf(m.get("cgroup"), p + ".cgroup", Set.of("host", "private")),
                list(m.get("device_cgroup_rules"), p + ".device_cgroup_rules"),
                macAddress(m.get("mac_address"), p + ".mac_address"));
    }

    private String oneOf(YamlNode node, String path, Set<String> allowed) {
        String value = src.text(node, path);
        if (value != null && !allowed.contains(value)) {
            throw src.error(node, path, "\"" + value + "\": use " + String.join(" or ", new java.util.TreeSet<>(allowed)));
        }
        return value;
    }

    private String macAddress(YamlNode node, String path) {
        String value = src.text(node, path);
        if (value != null && !value.strip().matches("([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}")) {
            throw src.error(node, path, "\"" + value + "\" is not a MAC address (e.g. 02:42:ac:11:00:02)");
        }
        return value == null ? null : value.strip();
    }

    /**
     * The services this one needs to exist and run first, as Compose adds them to {@code depends_on}:
     * {@code network_mode}/{@code pid}/{@code ipc} {@code service:NAME}, {@code links} and service
     * {@code volumes_from}.
     */
    static List<String> impliedDependencies(ServiceOptions o) {
        java.util.LinkedHashSet<String> deps = new java.util.LinkedHashSet<>();
        for (String mode : java.util.Arrays.asList(o.networkMode(), o.pid(), o.ipc())) {
            if (mode != null && mode.startsWith("service:")) {
                deps.add(mode.substring("service:".length()));
            }
        }
        o.links().forEach(l -> deps.add(l.contains(":") ? l.substring(0, l.indexOf(':')) : l));
        o.volumesFrom().stream().filter(ServiceOptions.VolumesFrom::service).forEach(v -> deps.add(v.name()));
        return List.copyOf(deps);
    }

    private String networkMode(YamlNode.Mapping m, String p) {
        YamlNode node = m.get("network_mode");
        String mode = src.text(node, p + ".network_mode");
        if (mode == null) {
            return null;
        }
        if (!Source.isNull(m.get("networks"))) {
            throw src.error(node, p + ".network_mode", "network_mode and networks cannot be used together"
                    + " (Compose refuses it too): keep one");
        }
        if (mode.startsWith("service:")) {
            return serviceRef(node, p + ".network_mode", mode);
        }
        if (mode.startsWith("container:") ? mode.length() == "container:".length()
                : !Set.of("host", "none", "bridge", "default").contains(mode)) {
            throw src.error(node, p + ".network_mode", "\"" + mode + "\": use host, none, bridge, service:NAME or"
                    + " container:NAME");
        }
        return mode;
    }

    /** {@code service:NAME} naming a service of the file. */
    private String serviceRef(YamlNode node, String path, String value) {
        String name = value.substring("service:".length());
        if (!serviceNames.contains(name)) {
            throw src.error(node, path, "service \"" + name + "\" is not defined (services: "
                    + String.join(", ", serviceNames) + ")");
        }
        return value;
    }

    /** {@code NAME[:ALIAS]}; a service link must name a service of the file. */
    private List<String> links(YamlNode node, String path, boolean services) {
        List<String> links = list(node, path);
        for (int i = 0; i < links.size(); i++) {
            String link = links.get(i).strip();
            String[] parts = link.split(":", -1);
            YamlNode item = ((YamlNode.Sequence) node).items().get(i);
            if (parts.length > 2 || parts[0].isEmpty() || (parts.length == 2 && parts[1].isEmpty())) {
                throw src.error(item, path + "[" + i + "]", "expected " + (services ? "SERVICE" : "CONTAINER")
                        + "[:ALIAS], found \"" + link + "\"");
            }
            if (services && !serviceNames.contains(parts[0])) {
                throw src.error(item, path + "[" + i + "]", "service \"" + parts[0] + "\" is not defined"
                        + " (services: " + String.join(", ", serviceNames) + ")");
            }
        }
        return links.stream().map(String::strip).toList();
    }

    /** {@code NAME[:ro|rw]} (a service), {@code service:NAME[:MODE]}, {@code container:NAME[:MODE]}. */
    private List<ServiceOptions.VolumesFrom> volumesFrom(YamlNode node, String path) {
        List<ServiceOptions.VolumesFrom> result = new ArrayList<>();
        List<String> entries = list(node, path);
        for (int i = 0; i < entries.size(); i++) {
            YamlNode item = ((YamlNode.Sequence) node).items().get(i);
            String itemPath = path + "[" + i + "]";
            List<String> parts = new ArrayList<>(List.of(entries.get(i).strip().split(":", -1)));
            boolean service = true;
            if (parts.size() > 1 && (parts.get(0).equals("service") || parts.get(0).equals("container"))) {
                service = parts.remove(0).equals("service");
            }
            String mode = parts.size() > 1 ? parts.get(1) : "rw";
            if (parts.size() > 2 || parts.get(0).isEmpty() || !Set.of("ro", "rw").contains(mode)) {
                throw src.error(item, itemPath, "expected SERVICE[:ro|rw], service:NAME[:ro|rw] or"
                        + " container:NAME[:ro|rw], found \"" + entries.get(i) + "\"");
            }
            if (service && !serviceNames.contains(parts.get(0))) {
                throw src.error(item, itemPath, "service \"" + parts.get(0) + "\" is not defined (services: "
                        + String.join(", ", serviceNames) + "); write container:NAME for a container of another stack");
            }
            result.add(new ServiceOptions.VolumesFrom(parts.get(0), service, mode.equals("ro")));
        }
        return result;
    }

    private ServiceOptions.Blkio blkio(YamlNode node, String path) {
        YamlNode.Mapping m = src.optionalMapping(node, path);
        if (m == null) {
            return null;
        }
        src.checkKeys(m, path, Set.of("weight", "weight_device", "device_read_bps", "device_write_bps",
                "device_read_iops", "device_write_iops"), Set.of());
        List<ServiceOptions.WeightDevice> weights = new ArrayList<>();
        for (YamlNode.Mapping d : devicesOf(m.get("weight_device"), path + ".weight_device", "weight")) {
            weights.add(new ServiceOptions.WeightDevice(src.required(d, "path", path + ".weight_device.path"),
                    range(d.get("weight"), path + ".weight_device.weight", 10, 1000)));
        }
        return new ServiceOptions.Blkio(range(m.get("weight"), path + ".weight", 10, 1000), weights,
                throttles(m.get("device_read_bps"), path + ".device_read_bps", true),
                throttles(m.get("device_write_bps"), path + ".device_write_bps", true),
                throttles(m.get("device_read_iops"), path + ".device_read_iops", false),
                throttles(m.get("device_write_iops"), path + ".device_write_iops", false));
    }

    private List<YamlNode.Mapping> devicesOf(YamlNode node, String path, String valueKey) {
        List<YamlNode.Mapping> result = new ArrayList<>();
        if (Source.isNull(node)) {
            return result;
        }
        List<YamlNode> items = src.sequence(node, path, "e.g. - {path: /dev/sda, " + valueKey + ": ...}").items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode.Mapping d = src.mapping(items.get(i), path + "[" + i + "]");
            src.checkKeys(d, path + "[" + i + "]", Set.of("path", valueKey), Set.of());
            if (Source.isNull(d.get(valueKey))) {
                throw src.error(d, path + "[" + i + "]", "needs path: and " + valueKey + ":");
            }
            result.add(d);
        }
        return result;
    }

    /** {@code - {path, rate}}; a {@code _bps} rate is a size ({@code 1mb}, bytes per second). */
    private List<ServiceOptions.Throttle> throttles(YamlNode node, String path, boolean bytes) {
        List<ServiceOptions.Throttle> result = new ArrayList<>();
        for (YamlNode.Mapping d : devicesOf(node, path, "rate")) {
            String device = src.required(d, "path", path + ".path");
            Long rate = bytes ? size(d.get("rate"), path + ".rate", false) : whole(d.get("rate"), path + ".rate");
            result.add(new ServiceOptions.Throttle(device, rate));
        }
        return result;
    }

    /** {@code gpus: all} or a list, then {@code deploy.resources.reservations.devices}, as Compose v2 sends them. */
    private List<ServiceOptions.DeviceRequest> deviceRequests(YamlNode.Mapping m, String p) {
        List<ServiceOptions.DeviceRequest> result = new ArrayList<>();
        YamlNode gpus = m.get("gpus");
        if (gpus instanceof YamlNode.Scalar && !Source.isNull(gpus)) {
            String value = src.text(gpus, p + ".gpus");
            if (!"all".equals(value)) {
                throw src.error(gpus, p + ".gpus", "expected all or a list of {driver, count, device_ids, capabilities}");
            }
            result.add(new ServiceOptions.DeviceRequest(null, -1, List.of(), List.of("gpu"), Map.of()));
        } else if (!Source.isNull(gpus)) {
            List<YamlNode> items = src.sequence(gpus, p + ".gpus", "e.g. - {driver: nvidia, count: 1}").items();
            for (int i = 0; i < items.size(); i++) {
                ServiceOptions.DeviceRequest r = deviceRequest(items.get(i), p + ".gpus[" + i + "]");
                List<String> caps = new ArrayList<>(r.capabilities());
                if (!caps.contains("gpu")) {
                    caps.add("gpu"); // Compose v2: a gpus entry always asks for the gpu capability
                }
                result.add(new ServiceOptions.DeviceRequest(r.driver(), r.count(), r.deviceIds(), caps, r.options()));
            }
        }
        YamlNode.Mapping deploy = m.get("deploy") instanceof YamlNode.Mapping d ? d : null;
        YamlNode.Mapping resources = deploy != null && deploy.get("resources") instanceof YamlNode.Mapping r ? r : null;
        YamlNode.Mapping reservations = resources != null
                && resources.get("reservations") instanceof YamlNode.Mapping r ? r : null;
        YamlNode devices = reservations == null ? null : reservations.get("devices");
        if (!Source.isNull(devices)) {
            String path = p + ".deploy.resources.reservations.devices";
            List<YamlNode> items = src.sequence(devices, path, "e.g. - {capabilities: [gpu], count: 1}").items();
            for (int i = 0; i < items.size(); i++) {
                ServiceOptions.DeviceRequest r = deviceRequest(items.get(i), path + "[" + i + "]");
                if (r.capabilities().isEmpty()) {
                    throw src.error(items.get(i), path + "[" + i + "]", "needs capabilities: (e.g. [gpu])");
                }
                result.add(r);
            }
        }
        return result;
    }

    private ServiceOptions.DeviceRequest deviceRequest(YamlNode node, String path) {
        YamlNode.Mapping d = src.mapping(node, path);
        src.checkKeys(d, path, Set.of("driver", "count", "device_ids", "capabilities", "options"), Set.of());
        Integer count = null;
        String c = src.text(d.get("count"), path + ".count");
        if ("all".equals(c)) {
            count = -1;
        } else if (c != null) {
            count = range(d.get("count"), path + ".count", 0, Integer.MAX_VALUE);
        }
        List<String> ids = list(d.get("device_ids"), path + ".device_ids");
        if (count != null && !ids.isEmpty()) {
            throw src.error(d, path, "count and device_ids cannot be used together (Compose refuses it too)");
        }
        return new ServiceOptions.DeviceRequest(src.text(d.get("driver"), path + ".driver"), count, ids,
                list(d.get("capabilities"), path + ".capabilities"),
                src.keyValues(d.get("options"), path + ".options", k -> ""));
    }

    private java.time.Duration startInterval(YamlNode node, String path) {
        return node instanceof YamlNode.Mapping h ? src.duration(h.get("start_interval"), path + ".start_interval")
                : null;
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
        BigDecimal cpus = new BigDecimal(value.strip());
        if (cpus.compareTo(MAX_CPUS) > 0) { // the engine takes billionths of a CPU in 64 bits
            throw src.error(node, path, value.strip() + " CPUs is more than the engine can be asked for");
        }
        return cpus;
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
                host = src.required(d, "source", itemPath + ".source");
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

    /** {@code host}, {@code container:NAME}, {@code service:NAME} (resolved to that service's container). */
    private String namespace(YamlNode node, String path) {
        String value = src.text(node, path);
        if (value != null && value.startsWith("service:")) {
            return serviceRef(node, path, value);
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

    /** The swarm's {@code deploy:} keys: the mapped ones silently (SwarmDeployParser), the others warned. */
    private void checkSwarmKeys(YamlNode.Mapping m, String path) {
        src.checkKeys(m, path, SWARM_DEPLOY, Set.of());
        if (m.get("restart_policy") instanceof YamlNode.Mapping rp) {
            src.checkKeys(rp, path + ".restart_policy", Set.of("condition", "delay", "max_attempts", "window"),
                    Set.of());
        }
        if (m.get("placement") instanceof YamlNode.Mapping placement) {
            src.checkKeys(placement, path + ".placement", Set.of("constraints"),
                    Set.of("preferences", "max_replicas_per_node"));
        }
        for (String policy : List.of("update_config", "rollback_config")) {
            if (m.get(policy) instanceof YamlNode.Mapping pm) {
                src.checkKeys(pm, path + "." + policy, SWARM_POLICY, Set.of());
            }
        }
    }

    /** The keys of {@code deploy:} a swarm deploy applies (SwarmDeployParser, SwarmSpecs). */
    static final Set<String> SWARM_DEPLOY = Set.of("resources", "replicas", "mode", "placement", "update_config",
            "rollback_config", "endpoint_mode", "restart_policy", "labels");
    private static final Set<String> SWARM_POLICY = Set.of("parallelism", "delay", "failure_action", "monitor",
            "max_failure_ratio", "order");

    private Resources deploy(YamlNode node, String path) {
        YamlNode.Mapping m = src.optionalMapping(node, path);
        if (m == null) {
            return Resources.NONE;
        }
        if (swarm) {
            checkSwarmKeys(m, path);
        } else {
            // restart_policy is the container's restart policy on one engine (ServiceParser reads it)
            src.checkKeys(m, path, Set.of("resources", "replicas", "restart_policy"), Set.of("mode", "labels",
                    "placement", "update_config", "rollback_config", "endpoint_mode"));
        }
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
            src.checkKeys(reservations, rp + ".reservations", Set.of("memory", "devices"),
                    Set.of("cpus", "generic_resources", "pids"));
            reserved = size(reservations.get("memory"), rp + ".reservations.memory", false);
        }
        return new Resources(cpus, memory, pids, reserved);
    }
}
