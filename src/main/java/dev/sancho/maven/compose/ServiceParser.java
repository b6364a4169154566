package dev.sancho.maven.compose;

import dev.sancho.maven.common.DockerNames;
import dev.sancho.maven.compose.Service.BuildDef;
import dev.sancho.maven.compose.Service.Healthcheck;
import dev.sancho.maven.compose.Service.Mount;
import dev.sancho.maven.compose.Service.PortMapping;
import dev.sancho.maven.compose.Service.ServiceNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one entry under {@code services:} into a {@link Service}. */
final class ServiceParser {


    static final Set<String> SUPPORTED = union(Set.of("image", "build", "container_name", "command", "entrypoint",
            "environment", "env_file", "ports", "volumes", "networks", "labels", "healthcheck", "restart",
            "depends_on", "user", "working_dir", "hostname", "extra_hosts", "stop_signal", "stop_grace_period",
            "pull_policy"),
            ServiceOptionsParser.KEYS);

    /** Keys of the Compose Specification that sancho does not apply. */
    static final Set<String> NOT_HONOURED = Set.of("annotations", "attach", "configs",
            "cpu_count", "cpu_percent", "cpu_rt_period", "cpu_rt_runtime", "credential_spec", "develop",
            "driver_opts", "isolation", "label_file", "models", "post_start", "pre_stop", "provider",
            "secrets", "use_api_socket");

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static final Pattern RESTART = Pattern.compile("no|always|unless-stopped|on-failure(:\\d+)?");
    private static final Set<String> CONDITIONS =
            Set.of("service_started", "service_healthy", "service_completed_successfully");
    private static final List<String> PROPAGATIONS = List.of("private", "rprivate", "shared", "rshared", "slave",
            "rslave");
    private static final Set<String> MOUNT_MODES = Set.of("ro", "rw", "z", "Z", "shared", "rshared", "slave",
            "rslave", "private", "rprivate", "nocopy", "consistent", "cached", "delegated");
    private static final Pattern PORT = Pattern.compile("\\d+(-\\d+)?");

    private final Source src;
    private final boolean swarm;
    private final Set<String> serviceNames;
    private final Set<String> volumeKeys;
    private final Set<String> networkKeys;

    /** Top-level secrets/configs, or null when the caller does not read them (service keys are then warned). */
    private final Map<String, FileDefs.FileDef> secretDefs;
    private final Map<String, FileDefs.FileDef> configDefs;

    ServiceParser(Source src, Set<String> serviceNames, Set<String> volumeKeys, Set<String> networkKeys) {
        this(src, serviceNames, volumeKeys, networkKeys, null, null);
    }

    /** @param secretDefs the file's top-level {@code secrets:} ({@link FileDefs#parse}), likewise configDefs */
    ServiceParser(Source src, Set<String> serviceNames, Set<String> volumeKeys, Set<String> networkKeys,
            Map<String, FileDefs.FileDef> secretDefs, Map<String, FileDefs.FileDef> configDefs) {
        this(src, serviceNames, volumeKeys, networkKeys, secretDefs, configDefs, false);
    }

    /** @param swarm {@code <target>swarm</target>}: the swarm-only {@code deploy:} keys sancho maps are not warned */
    ServiceParser(Source src, Set<String> serviceNames, Set<String> volumeKeys, Set<String> networkKeys,
            Map<String, FileDefs.FileDef> secretDefs, Map<String, FileDefs.FileDef> configDefs, boolean swarm) {
        this.swarm = swarm;
        this.src = src;
        this.serviceNames = serviceNames;
        this.volumeKeys = volumeKeys;
        this.networkKeys = networkKeys;
        this.secretDefs = secretDefs;
        this.configDefs = configDefs;
    }

    Service parse(YamlNode.Entry entry) {
        String name = entry.key();
        String p = "services." + name;
        if (!DockerNames.isValid(name)) {
            throw src.error(entry.line(), p, "a service name must match " + DockerNames.RULE);
        }
        YamlNode.Mapping m = src.mapping(entry.value(), p);
        if (secretDefs == null) {
            src.checkKeys(m, p, SUPPORTED, NOT_HONOURED);
        } else {
            src.checkKeys(m, p, union(SUPPORTED, Set.of("secrets", "configs")), NOT_HONOURED);
        }

        String image = src.text(m.get("image"), p + ".image");
        BuildDef build = build(m.get("build"), p + ".build");
        if (build == null && (image == null || image.isBlank())) {
            throw src.error(entry.line(), p, "has no image: and no build: (add image: name:tag, or build: ./dir)");
        }
        Map<String, String> environment = new LinkedHashMap<>(envFiles(m.get("env_file"), p + ".env_file"));
        environment.putAll(src.keyValues(m.get("environment"), p + ".environment", src::variable));
        ServiceOptions options = new ServiceOptionsParser(src, serviceNames, swarm).parse(m, p,
                files(m.get("secrets"), p + ".secrets", secretDefs, "secrets", "/run/secrets/"),
                files(m.get("configs"), p + ".configs", configDefs, "configs", "/"));
        // like Compose, a service whose namespaces, links or volumes come from another one starts after it
        Map<String, String> dependsOn = dependsOn(m.get("depends_on"), p + ".depends_on");
        ServiceOptionsParser.impliedDependencies(options).forEach(d -> dependsOn.putIfAbsent(d, "service_started"));

        return new Service(name, entry.line(), image, build,
                src.text(m.get("container_name"), p + ".container_name"),
                command(m.get("command"), p + ".command"),
                command(m.get("entrypoint"), p + ".entrypoint"),
                environment,
                ports(m.get("ports"), p + ".ports"),
                mounts(m.get("volumes"), p + ".volumes"),
                networks(m.get("networks"), p + ".networks"),
                src.keyValues(m.get("labels"), p + ".labels", k -> ""),
                healthcheck(m.get("healthcheck"), p + ".healthcheck"),
                restart(m, p),
                dependsOn,
                src.text(m.get("user"), p + ".user"),
                src.text(m.get("working_dir"), p + ".working_dir"),
                src.text(m.get("hostname"), p + ".hostname"),
                extraHosts(m.get("extra_hosts"), p + ".extra_hosts"),
                src.text(m.get("stop_signal"), p + ".stop_signal"),
                src.duration(m.get("stop_grace_period"), p + ".stop_grace_period"),
                src.raw(m.get("container_name"), p + ".container_name"),
                keyLines(m),
                options,
                pullPolicy(m.get("pull_policy"), p + ".pull_policy", build),
                new BackupDefParser(src).parse(m, p, environment));
    }

    private PullPolicy pullPolicy(YamlNode node, String path, BuildDef build) {
        String text = src.text(node, path);
        if (text == null || text.isBlank()) {
            return PullPolicy.MISSING;
        }
        PullPolicy policy = PullPolicy.parse(text);
        if (policy == null) {
            throw src.error(node, path, "unknown pull policy \"" + text + "\": use always, missing (if_not_present),"
                    + " never, build, daily, weekly or every_<duration> (e.g. every_12h)");
        }
        if (policy.kind() == PullPolicy.Kind.BUILD && build == null) {
            throw src.error(node, path, "is build, but the service has no build: section to build the image from");
        }
        return policy;
    }

    /**
     * A service's {@code secrets:} or {@code configs:}: {@code - name} or {@code - {source, target}}; a relative
     * target is below {@code base} ({@code /run/secrets/} for secrets, {@code /} for configs), as in Compose.
     */
    private List<ServiceOptions.FileMount> files(YamlNode node, String path, Map<String, FileDefs.FileDef> defs,
            String section, String base) {
        List<ServiceOptions.FileMount> result = new ArrayList<>();
        if (defs == null || Source.isNull(node)) {
            return result;
        }
        List<YamlNode> items = src.sequence(node, path, "e.g. - db_password").items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemPath = path + "[" + i + "]";
            String name;
            String target = null;
            YamlNode.Mapping f = item instanceof YamlNode.Mapping m ? m : null;
            if (f != null) {
                src.checkKeys(f, itemPath, Set.of("source", "target", "uid", "gid", "mode"), Set.of());
                name = src.required(f, "source", itemPath + ".source");
                target = src.text(f.get("target"), itemPath + ".target");
            } else {
                name = src.required(item, itemPath);
            }
            FileDefs.FileDef def = defs.get(name);
            if (def == null) {
                throw src.error(item, itemPath, section.substring(0, section.length() - 1) + " \"" + name
                        + "\" is not declared under the top-level " + section + ":");
            }
            if (def.problem() != null) {
                throw def.problem();
            }
            target = target == null || target.isBlank() ? base + name
                    : target.startsWith("/") ? target : base + target;
            if (swarm) { // the swarm copies every source into the task's container: owner and mode apply to all
                result.add(new ServiceOptions.FileMount(name, def.file(), target, item.line(), def.content(),
                        f == null ? null : mode(f.get("mode"), itemPath + ".mode"),
                        f == null ? null : src.integer(f.get("uid"), itemPath + ".uid"),
                        f == null ? null : src.integer(f.get("gid"), itemPath + ".gid"), def.external()));
            } else if (def.content() == null) {
                // a bind mount keeps the host file's owner and mode: Compose applies neither on a single engine
                for (String k : List.of("uid", "gid", "mode")) {
                    if (f != null && f.get(k) != null) {
                        src.notApplied(f.get(k), itemPath + "." + k, k + " does not apply to a file: source (the"
                                + " host file is bind-mounted as it is)");
                    }
                }
                result.add(new ServiceOptions.FileMount(name, def.file(), target, item.line()));
            } else {
                result.add(new ServiceOptions.FileMount(name, null, target, item.line(), def.content(),
                        f == null ? null : mode(f.get("mode"), itemPath + ".mode"),
                        f == null ? null : src.integer(f.get("uid"), itemPath + ".uid"),
                        f == null ? null : src.integer(f.get("gid"), itemPath + ".gid")));
            }
        }
        return result;
    }

    /** A file mode as YAML writes it: {@code 0440} or {@code 0o440} is octal (as Compose reads it), else decimal. */
    private Integer mode(YamlNode node, String path) {
        String value = src.text(node, path);
        if (value == null) {
            return null;
        }
        String v = value.strip();
        try {
            int mode = v.startsWith("0o") ? Integer.parseInt(v.substring(2), 8)
                    : v.length() > 1 && v.startsWith("0") ? Integer.parseInt(v.substring(1), 8) : Integer.parseInt(v);
            if (mode < 0 || mode > 07777) {
                throw new NumberFormatException();
            }
            return mode;
        } catch (NumberFormatException e) {
            throw src.error(node, path, "expected a file mode such as 0440, found \"" + value + "\"");
        }
    }

    /** Lines of the service's keys and of the keys and scalar items one level below them. */
    private static Map<String, Integer> keyLines(YamlNode.Mapping m) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (YamlNode.Entry e : m.entries()) {
            lines.put(e.key(), e.line());
            if (e.value() instanceof YamlNode.Mapping sub) {
                sub.entries().forEach(se -> lines.putIfAbsent(e.key() + "." + se.key(), se.line()));
            } else if (e.value() instanceof YamlNode.Sequence seq) {
                seq.items().forEach(item -> {
                    if (item instanceof YamlNode.Scalar sc && sc.value() != null) {
                        lines.putIfAbsent(e.key() + "." + sc.value(), sc.line());
                    }
                });
            }
        }
        return lines;
    }

    /** A string is split into words like Compose does; a list is taken as is; "" clears (entrypoint: ""). */
    private List<String> command(YamlNode node, String path) {
        if (Source.isNull(node)) {
            return null;
        }
        if (node instanceof YamlNode.Scalar) {
            try {
                return ShellWords.split(src.text(node, path));
            } catch (IllegalArgumentException e) {
                throw src.error(node, path, e.getMessage());
            }
        }
        return src.strings(node, path);
    }

    private BuildDef build(YamlNode node, String path) {
        if (Source.isNull(node)) {
            return null;
        }
        if (node instanceof YamlNode.Scalar) {
            return new BuildDef(context(node, path, src.required(node, path)), null, Map.of(), null, Map.of(), null, List.of(), null);
        }
        YamlNode.Mapping m = src.mapping(node, path);
        src.checkKeys(m, path, Set.of("context", "dockerfile", "args", "target", "labels", "network", "extra_hosts",
                "shm_size"), Set.of("additional_contexts", "cache_from", "cache_to", "dockerfile_inline",
                "entitlements", "isolation", "no_cache", "platforms", "privileged", "pull", "secrets", "ssh", "tags",
                "ulimits"));
        String context = src.text(m.get("context"), path + ".context");
        return new BuildDef(context(m.get("context"), path + ".context", context == null ? "." : context), src.text(m.get("dockerfile"), path + ".dockerfile"),
                // an arg without value takes the project's variable (environment, .env, ...), as in Compose
                src.keyValues(m.get("args"), path + ".args", src::variable), src.text(m.get("target"), path + ".target"),
                src.keyValues(m.get("labels"), path + ".labels", k -> ""), src.text(m.get("network"), path + ".network"),
                extraHosts(m.get("extra_hosts"), path + ".extra_hosts"), shmSize(m.get("shm_size"), path + ".shm_size"));
    }

    /** {@code build.shm_size} as written, once it is known to be a size the engine can be given. */
    private String shmSize(YamlNode node, String path) {
        String value = src.text(node, path);
        if (value != null && !value.isBlank()) {
            try {
                ByteSize.parse(value);
            } catch (IllegalArgumentException e) {
                throw src.error(node, path, e.getMessage());
            }
        }
        return value;
    }

    private String context(YamlNode node, String path, String context) {
        if (context.contains("://") || context.startsWith("git@")) {
            throw src.error(node, path, "remote build contexts are not supported; check " + context
                    + " out and give its local directory");
        }
        return hostPath(context);
    }

    /** env_file values; each entry is a path or {path, required}. Paths resolve against the compose directory. */
    private Map<String, String> envFiles(YamlNode node, String path) {
        Map<String, String> result = new LinkedHashMap<>();
        if (Source.isNull(node)) {
            return result;
        }
        List<YamlNode> items = node instanceof YamlNode.Sequence s ? s.items() : List.of(node);
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemPath = node instanceof YamlNode.Sequence ? path + "[" + i + "]" : path;
            String file;
            boolean required = true;
            if (item instanceof YamlNode.Mapping m) {
                src.checkKeys(m, itemPath, Set.of("path", "required", "format"), Set.of());
                file = src.required(m, "path", itemPath + ".path");
                required = src.bool(m.get("required"), itemPath + ".required", true);
            } else {
                file = src.required(item, itemPath);
            }
            Path resolved = src.dir.resolve(file).normalize();
            if (!Files.isRegularFile(resolved)) {
                if (required) {
                    throw src.error(item, itemPath, resolved + " does not exist (set required: false if it is optional)");
                }
                continue;
            }
            try {
                String text = Files.readString(resolved, StandardCharsets.UTF_8);
                result.putAll(DotEnv.parse(text, file, src.variables()));
            } catch (IOException e) {
                throw src.error(item, itemPath, "cannot read " + resolved + ": " + e.getMessage());
            }
        }
        return result;
    }

    private List<PortMapping> ports(YamlNode node, String path) {
        List<PortMapping> result = new ArrayList<>();
        if (Source.isNull(node)) {
            return result;
        }
        List<YamlNode> items = src.sequence(node, path, "e.g. - \"8080:80\"").items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemPath = path + "[" + i + "]";
            result.add(item instanceof YamlNode.Mapping m ? longPort(m, itemPath) : shortPort(item, itemPath));
        }
        return result;
    }

    /** {@code [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]}; IPv6 host IPs in brackets; ports may be ranges. */
    private PortMapping shortPort(YamlNode node, String path) {
        String spec = src.required(node, path).strip();
        String protocol = "tcp";
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            protocol = spec.substring(slash + 1);
            spec = spec.substring(0, slash);
        }
        String hostIp = null;
        if (spec.startsWith("[")) {
            int close = spec.indexOf("]:");
            if (close < 0) {
                throw src.error(node, path, "invalid port \"" + spec + "\": expected [IPv6]:HOST_PORT:CONTAINER_PORT");
            }
            hostIp = spec.substring(1, close);
            spec = spec.substring(close + 2);
            if (!spec.contains(":")) {
                throw src.error(node, path, "invalid port: expected [IPv6]:HOST_PORT:CONTAINER_PORT");
            }
        }
        String[] parts = spec.split(":", -1);
        String hostPort;
        String containerPort;
        switch (parts.length) {
            case 1 -> {
                hostPort = null;
                containerPort = parts[0];
            }
            case 2 -> {
                hostPort = parts[0];
                containerPort = parts[1];
            }
            case 3 -> {
                if (hostIp != null) {
                    throw src.error(node, path, "invalid port \"" + spec + "\": too many ':'");
                }
                hostIp = parts[0];
                hostPort = parts[1];
                containerPort = parts[2];
            }
            default -> throw src.error(node, path, "invalid port \"" + spec
                    + "\": expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. 127.0.0.1:8080:80/tcp");
        }
        return port(node, path, blankToNull(hostIp), blankToNull(hostPort), containerPort, protocol);
    }

    private PortMapping longPort(YamlNode.Mapping m, String path) {
        src.checkKeys(m, path, Set.of("target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"),
                Set.of());
        String target = src.text(m.get("target"), path + ".target");
        if (target == null) {
            throw src.error(m, path, "a port in long syntax needs target: (the container port)");
        }
        String protocol = src.text(m.get("protocol"), path + ".protocol");
        return port(m, path, blankToNull(src.text(m.get("host_ip"), path + ".host_ip")),
                blankToNull(src.text(m.get("published"), path + ".published")), target,
                protocol == null ? "tcp" : protocol);
    }

    private PortMapping port(YamlNode node, String path, String hostIp, String hostPort, String containerPort,
            String protocol) {
        checkPort(node, path, containerPort, "container port");
        if (hostPort != null) {
            checkPort(node, path, hostPort, "host port");
        }
        if (!Set.of("tcp", "udp", "sctp").contains(protocol)) {
            throw src.error(node, path, "unknown protocol \"" + protocol + "\": use tcp, udp or sctp");
        }
        return new PortMapping(hostIp, hostPort, containerPort, protocol);
    }

    private void checkPort(YamlNode node, String path, String port, String what) {
        Matcher m = PORT.matcher(port);
        if (!m.matches()) {
            throw src.error(node, path, what + " \"" + port + "\" is not a port number or range (8080, 8000-8010)");
        }
        String[] ends = port.split("-");
        long low = ends[0].length() > 6 ? Long.MAX_VALUE : Long.parseLong(ends[0]);
        long high = ends[ends.length - 1].length() > 6 ? Long.MAX_VALUE : Long.parseLong(ends[ends.length - 1]);
        if (low < 1 || high > 65535 || low > high) {
            throw src.error(node, path, what + " \"" + port + "\" is out of range: ports are 1-65535, ranges low-high");
        }
    }

    private List<Mount> mounts(YamlNode node, String path) {
        List<Mount> result = new ArrayList<>();
        if (Source.isNull(node)) {
            return result;
        }
        List<YamlNode> items = src.sequence(node, path, "e.g. - data:/var/lib/data").items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemPath = path + "[" + i + "]";
            result.add(item instanceof YamlNode.Mapping m ? longMount(m, itemPath) : shortMount(item, itemPath));
        }
        return result;
    }

    /**
     * {@code [SOURCE:]TARGET[:MODE]}; a source starting with / . or ~ is a host path, else a named volume. MODE is
     * a comma-separated list of {@code ro}, {@code rw}, {@code z}, {@code Z}, {@code nocopy}, a propagation mode and
     * the (macOS-only) consistency words, as compose-go's ParseVolume reads it; a host path is created when missing
     * ({@code create_host_path}), as Compose does for the short syntax.
     */
    private Mount shortMount(YamlNode node, String path) {
        String spec = src.required(node, path);
        String[] parts = spec.split(":", -1);
        String source;
        String target;
        String mode = "";
        if (parts.length == 1) {
            source = null;
            target = parts[0];
        } else if (parts.length == 2 && parts[0].startsWith("/") && isMode(parts[1])) {
            source = null;
            target = parts[0];
            mode = parts[1];
        } else if (parts.length == 2 || parts.length == 3) {
            source = parts[0];
            target = parts[1];
            mode = parts.length == 3 ? parts[2] : "";
        } else {
            throw src.error(node, path, "invalid volume \"" + spec + "\": expected SOURCE:TARGET[:MODE]");
        }
        if (!mode.isEmpty() && !isMode(mode)) {
            throw src.error(node, path, "unknown volume mode \"" + mode + "\": use ro or rw, optionally with z, Z,"
                    + " nocopy or a propagation mode (" + String.join(", ", PROPAGATIONS) + ")");
        }
        List<String> flags = List.of(mode.split(","));
        boolean readOnly = false;
        for (String f : flags) { // the last of ro/rw wins, as in compose-go
            readOnly = f.equals("ro") || (readOnly && !f.equals("rw"));
        }
        String selinux = flags.contains("Z") ? "Z" : flags.contains("z") ? "z" : null;
        String propagation = flags.stream().filter(PROPAGATIONS::contains).reduce((a, b) -> b).orElse(null);
        boolean noCopy = flags.contains("nocopy");
        checkTarget(node, path, target);
        boolean bind = source != null && isHostPath(source);
        if (noCopy && bind) {
            src.notApplied(node, path, "nocopy applies to volumes, not to the bind mount of a host path; ignored");
        }
        if (propagation != null && !bind) {
            src.notApplied(node, path, propagation + " (propagation) applies to the bind mount of a host path, not"
                    + " to a volume; ignored");
        }
        Service.MountOptions options = new Service.MountOptions(bind ? propagation : null, selinux, bind,
                !bind && noCopy, null, null, null);
        if (source == null) {
            return new Mount("volume", null, target, readOnly, options);
        }
        if (source.isEmpty()) {
            throw src.error(node, path, "invalid volume \"" + spec + "\": the source before ':' is empty");
        }
        if (bind) {
            return new Mount("bind", hostPath(source), target, readOnly, options);
        }
        return new Mount("volume", namedVolume(node, path, source), target, readOnly, options);
    }

    /**
     * The long syntax, with the sub-keys of its type: {@code bind} (propagation, create_host_path, selinux),
     * {@code volume} (nocopy, subpath), {@code tmpfs} (size, mode). A sub-key sancho does not apply is warned like
     * any key (a build error with sancho.strict), and so are the options of another type, which Compose ignores.
     */
    private Mount longMount(YamlNode.Mapping m, String path) {
        src.checkKeys(m, path, Set.of("type", "source", "target", "read_only", "bind", "volume", "tmpfs",
                "consistency"), Set.of("image"));
        String type = src.text(m.get("type"), path + ".type");
        if (type == null || !Set.of("volume", "bind", "tmpfs").contains(type)) {
            throw src.error(m, path, "a volume in long syntax needs type: volume, bind or tmpfs"
                    + (type == null ? "" : " (found \"" + type + "\")"));
        }
        String target = src.text(m.get("target"), path + ".target");
        checkTarget(m, path + ".target", target);
        String source = src.text(m.get("source"), path + ".source");
        boolean readOnly = src.bool(m.get("read_only"), path + ".read_only", false);
        source = switch (type) {
            case "bind" -> hostPath(requireSource(m, path, source));
            case "volume" -> source == null || source.isEmpty() ? null : namedVolume(m, path + ".source", source);
            default -> null;
        };
        for (String other : List.of("bind", "volume", "tmpfs")) {
            if (!other.equals(type) && m.get(other) != null) {
                src.notApplied(m.entries().stream().filter(e -> e.key().equals(other)).findFirst().orElseThrow(),
                        path + "." + other, "applies to type: " + other + ", this mount is type: " + type
                                + "; ignored (as Compose does)");
            }
        }
        String propagation = null;
        String selinux = null;
        boolean createHostPath = false;
        boolean noCopy = false;
        String subpath = null;
        Long size = null;
        Integer mode = null;
        switch (type) {
            case "bind" -> {
                YamlNode.Mapping b = src.optionalMapping(m.get("bind"), path + ".bind");
                if (b != null) {
                    src.checkKeys(b, path + ".bind", Set.of("propagation", "create_host_path", "selinux"),
                            Set.of("recursive"));
                    propagation = oneOf(b.get("propagation"), path + ".bind.propagation", PROPAGATIONS);
                    selinux = oneOf(b.get("selinux"), path + ".bind.selinux", List.of("z", "Z"));
                    createHostPath = src.bool(b.get("create_host_path"), path + ".bind.create_host_path", false);
                }
            }
            case "volume" -> {
                YamlNode.Mapping v = src.optionalMapping(m.get("volume"), path + ".volume");
                if (v != null) {
                    src.checkKeys(v, path + ".volume", Set.of("nocopy", "subpath"), Set.of("labels"));
                    noCopy = src.bool(v.get("nocopy"), path + ".volume.nocopy", false);
                    subpath = subpath(v.get("subpath"), path + ".volume.subpath", source);
                }
            }
            default -> {
                YamlNode.Mapping t = src.optionalMapping(m.get("tmpfs"), path + ".tmpfs");
                if (t != null) {
                    src.checkKeys(t, path + ".tmpfs", Set.of("size", "mode"), Set.of());
                    size = tmpfsSize(t.get("size"), path + ".tmpfs.size");
                    mode = mode(t.get("mode"), path + ".tmpfs.mode");
                }
            }
        }
        return new Mount(type, source, target, readOnly, new Service.MountOptions(propagation, selinux,
                createHostPath, noCopy, subpath, size, mode));
    }

    private String oneOf(YamlNode node, String path, List<String> allowed) {
        String value = src.text(node, path);
        if (value != null && !allowed.contains(value)) {
            throw src.error(node, path, "\"" + value + "\" is not one of " + String.join(", ", allowed));
        }
        return value;
    }

    /** A relative path inside the volume, which never leaves it (the engine refuses that too, but later). */
    private String subpath(YamlNode node, String path, String volume) {
        String value = src.text(node, path);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (volume == null) {
            throw src.error(node, path, "needs a named volume (source:): an anonymous volume is empty, it has no"
                    + " sub-directory to mount");
        }
        if (value.startsWith("/") || List.of(value.split("/")).contains("..")) {
            throw src.error(node, path, "\"" + value + "\" must be a relative path inside the volume, without ..");
        }
        return value;
    }

    private Long tmpfsSize(YamlNode node, String path) {
        String value = src.text(node, path);
        if (value == null) {
            return null;
        }
        try {
            return ByteSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw src.error(node, path, e.getMessage());
        }
    }

    private String requireSource(YamlNode node, String path, String source) {
        if (source == null || source.isEmpty()) {
            throw src.error(node, path, "a bind mount needs source: (a host path)");
        }
        return source;
    }

    private void checkTarget(YamlNode node, String path, String target) {
        if (target == null || !target.startsWith("/")) {
            throw src.error(node, path, "the mount target must be an absolute path in the container, found "
                    + (target == null ? "none" : "\"" + target + "\""));
        }
    }

    private String namedVolume(YamlNode node, String path, String key) {
        if (!volumeKeys.contains(key)) {
            throw src.error(node, path, "volume \"" + key + "\" is not declared under the top-level volumes:"
                    + " (add it there, or write ./" + key + " for a directory next to the compose file)");
        }
        return key;
    }

    private static boolean isMode(String mode) {
        return !mode.isEmpty() && MOUNT_MODES.containsAll(List.of(mode.split(",", -1)));
    }

    private static boolean isHostPath(String source) {
        return source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
    }

    private String hostPath(String source) {
        return src.hostPath(source).toString();
    }

    private Map<String, ServiceNetwork> networks(YamlNode node, String path) {
        Map<String, ServiceNetwork> result = new LinkedHashMap<>();
        if (Source.isNull(node)) {
            return result;
        }
        if (node instanceof YamlNode.Sequence s) {
            for (int i = 0; i < s.items().size(); i++) {
                YamlNode item = s.items().get(i);
                result.put(network(item, path + "[" + i + "]", src.required(item, path + "[" + i + "]")),
                        new ServiceNetwork(List.of()));
            }
            return result;
        }
        YamlNode.Mapping m = src.mapping(node, path);
        for (YamlNode.Entry e : m.entries()) {
            String itemPath = path + "." + e.key();
            network(e.value(), itemPath, e.key());
            YamlNode.Mapping options = src.optionalMapping(e.value(), itemPath);
            List<String> aliases = List.of();
            String ipv4 = null;
            String ipv6 = null;
            int priority = 0;
            if (options != null) {
                src.checkKeys(options, itemPath, Set.of("aliases", "ipv4_address", "ipv6_address", "priority"),
                        Set.of("link_local_ips", "mac_address", "driver_opts", "gw_priority", "interface_name"));
                List<String> list = src.stringOrList(options.get("aliases"), itemPath + ".aliases");
                aliases = list == null ? List.of() : list;
                ipv4 = address(options.get("ipv4_address"), itemPath + ".ipv4_address", false);
                ipv6 = address(options.get("ipv6_address"), itemPath + ".ipv6_address", true);
                Integer p = src.integer(options.get("priority"), itemPath + ".priority");
                priority = p == null ? 0 : p;
            }
            result.put(e.key(), new ServiceNetwork(aliases, ipv4, ipv6, priority));
        }
        return result;
    }

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** An address without prefix length, as the engine takes it for a container's endpoint. */
    private String address(YamlNode node, String path, boolean v6) {
        String value = src.text(node, path);
        if (value == null) {
            return null;
        }
        value = value.strip();
        boolean ok;
        if (v6) {
            ok = value.contains(":") && value.matches("[0-9a-fA-F:.]+");
        } else {
            Matcher m = IPV4.matcher(value);
            ok = m.matches();
            for (int i = 1; ok && i <= 4; i++) {
                ok = Integer.parseInt(m.group(i)) <= 255;
            }
        }
        if (!ok) {
            throw src.error(node, path, "\"" + value + "\" is not an " + (v6 ? "IPv6" : "IPv4")
                    + " address (e.g. " + (v6 ? "2001:db8::10" : "172.28.0.10") + ", without /prefix)");
        }
        return value;
    }

    private String network(YamlNode node, String path, String key) {
        if (!key.equals("default") && !networkKeys.contains(key)) {
            throw src.error(node, path, "network \"" + key + "\" is not declared under the top-level networks:");
        }
        return key;
    }

    private Healthcheck healthcheck(YamlNode node, String path) {
        YamlNode.Mapping m = src.optionalMapping(node, path);
        if (m == null) {
            return null;
        }
        src.checkKeys(m, path, Set.of("test", "interval", "timeout", "retries", "start_period", "start_interval",
                "disable"), Set.of());
        List<String> test = healthTest(m.get("test"), path + ".test");
        boolean disable = src.bool(m.get("disable"), path + ".disable", false)
                || (test != null && test.get(0).equals("NONE"));
        return new Healthcheck(test, src.duration(m.get("interval"), path + ".interval"),
                src.duration(m.get("timeout"), path + ".timeout"), src.integer(m.get("retries"), path + ".retries"),
                src.duration(m.get("start_period"), path + ".start_period"), disable);
    }

    private List<String> healthTest(YamlNode node, String path) {
        if (Source.isNull(node)) {
            return null;
        }
        if (node instanceof YamlNode.Scalar) {
            String command = src.required(node, path);
            return command.equals("NONE") ? List.of("NONE") : List.of("CMD-SHELL", command);
        }
        List<String> test = src.strings(node, path);
        if (test.isEmpty() || !Set.of("CMD", "CMD-SHELL", "NONE").contains(test.get(0))) {
            throw src.error(node, path, "a test list must start with \"CMD\", \"CMD-SHELL\" or \"NONE\","
                    + " e.g. [\"CMD\", \"pg_isready\"] or [\"CMD-SHELL\", \"curl -f http://localhost/\"]");
        }
        if (test.size() == 1 && !test.get(0).equals("NONE")) {
            throw src.error(node, path, "\"" + test.get(0) + "\" needs a command after it");
        }
        return test;
    }

    /**
     * {@code restart:}, or on one engine {@code deploy.restart_policy} turned into the container's policy, which wins
     * over {@code restart:} as in Compose v2 (and docker-compose 1.29): {@code none} is {@code no}, {@code on-failure}
     * with {@code max_attempts} is {@code on-failure:N}, {@code any} (also when no condition is given, the
     * specification's default) is {@code always}. {@code delay} and {@code window} are a swarm's: warned.
     */
    private String restart(YamlNode.Mapping m, String p) {
        String restart = restart(m.get("restart"), p + ".restart");
        if (swarm || !(m.get("deploy") instanceof YamlNode.Mapping deploy) || Source.isNull(deploy.get("restart_policy"))) {
            return restart;
        }
        String path = p + ".deploy.restart_policy";
        YamlNode.Mapping policy = src.mapping(deploy.get("restart_policy"), path);
        src.checkKeys(policy, path, Set.of("condition", "max_attempts"), Set.of("delay", "window"));
        String condition = src.text(policy.get("condition"), path + ".condition");
        Integer attempts = src.integer(policy.get("max_attempts"), path + ".max_attempts");
        if (attempts != null && attempts < 0) {
            throw src.error(policy.get("max_attempts"), path + ".max_attempts", "must be 0 or more");
        }
        String mapped = switch (condition == null ? "any" : condition) {
            case "none" -> "no";
            case "on-failure" -> attempts == null || attempts == 0 ? "on-failure" : "on-failure:" + attempts;
            case "any" -> "always";
            default -> throw src.error(policy.get("condition"), path + ".condition", "expected none, on-failure or"
                    + " any, found \"" + condition + "\"");
        };
        if (attempts != null && attempts > 0 && !mapped.startsWith("on-failure")) {
            throw src.error(policy.get("max_attempts"), path + ".max_attempts", "applies to condition: on-failure"
                    + " only; the engine refuses a retry count with " + (condition == null ? "any (the default)"
                    : condition));
        }
        if (restart != null && !restart.equals(mapped)) {
            src.warn(m.get("restart"), p + ".restart", "\"" + restart + "\" is overridden by deploy.restart_policy,"
                    + " which gives \"" + mapped + "\" (as Compose does)");
        }
        return mapped;
    }

    private String restart(YamlNode node, String path) {
        String restart = src.text(node, path);
        if (restart != null && !RESTART.matcher(restart).matches()) {
            throw src.error(node, path, "unknown restart policy \"" + restart
                    + "\": use no, always, unless-stopped or on-failure[:N]");
        }
        return restart;
    }

    private Map<String, String> dependsOn(YamlNode node, String path) {
        Map<String, String> result = new LinkedHashMap<>();
        if (Source.isNull(node)) {
            return result;
        }
        if (node instanceof YamlNode.Sequence s) {
            for (int i = 0; i < s.items().size(); i++) {
                YamlNode item = s.items().get(i);
                result.put(dependency(item, path + "[" + i + "]", src.required(item, path + "[" + i + "]")),
                        "service_started");
            }
            return result;
        }
        YamlNode.Mapping m = src.mapping(node, path);
        for (YamlNode.Entry e : m.entries()) {
            String itemPath = path + "." + e.key();
            dependency(e.value(), itemPath, e.key());
            YamlNode.Mapping options = src.optionalMapping(e.value(), itemPath);
            String condition = "service_started";
            if (options != null) {
                src.checkKeys(options, itemPath, Set.of("condition", "restart", "required"), Set.of());
                String given = src.text(options.get("condition"), itemPath + ".condition");
                if (given != null && !CONDITIONS.contains(given)) {
                    throw src.error(options.get("condition"), itemPath + ".condition", "unknown condition \"" + given
                            + "\": use service_started, service_healthy or service_completed_successfully");
                }
                condition = given == null ? condition : given;
            }
            result.put(e.key(), condition);
        }
        return result;
    }

    private String dependency(YamlNode node, String path, String name) {
        if (!serviceNames.contains(name)) {
            throw src.error(node, path, "service \"" + name + "\" is not defined (services: "
                    + String.join(", ", serviceNames) + ")");
        }
        return name;
    }

    /**
     * {@code host:ip}, {@code host=ip} (several addresses comma-separated) or a mapping {@code host: ip} (or a list
     * of addresses), as compose-go's HostsList reads them: {@code =} is looked for first, an address in brackets
     * ({@code [::1]}) loses them. Normalised to Docker's {@code host:ip}, one entry per address.
     */
    private List<String> extraHosts(YamlNode node, String path) {
        List<String> result = new ArrayList<>();
        if (Source.isNull(node)) {
            return result;
        }
        if (node instanceof YamlNode.Mapping m) {
            for (YamlNode.Entry e : m.entries()) {
                List<String> ips = src.stringOrList(e.value(), path + "." + e.key());
                for (String ip : ips == null ? List.of("") : ips) {
                    result.add(host(e.value(), path + "." + e.key(), e.key(), ip));
                }
            }
            return result;
        }
        List<YamlNode> items = src.sequence(node, path, "e.g. - \"host.docker.internal:host-gateway\"").items();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            String item = src.required(items.get(i), itemPath);
            int eq = item.indexOf('=');
            int sep = eq >= 0 ? eq : item.indexOf(':');
            if (sep < 0) {
                throw src.error(items.get(i), itemPath, "expected host:ip or host=ip, found \"" + item + "\"");
            }
            for (String ip : item.substring(sep + 1).split(",", -1)) {
                result.add(host(items.get(i), itemPath, item.substring(0, sep), ip));
            }
        }
        return result;
    }

    private String host(YamlNode node, String path, String host, String ip) {
        String address = ip.strip();
        if (address.length() > 2 && address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (host.isBlank() || host.contains(":") || host.contains("=")) {
            throw src.error(node, path, "bad host name \"" + host + "\": expected host:ip or host=ip");
        }
        if (address.isEmpty()) {
            throw src.error(node, path, "the host " + host + " has no address: expected host:ip or host=ip");
        }
        return host + ":" + address;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
