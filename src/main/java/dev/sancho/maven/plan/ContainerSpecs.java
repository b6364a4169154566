package dev.sancho.maven.plan;

import dev.sancho.maven.compose.Service;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.ServiceOptions;
import dev.sancho.maven.docker.ContainerFile;
import dev.sancho.maven.docker.ContainerOptions;
import dev.sancho.maven.docker.ContainerSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns a classified service into the exact container the engine should create. Pure: the same stack gives the
 * same spec, which is what makes the config hash (drift detection) meaningful.
 */
public final class ContainerSpecs {
    private ContainerSpecs() {}

    /** Infrastructure must come back after a host reboot unless the file says otherwise. */
    static final String INFRA_DEFAULT_RESTART = "unless-stopped";

    /**
     * The current deploy's app containers must come back after a reboot too (Kamal does the same for its apps); a
     * one-shot job never restarts (it would run again after it completed).
     */
    static final String APP_DEFAULT_RESTART = "unless-stopped";

    /**
     * The spec with digests keyed by this process's own key ({@link Digests#unsaved()}): for plans that are only
     * printed and for tests. What is created on an engine uses that engine's key, {@link #forService(Stack,
     * StackService, Digests)}.
     */
    public static ContainerSpec forService(Stack stack, StackService s) {
        return forService(stack, s, Digests.unsaved());
    }

    /** @param digests the project's digest key on the engine (see {@link Digests}) */
    public static ContainerSpec forService(Stack stack, StackService s, Digests digests) {
        Service svc = s.service();
        if (svc.image() == null || svc.image().isBlank()) {
            throw new ConfigException(where(stack, svc, "") + "services."
                    + svc.name() + ": no image: set image: (or build: with image builds enabled)");
        }
        Map<String, String> env = new LinkedHashMap<>();
        svc.environment().forEach((k, v) -> {
            if (v != null) { // Compose drops keys declared without a value that the environment does not define
                env.put(k, v);
            }
        });
        ContainerSpec.HealthSpec health = health(svc.healthcheck());
        String restart = restartPolicy(stack, s);
        ContainerSpec draft = new ContainerSpec(
                s.containerName(),
                svc.image(),
                svc.entrypoint(),
                svc.command(),
                env,
                labels(stack, s, null),
                ports(stack, svc),
                mounts(stack, svc),
                svc.options().networkMode() != null ? Map.of() : networks(stack, svc, declaredNameAlias(stack, s)),
                restart,
                health,
                svc.user(),
                svc.workingDir(),
                svc.hostname(),
                svc.extraHosts(),
                svc.stopSignal(),
                svc.stopGracePeriod(),
                options(stack, svc));
        Map<String, String> labels = labels(stack, s, configHash(draft, digests));
        labels.put(Labels.CONFIG_FIELDS, fieldDigests(draft, digests));
        if (digests.isKeyed()) {
            labels.put(Labels.DIGEST_KEY_ID, digests.id());
        }
        return withLabels(draft, labels);
    }

    /**
     * One spec per replica ({@link StackService#containerNames()}), equal but for the name: every replica joins the
     * service's networks under the same aliases, so the engine's DNS answers the service name with all of them.
     */
    public static List<ContainerSpec> forReplicas(Stack stack, StackService s) {
        return forReplicas(stack, s, Digests.unsaved());
    }

    /** {@link #forReplicas(Stack, StackService)} with the engine's digest key. */
    public static List<ContainerSpec> forReplicas(Stack stack, StackService s, Digests digests) {
        ContainerSpec first = forService(stack, s, digests);
        List<ContainerSpec> all = new ArrayList<>();
        for (String name : s.containerNames()) {
            all.add(renamed(first, name));
        }
        return List.copyOf(all);
    }

    private static ContainerSpec renamed(ContainerSpec c, String name) {
        return new ContainerSpec(name, c.image(), c.entrypoint(), c.command(), c.environment(), c.labels(),
                c.ports(), c.mounts(), c.networks(), c.restartPolicy(), c.healthcheck(), c.user(), c.workingDir(),
                c.hostname(), c.extraHosts(), c.stopSignal(), c.stopTimeout(), c.options());
    }

    /** The compose file's {@code restart:} (an explicit {@code "no"} included), else the role's default. */
    static String restartPolicy(Stack stack, StackService s) {
        String explicit = s.service().restart();
        if (explicit != null) {
            return explicit;
        }
        return s.infra() ? INFRA_DEFAULT_RESTART : stack.jobs().contains(s.name()) ? null : APP_DEFAULT_RESTART;
    }

    /** The same spec with labels added (e.g. {@code sancho.deployed-at}); labels outside the config hash only. */
    public static ContainerSpec withExtraLabels(ContainerSpec c, Map<String, String> extra) {
        Map<String, String> labels = new LinkedHashMap<>(c.labels());
        labels.putAll(extra);
        return withLabels(c, labels);
    }

    private static Map<String, String> labels(Stack stack, StackService s, String hash) {
        Map<String, String> labels = new LinkedHashMap<>(s.service().labels());
        labels.put(Labels.PROJECT, stack.project());
        if (stack.identity() != null) {
            labels.put(Labels.IDENTITY, stack.identity());
        }
        labels.put(Labels.SERVICE, s.name());
        labels.put(Labels.ROLE, s.role().label());
        if (!s.infra()) {
            labels.put(Labels.DEPLOY_ID, stack.deployId());
            labels.put(Labels.DEPLOY_SERVICES, String.join(",", new java.util.TreeSet<>(
                    stack.applications().stream().map(StackService::name).toList())));
            if (stack.jobs().contains(s.name())) {
                labels.put(Labels.JOB, "true");
            }
            String restart = restartPolicy(stack, s);
            labels.put(Labels.RESTART, restart == null ? "no" : restart);
            if (s.replicas() > 1) {
                labels.put(Labels.REPLICAS, String.valueOf(s.replicas()));
            }
        }
        if (hash != null) {
            labels.put(Labels.CONFIG_HASH, hash);
        }
        return labels;
    }

    private static ContainerSpec withLabels(ContainerSpec c, Map<String, String> labels) {
        return new ContainerSpec(c.name(), c.image(), c.entrypoint(), c.command(), c.environment(), labels,
                c.ports(), c.mounts(), c.networks(), c.restartPolicy(), c.healthcheck(), c.user(), c.workingDir(),
                c.hostname(), c.extraHosts(), c.stopSignal(), c.stopTimeout(), c.options());
    }

    /** Labels that differ between deploys or are derived from the config: never part of a digest. */
    private static final List<String> VOLATILE_LABELS =
            List.of(Labels.DEPLOY_ID, Labels.CONFIG_HASH, Labels.CONFIG_FIELDS, Labels.DEPLOYED_AT,
                    Labels.DEPLOY_SERVICES, Labels.IDENTITY, Labels.DIGEST_KEY_ID);

    /**
     * The fields that define a container, once for both digests. {@code hashKey} names the field in
     * {@link #configHash}'s canonical text, {@code digestKey} in {@link #fieldDigests}; both spellings are stored in
     * labels of long-lived containers, so neither may change. The environment is one field of the hash but one digest
     * per variable ({@code env.NAME}), so a drift report can name the variable that changed.
     */
    private record Field(String hashKey, String digestKey, Function<ContainerSpec, Object> value) {}

    private static final List<Field> FIELDS = List.of(
            new Field("image", "image", ContainerSpec::image),
            new Field("entrypoint", "entrypoint", ContainerSpec::entrypoint),
            new Field("command", "command", ContainerSpec::command),
            new Field("env", null, c -> new TreeMap<>(c.environment())),
            new Field("labels", "labels", ContainerSpecs::stableLabels),
            new Field("ports", "ports", ContainerSpec::ports),
            new Field("mounts", "mounts", ContainerSpec::mounts),
            new Field("networks", "networks", c -> new TreeMap<>(c.networks())),
            new Field("restart", "restart", ContainerSpec::restartPolicy),
            new Field("health", "healthcheck", ContainerSpec::healthcheck),
            new Field("user", "user", ContainerSpec::user),
            new Field("workdir", "working_dir", ContainerSpec::workingDir),
            new Field("hostname", "hostname", ContainerSpec::hostname),
            new Field("extraHosts", "extra_hosts", ContainerSpec::extraHosts),
            new Field("stopSignal", "stop_signal", ContainerSpec::stopSignal),
            new Field("stopTimeout", "stop_grace_period", ContainerSpec::stopTimeout));

    private static Map<String, String> stableLabels(ContainerSpec c) {
        Map<String, String> labels = new TreeMap<>(c.labels());
        VOLATILE_LABELS.forEach(labels::remove);
        return labels;
    }

    /**
     * The fields of {@link ContainerOptions}, in the order they enter {@link #configHash}, each named like the
     * compose key it comes from. Unlike {@link #FIELDS} one enters a digest only when it is set, so a container that
     * uses none of them keeps the hash and the field digests it had before these keys were applied.
     */
    private static final List<Field> OPTION_FIELDS = List.of(
            option("mem_limit", ContainerOptions::memory),
            option("memswap_limit", ContainerOptions::memorySwap),
            option("mem_reservation", ContainerOptions::memoryReservation),
            option("mem_swappiness", ContainerOptions::memorySwappiness),
            option("cpus", ContainerOptions::nanoCpus),
            option("cpu_shares", ContainerOptions::cpuShares),
            option("cpu_quota", ContainerOptions::cpuQuota),
            option("cpu_period", ContainerOptions::cpuPeriod),
            option("cpuset", ContainerOptions::cpusetCpus),
            option("pids_limit", ContainerOptions::pidsLimit),
            option("oom_kill_disable", o -> trueOrNull(o.oomKillDisable())),
            option("oom_score_adj", ContainerOptions::oomScoreAdj),
            option("ulimits", ContainerOptions::ulimits),
            option("cap_add", ContainerOptions::capAdd),
            option("cap_drop", ContainerOptions::capDrop),
            option("security_opt", ContainerOptions::securityOpt),
            option("privileged", o -> trueOrNull(o.privileged())),
            option("read_only", o -> trueOrNull(o.readonlyRootfs())),
            option("tmpfs", o -> new TreeMap<>(o.tmpfs())),
            option("shm_size", ContainerOptions::shmSize),
            option("init", ContainerOptions::init),
            option("sysctls", o -> new TreeMap<>(o.sysctls())),
            option("devices", ContainerOptions::devices),
            option("dns", ContainerOptions::dns),
            option("dns_search", ContainerOptions::dnsSearch),
            option("dns_opt", ContainerOptions::dnsOptions),
            option("domainname", ContainerOptions::domainname),
            option("expose", ContainerOptions::exposedPorts),
            option("pid", ContainerOptions::pidMode),
            option("ipc", ContainerOptions::ipcMode),
            option("group_add", ContainerOptions::groupAdd),
            option("tty", o -> trueOrNull(o.tty())),
            option("stdin_open", o -> trueOrNull(o.openStdin())),
            option("stdin_once", o -> trueOrNull(o.stdinOnce())), // the deploy lock's; no compose key sets it
            option("logging", o -> o.logDriver() == null && o.logOptions().isEmpty() ? null
                    : o.logDriver() + new TreeMap<>(o.logOptions())),
            option("cgroup_parent", ContainerOptions::cgroupParent),
            option("userns_mode", ContainerOptions::usernsMode),
            option("platform", ContainerOptions::platform),
            option("runtime", ContainerOptions::runtime),
            option("storage_opt", o -> new TreeMap<>(o.storageOpt())),
            option("network_mode", ContainerOptions::networkMode),
            option("links", ContainerOptions::links),
            option("volumes_from", ContainerOptions::volumesFrom),
            option("blkio_config", ContainerOptions::blkio),
            option("gpus", ContainerOptions::deviceRequests),
            option("ipv4_address", o -> new TreeMap<>(o.addresses())),
            option("healthcheck.start_interval", ContainerOptions::healthStartInterval),
            option("uts", ContainerOptions::utsMode),
            option("cgroup", ContainerOptions::cgroupnsMode),
            option("device_cgroup_rules", ContainerOptions::deviceCgroupRules),
            option("mac_address", ContainerOptions::macAddress),
            // copied secrets/configs: target, mode, owner and the content's SHA-256, never the content; this text only
            // ever enters the (keyed) digest, and is spelled as before keyed digests so old labels still compare
            option("secret_files", o -> o.files().stream().map(ContainerSpecs::fileDigestText).toList()));

    private static String fileDigestText(ContainerFile f) {
        return f.target() + " mode=0" + Integer.toOctalString(f.mode()) + (f.uid() == null ? "" : " uid=" + f.uid())
                + (f.gid() == null ? "" : " gid=" + f.gid()) + " sha256=" + f.sha256();
    }

    /** {@code false} is the engine's only default for these, so writing it changes nothing, digests included. */
    private static Boolean trueOrNull(Boolean b) {
        return Boolean.TRUE.equals(b) ? b : null;
    }

    private static Field option(String key, Function<ContainerOptions, Object> value) {
        return new Field(key, key, c -> value.apply(c.options()));
    }

    /** Null, false-y emptiness: an empty list or map is "not set". */
    private static boolean isSet(Object value) {
        return value != null && !(value instanceof java.util.Collection<?> c && c.isEmpty())
                && !(value instanceof Map<?, ?> m && m.isEmpty());
    }

    /** {@link #fieldDigests(ContainerSpec, Digests)} unkeyed, as versions before keyed digests wrote them. */
    public static String fieldDigests(ContainerSpec c) {
        return fieldDigests(c, Digests.LEGACY);
    }

    /**
     * One short digest per field ({@code image=ab12cd34,env.POSTGRES_PASSWORD=..,ports=..}), sorted, for the
     * {@code sancho.config-fields} label. Values only ever enter a truncated keyed digest ({@link Digests}).
     */
    public static String fieldDigests(ContainerSpec c, Digests digests) {
        Map<String, Object> fields = new TreeMap<>();
        for (Field f : FIELDS) {
            if (f.digestKey() != null) {
                fields.put(f.digestKey(), f.value().apply(c));
            }
        }
        for (Field f : OPTION_FIELDS) {
            Object value = f.value().apply(c);
            if (isSet(value)) {
                fields.put(f.digestKey(), value);
            }
        }
        c.environment().forEach((k, v) -> fields.put("env." + k, k + "=" + v));
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=')
                .append(digests.hex(String.valueOf(v), 4)));
        return b.toString();
    }

    /** Parses {@link #fieldDigests} back; unknown or malformed entries are skipped. */
    public static Map<String, String> parseFieldDigests(String label) {
        Map<String, String> out = new TreeMap<>();
        if (label == null || label.isBlank()) {
            return out;
        }
        for (String part : label.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return out;
    }

    /**
     * A short digest of everything that defines the container except what changes on every deploy (its name and
     * deploy-id label). Equal hashes mean "same configuration"; infrastructure drift is a differing hash.
     * This one is unkeyed, as versions before keyed digests wrote it: only for comparing with their labels.
     */
    public static String configHash(ContainerSpec c) {
        return configHash(c, Digests.LEGACY);
    }

    /** {@link #configHash(ContainerSpec)} keyed ({@link Digests}): what a container is labelled with. */
    public static String configHash(ContainerSpec c, Digests digests) {
        StringBuilder canonical = new StringBuilder(String.join("\n",
                FIELDS.stream().map(f -> f.hashKey() + "=" + f.value().apply(c)).toList()));
        for (Field f : OPTION_FIELDS) {
            Object value = f.value().apply(c);
            if (isSet(value)) {
                canonical.append('\n').append(f.hashKey()).append('=').append(value);
            }
        }
        return digests.hex(canonical.toString(), 6);
    }

    /** Expands ranges ("8000-8002:80-82") into one binding per port, as the engine API wants. */
    static List<ContainerSpec.PortBinding> ports(Stack stack, Service svc) {
        List<ContainerSpec.PortBinding> out = new ArrayList<>();
        for (Service.PortMapping p : svc.ports()) {
            int[] container = range(p.containerPort(), stack, svc, p);
            int[] host = p.hostPort() == null || p.hostPort().isBlank() ? null : range(p.hostPort(), stack, svc, p);
            int count = container[1] - container[0] + 1;
            if (host != null && host[1] - host[0] + 1 != count && host[0] != host[1]) {
                throw new ConfigException(where(stack, svc, "ports") + "services." + svc.name() + ".ports: host range "
                        + p.hostPort()
                        + " and container range " + p.containerPort() + " differ in size");
            }
            String protocol = p.protocol() == null ? "tcp" : p.protocol();
            for (int i = 0; i < count; i++) {
                String hostPort = host == null ? null
                        : String.valueOf(host[0] == host[1] && count > 1 ? host[0] : host[0] + i);
                out.add(new ContainerSpec.PortBinding(p.hostIp(), hostPort, container[0] + i, protocol));
            }
        }
        return out;
    }

    /**
     * {@code file:line: } of {@code key} of the service, in the file it was written in (an override, included or
     * extended file names itself); empty without a stack. {@code ""} is the service itself.
     */
    static String where(Stack stack, Service svc, String key) {
        if (stack == null || stack.compose() == null) {
            return "";
        }
        return stack.compose().file(svc, key) + ":" + (key.isEmpty() ? svc.line() : svc.line(key)) + ": ";
    }

    private static int[] range(String text, Stack stack, Service svc, Service.PortMapping p) {
        try {
            int dash = text.indexOf('-');
            if (dash < 0) {
                int v = Integer.parseInt(text.trim());
                return new int[] {v, v};
            }
            return new int[] {Integer.parseInt(text.substring(0, dash).trim()),
                    Integer.parseInt(text.substring(dash + 1).trim())};
        } catch (NumberFormatException e) {
            throw new ConfigException(where(stack, svc, p == null ? "expose" : "ports") + "services." + svc.name()
                    + (p == null ? ".expose" : ".ports") + ": '" + text
                    + "' is not a port or range" + (p == null ? "" : " in " + p));
        }
    }

    static List<ContainerSpec.Mount> mounts(Stack stack, Service svc) {
        List<ContainerSpec.Mount> out = new ArrayList<>();
        for (Service.Mount m : svc.volumes()) {
            String source = m.source();
            if ("volume".equals(m.type()) && source != null) {
                source = stack.volumeNames().getOrDefault(source, source);
            }
            Service.MountOptions o = m.options();
            out.add(new ContainerSpec.Mount(m.type(), source, m.target(), m.readOnly(), new ContainerSpec.MountOptions(
                    o.propagation(), o.selinux(), o.createHostPath(), o.noCopy(), o.subpath(), o.tmpfsSize(),
                    o.tmpfsMode())));
        }
        // secrets and configs of a file: source: the host file bind-mounted read-only, as Compose does on a single
        // engine (the others are copied in, see files())
        for (ServiceOptions.FileMount f : fileMounts(svc)) {
            if (f.file() != null) {
                out.add(new ContainerSpec.Mount("bind", f.file(), f.target(), true));
            }
        }
        return out;
    }

    /**
     * Every container is reachable on each of its networks by its service name, across deploys. The network with
     * the highest {@code priority} comes first: the container is created in it (then equal priorities keep the file's
     * order, as with docker-compose).
     */
    static Map<String, List<String>> networks(Stack stack, Service svc) {
        return networks(stack, svc, null);
    }

    /**
     * The {@code container_name} an application service declares, which sancho replaces by a name per deploy: as a
     * network alias of the current deploy's containers (moved at the cutover with the service name), it stays the
     * host name other services may use (Supabase's Kong routes to {@code realtime-dev.supabase-realtime}). Null for
     * infrastructure (which keeps its name), without a fixed declared name, or when the name is an infrastructure
     * container's: an alias must never take traffic meant for it.
     */
    static String declaredNameAlias(Stack stack, StackService s) {
        String declared = s.service().containerName();
        if (s.infra() || declared == null || declared.isBlank() || declared.equals(s.containerName())
                || stack.infrastructureNames().contains(declared)) {
            return null;
        }
        return declared;
    }

    /** @param extraAlias one more alias on every network (the declared container_name), or null */
    static Map<String, List<String>> networks(Stack stack, Service svc, String extraAlias) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, Service.ServiceNetwork> declared = svc.networks().isEmpty()
                ? Map.of("default", new Service.ServiceNetwork(List.of()))
                : svc.networks();
        List<Map.Entry<String, Service.ServiceNetwork>> byPriority = new ArrayList<>(declared.entrySet());
        byPriority.sort(java.util.Comparator.comparingInt(
                (Map.Entry<String, Service.ServiceNetwork> e) -> e.getValue().priority()).reversed());
        byPriority.forEach(e -> {
            String key = e.getKey();
            Service.ServiceNetwork net = e.getValue();
            List<String> aliases = new ArrayList<>();
            aliases.add(svc.name());
            net.aliases().stream().filter(a -> !aliases.contains(a)).forEach(aliases::add);
            if (extraAlias != null && !aliases.contains(extraAlias)) {
                aliases.add(extraAlias);
            }
            out.put(stack.networkNames().getOrDefault(key, key), List.copyOf(aliases));
        });
        return out;
    }

    static ContainerSpec.HealthSpec health(Service.Healthcheck h) {
        if (h == null) {
            return null;
        }
        if (h.disable()) {
            return new ContainerSpec.HealthSpec(List.of("NONE"), null, null, null, null);
        }
        return new ContainerSpec.HealthSpec(h.test(), h.interval(), h.timeout(), h.retries(), h.startPeriod());
    }

    /**
     * The runtime keys in the engine's terms, with Compose's defaults: {@code deploy.resources.limits} (cpus, memory,
     * pids) and {@code reservations.memory} take precedence over {@code cpus}, {@code mem_limit}, {@code pids_limit}
     * and {@code mem_reservation}, as Compose applies them to a single container; a {@code tmpfs} entry without
     * options and a device without container path or permissions get Compose's ("" and the host path, rwm);
     * exposed port ranges become one port each.
     */
    /** Without a stack: for a service that refers to no other service. */
    static ContainerOptions options(Service svc) {
        return options(null, svc);
    }

    static ContainerOptions options(Stack stack, Service svc) {
        ServiceOptions o = svc.options();
        Map<String, ContainerOptions.Address> addresses = new LinkedHashMap<>();
        svc.networks().forEach((key, net) -> {
            if (net.ipv4Address() != null || net.ipv6Address() != null) {
                addresses.put(stack == null ? key : stack.networkNames().getOrDefault(key, key),
                        new ContainerOptions.Address(net.ipv4Address(), net.ipv6Address()));
            }
        });
        if (o.equals(ServiceOptions.NONE) && addresses.isEmpty()) {
            return ContainerOptions.NONE;
        }
        ServiceOptions.Resources deploy = o.deploy();
        BigDecimal cpus = deploy.limitCpus() != null ? deploy.limitCpus() : o.cpus();
        Map<String, String> tmpfs = new LinkedHashMap<>();
        for (String t : o.tmpfs()) {
            int colon = t.indexOf(':');
            tmpfs.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
        }
        List<ContainerOptions.ExposedPort> expose = new ArrayList<>();
        for (String e : o.expose()) {
            int slash = e.indexOf('/');
            String protocol = slash < 0 ? "tcp" : e.substring(slash + 1);
            int[] r = range(slash < 0 ? e : e.substring(0, slash), stack, svc, null);
            for (int port = r[0]; port <= r[1]; port++) {
                expose.add(new ContainerOptions.ExposedPort(port, protocol));
            }
        }
        ServiceOptions.Logging logging = o.logging();
        return new ContainerOptions(
                first(deploy.limitMemory(), o.memLimit()),
                o.memswapLimit(),
                first(deploy.reservationMemory(), o.memReservation()),
                o.memSwappiness() == null ? null : o.memSwappiness().longValue(),
                cpus == null ? null : cpus.movePointRight(9).longValue(),
                o.cpuShares(), o.cpuQuota(), o.cpuPeriod(), o.cpuset(),
                first(deploy.limitPids(), o.pidsLimit()),
                o.oomKillDisable(), o.oomScoreAdj(),
                o.ulimits().stream().map(u -> new ContainerOptions.Ulimit(u.name(), u.soft(), u.hard())).toList(),
                o.capAdd(), o.capDrop(), o.securityOpt(), o.privileged(), o.readOnly(), tmpfs, o.shmSize(), o.init(),
                o.sysctls(),
                o.devices().stream().map(d -> new ContainerOptions.Device(d.host(), d.container(), d.permissions()))
                        .toList(),
                o.dns(), o.dnsSearch(), o.dnsOpt(), o.domainname(), expose, namespace(stack, o.pid()),
                namespace(stack, o.ipc()), o.groupAdd(), o.tty(),
                o.stdinOpen(), logging == null ? null : logging.driver(),
                logging == null ? Map.of() : logging.options(), o.cgroupParent(), o.usernsMode(), o.platform(),
                o.runtime(), o.storageOpt(), namespace(stack, o.networkMode()), links(stack, o),
                o.volumesFrom().stream().map(v -> (v.service() ? containerOf(stack, v.name()) : v.name())
                        + (v.readOnly() ? ":ro" : ":rw")).toList(),
                blkio(o.blkio()),
                o.deviceRequests().stream().map(d -> new ContainerOptions.DeviceRequest(d.driver(), d.count(),
                        d.deviceIds(), d.capabilities(), d.options())).toList(),
                addresses, o.healthStartInterval(), o.uts(), o.cgroup(), o.deviceCgroupRules(), o.macAddress(),
                files(svc));
    }

    private static List<ServiceOptions.FileMount> fileMounts(Service svc) {
        List<ServiceOptions.FileMount> all = new ArrayList<>(svc.options().secrets());
        all.addAll(svc.options().configs());
        return all;
    }

    /**
     * Secrets and configs of an {@code environment:} or {@code content:} source: files copied into the container
     * before it starts, as Compose v2 does; mode 0444 unless given.
     */
    private static List<ContainerFile> files(Service svc) {
        return fileMounts(svc).stream().filter(f -> f.content() != null)
                .map(f -> ContainerFile.text(f.target(), f.content(), f.mode() == null ? 0444 : f.mode(), f.uid(),
                        f.gid()))
                .toList();
    }

    /** {@code service:NAME} becomes {@code container:} that service's container (its first replica). */
    private static String namespace(Stack stack, String mode) {
        return mode != null && mode.startsWith("service:")
                ? "container:" + containerOf(stack, mode.substring("service:".length())) : mode;
    }

    private static String containerOf(Stack stack, String service) {
        if (stack == null) {
            throw new IllegalArgumentException("service " + service + " is referred to, so a stack is needed");
        }
        return stack.service(service).map(StackService::containerName).orElseThrow(() -> new ConfigException(
                "service " + service + " is referenced but not part of the stack (disabled by its profiles?)"));
    }

    /**
     * {@code links} as {@code CONTAINER:ALIAS} (the alias defaults to the service name), then
     * {@code external_links} ({@code CONTAINER[:ALIAS]}), as Compose v2 passes them.
     */
    private static List<String> links(Stack stack, ServiceOptions o) {
        List<String> links = new ArrayList<>();
        for (String l : o.links()) {
            int colon = l.indexOf(':');
            String service = colon < 0 ? l : l.substring(0, colon);
            links.add(containerOf(stack, service) + ":" + (colon < 0 ? service : l.substring(colon + 1)));
        }
        for (String l : o.externalLinks()) {
            links.add(l.contains(":") ? l : l + ":" + l);
        }
        return links;
    }

    private static ContainerOptions.Blkio blkio(ServiceOptions.Blkio b) {
        if (b == null) {
            return null;
        }
        java.util.function.Function<List<ServiceOptions.Throttle>, List<ContainerOptions.Rate>> rates =
                l -> l.stream().map(t -> new ContainerOptions.Rate(t.path(), t.rate())).toList();
        return new ContainerOptions.Blkio(b.weight(),
                b.weightDevice().stream().map(w -> new ContainerOptions.Rate(w.path(), w.weight())).toList(),
                rates.apply(b.deviceReadBps()), rates.apply(b.deviceWriteBps()), rates.apply(b.deviceReadIops()),
                rates.apply(b.deviceWriteIops()));
    }

    private static <T> T first(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    /** Docker's own grace before SIGKILL when a service sets no {@code stop_grace_period}. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    /** How long a graceful stop may take before SIGKILL: the service's stop_grace_period, else Docker's 10 s. */
    public static Duration stopTimeout(Service svc) {
        return svc.stopGracePeriod() != null ? svc.stopGracePeriod() : DEFAULT_STOP_GRACE;
    }
}
