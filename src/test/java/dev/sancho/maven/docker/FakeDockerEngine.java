package dev.sancho.maven.docker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * In-memory engine for unit tests of the core. Behaves like the real one ({@link DockerJavaEngine}) where the core
 * depends on it, pinned by {@code FakeDockerEngineTest}: exact names, label selection including stopped containers
 * (a null value = the label with any value), 409 on a taken name ({@link NameConflictException}), 404 on unknown ids,
 * exec exit codes and time-outs ({@link #execs}), and {@link #replaceAliases} keeping a running container's address.
 * Records every mutating call in {@link #calls} so tests can assert what was (not) done.
 */
public class FakeDockerEngine implements DockerEngine {
    public final Map<String, ContainerInfo> containers = new LinkedHashMap<>(); // by id
    public final Map<String, ContainerSpec> specs = new HashMap<>(); // by id
    public final Map<String, VolumeInfo> volumes = new LinkedHashMap<>();
    public final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
    public final Map<String, ImageInfo> images = new LinkedHashMap<>();
    public final List<String> calls = new ArrayList<>();
    /** Health a container reports once started (by container name); default: none (no healthcheck). */
    public final Map<String, String> healthOnStart = new HashMap<>();
    /** Containers (by name) that run to completion: once started they have exited with this code. */
    public final Map<String, Integer> exitOnStart = new HashMap<>();
    /**
     * How exec'd commands behave, by {@code "<container name> <command words>"} (as in {@link #calls}, without
     * {@code exec}), else by container name; a command not listed exits 0 at once without output.
     */
    public final Map<String, Exec> execs = new HashMap<>();
    /** IPv4 address of each running container (by id) on each of its networks; stopped containers have none. */
    private final Map<String, Map<String, String>> addresses = new HashMap<>();
    /** Subnet number of each network, for its addresses. */
    private final Map<String, Integer> subnets = new HashMap<>();

    /** What an exec'd command does: it exits with {@code exitCode} after {@code runsFor} (null: never). */
    public record Exec(int exitCode, String output, Duration runsFor) {
        public static Exec exits(int exitCode, String output) {
            return new Exec(exitCode, output, Duration.ZERO);
        }

        /** A command that hangs: exec answers as the engine does once the timeout is up, with the output so far. */
        public static Exec hangs(String outputSoFar) {
            return new Exec(0, outputSoFar, null);
        }
    }

    /**
     * Takes over another fake's containers (with their addresses), images, volumes and networks (for a subclass that
     * fails on purpose).
     */
    public FakeDockerEngine withStateOf(FakeDockerEngine other) {
        containers.putAll(other.containers);
        images.putAll(other.images);
        volumes.putAll(other.volumes);
        networks.putAll(other.networks);
        other.addresses.forEach((id, byNetwork) -> addresses.put(id, new HashMap<>(byNetwork)));
        subnets.putAll(other.subnets);
        ids.set(Math.max(ids.get(), other.ids.get())); // new ids must not collide with the ones taken over
        return this;
    }
    private final AtomicInteger ids = new AtomicInteger();
    private Instant clock = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public String address() {
        return "fake://engine";
    }

    @Override
    public String ping() {
        return "fake";
    }

    /** The engine's architecture ({@link #architecture()}); null: unknown. */
    public String arch = "amd64";

    @Override
    public String architecture() {
        return arch;
    }

    /** The engine's clock: it moves one second with every container created, and by {@link #advanceClock}. */
    @Override
    public synchronized Instant clock() {
        return clock;
    }

    public synchronized void advanceClock(Duration by) {
        clock = clock.plus(by);
    }

    /** Attached stdin streams by container id ({@link #attachStdin}). */
    public final Map<String, Stdin> attached = new HashMap<>();

    /**
     * A container's stdin held by a client. Like a {@code StdinOnce} container whose process ends on EOF (the deploy
     * lock's): when the stream ends, a running container exits with 0.
     */
    public final class Stdin implements StdinStream {
        private final String id;
        public volatile int writes;
        volatile boolean ended;

        Stdin(String id) {
            this.id = id;
        }

        @Override
        public void write(byte[] bytes) {
            if (ended) {
                throw new DockerOperationException("the attach has ended");
            }
            writes++;
        }

        @Override
        public boolean ended() {
            return ended;
        }

        /** The client went (kill -9, a dropped connection): the container reads EOF and exits 0. */
        @Override
        public void close() {
            synchronized (FakeDockerEngine.this) {
                ended = true;
                ContainerInfo c = containers.get(id);
                if (c != null && c.running()) {
                    put(c, "exited", null, 0);
                }
            }
        }
    }

    @Override
    public synchronized StdinStream attachStdin(String containerId) {
        ContainerInfo c = require(containerId);
        calls.add("attach " + c.name());
        Stdin s = new Stdin(c.id());
        attached.put(c.id(), s);
        return s;
    }

    /** Adds a container directly (as if created outside the plugin, or by an earlier deploy). */
    public ContainerInfo add(String name, String image, String state, Map<String, String> labels) {
        String id = "c" + ids.incrementAndGet();
        clock = clock.plusSeconds(1);
        ContainerInfo c = new ContainerInfo(id, name, image, "sha256:" + image, state, null,
                "exited".equals(state) ? 0 : null, labels, clock, List.of(), Map.of());
        containers.put(id, c);
        return c;
    }

    public void addImage(String reference) {
        images.put(reference, new ImageInfo("sha256:" + reference, List.of(reference), Map.of()));
    }

    @Override
    public synchronized Optional<ContainerInfo> findContainer(String name) {
        return containers.values().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    @Override
    public synchronized List<ContainerInfo> listContainers(Map<String, String> labels) {
        return containers.values().stream().filter(c -> LabelFilters.matches(c.labels(), labels)).toList();
    }

    @Override
    public synchronized Optional<ContainerInfo> inspectContainer(String idOrName) {
        ContainerInfo byId = containers.get(idOrName);
        return byId != null ? Optional.of(byId) : findContainer(idOrName);
    }

    @Override
    public synchronized String createContainer(ContainerSpec spec) {
        if (findContainer(spec.name()).isPresent()) {
            throw new NameConflictException(spec.name(), null);
        }
        if (findImage(spec.image()).isEmpty()) {
            throw new DockerOperationException("no such image: " + spec.image());
        }
        calls.add("create " + spec.name());
        String id = "c" + ids.incrementAndGet();
        clock = clock.plusSeconds(1);
        List<ContainerInfo.MountInfo> mounts = spec.mounts().stream()
                .map(m -> new ContainerInfo.MountInfo(m.type(), m.source(), m.target(), m.readOnly())).toList();
        String imageId = findImage(spec.image()).map(ImageInfo::id).orElseThrow();
        containers.put(id, new ContainerInfo(id, spec.name(), spec.image(), imageId, "created",
                null, null, spec.labels(), clock, mounts, spec.networks()));
        specs.put(id, spec);
        return id;
    }

    private ContainerInfo require(String id) {
        ContainerInfo c = inspectContainer(id).orElse(null);
        if (c == null) {
            throw new DockerOperationException("no such container: " + id);
        }
        return c;
    }

    private void put(ContainerInfo old, String state, String health, Integer exitCode) {
        containers.put(old.id(), new ContainerInfo(old.id(), old.name(), old.image(), old.imageId(), state, health,
                exitCode, old.labels(), old.created(), old.mounts(), old.networkAliases()));
    }

    /** Files copied into containers, by container name then target; a name here makes the copy fail. */
    public final Map<String, Map<String, ContainerFile>> copiedFiles = new HashMap<>();
    public final Set<String> failCopyTo = new HashSet<>();

    @Override
    public synchronized void copyToContainer(String id, List<ContainerFile> files) {
        ContainerInfo c = require(id);
        if (failCopyTo.contains(c.name())) {
            throw new DockerOperationException("copy into " + c.name() + " refused (fake)");
        }
        calls.add("copy " + c.name() + " " + files.stream().map(ContainerFile::target).toList());
        files.forEach(f -> copiedFiles.computeIfAbsent(c.name(), n -> new LinkedHashMap<>()).put(f.target(), f));
        // like the engine: a file below a mount lands in the volume (or host directory) behind it
        for (ContainerFile f : files) {
            c.mounts().stream()
                    .filter(m -> f.target().startsWith(m.destination() + "/"))
                    .max(java.util.Comparator.comparingInt(m -> m.destination().length()))
                    .ifPresent(m -> {
                        String root = ("volume".equals(m.type()) ? "volume:" : "") + m.source();
                        String hostPath = root + f.target().substring(m.destination().length());
                        hostFiles.put(hostPath, new ContainerFile(hostPath, f.content(), f.mode(), f.uid(), f.gid()));
                    });
        }
    }

    /**
     * The engine host's files, by absolute host path (a bind source directory holds the files below it), and the
     * files of named volumes as {@code volume:<name>/<path>}. A path in {@link #hostDirs} exists as an (empty)
     * directory. A container sees them through its mounts; a container path no mount covers has no files.
     */
    public final Map<String, ContainerFile> hostFiles = new LinkedHashMap<>();
    public final Set<String> hostDirs = new HashSet<>();

    /** Puts a file on the engine host (mode 0600, root). */
    public void hostFile(String hostPath, String content, int mode) {
        hostFiles.put(hostPath, ContainerFile.text(hostPath, content, mode, null, null));
    }

    @Override
    public synchronized Optional<List<ContainerFile>> readFiles(String containerId, String path) {
        ContainerInfo c = require(containerId);
        calls.add("read " + c.name() + " " + path);
        ContainerInfo.MountInfo mount = c.mounts().stream()
                .filter(m -> path.equals(m.destination()) || path.startsWith(m.destination() + "/"))
                .max(java.util.Comparator.comparingInt(m -> m.destination().length())).orElse(null);
        if (mount == null) {
            return Optional.empty();
        }
        String root = ("volume".equals(mount.type()) ? "volume:" : "") + mount.source();
        String hostPath = root + path.substring(mount.destination().length());
        List<ContainerFile> out = new ArrayList<>();
        hostFiles.forEach((p, f) -> {
            if (p.equals(hostPath) || p.startsWith(hostPath + "/")) {
                out.add(new ContainerFile(path + p.substring(hostPath.length()), f.content(), f.mode(), f.uid(),
                        f.gid()));
            }
        });
        boolean dir = hostDirs.contains(hostPath) || hostDirs.stream().anyMatch(d -> d.startsWith(hostPath + "/"));
        return out.isEmpty() && !dir ? Optional.empty() : Optional.of(out);
    }

    /** Files {@link #streamFileTo} serves with other bytes than they hold, by container path (a file changed). */
    public final Map<String, byte[]> tamperedReads = new HashMap<>();

    /** Like the engine's archive read: the file's bytes through the container's mounts; 404 when it is not there. */
    @Override
    public StreamedFile streamFileTo(String containerId, String path, java.io.OutputStream to) {
        ContainerFile f = readFiles(containerId, path).flatMap(l -> l.stream().filter(x -> x.target().equals(path))
                .findFirst()).orElseThrow(() -> new DockerOperationException("Could not find the file " + path
                        + " in container " + containerId));
        byte[] bytes = tamperedReads.getOrDefault(path, f.content());
        try {
            to.write(bytes);
            return new StreamedFile(bytes.length, java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new DockerOperationException("copy from " + containerId + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void startContainer(String id) {
        ContainerInfo c = require(id);
        calls.add("start " + c.name());
        stoppedByHand.remove(c.id());
        Integer exit = exitOnStart.get(c.name());
        put(c, exit == null ? "running" : "exited", healthOnStart.get(c.name()), exit);
        if (exit == null) {
            c.networkAliases().keySet().forEach(n -> address(c.id(), n));
        }
    }

    /** Restart policies changed after creation (by id); else the spec's. */
    public final Map<String, String> restartPolicies = new HashMap<>();
    /** Containers stopped by a client call since their last start: unless-stopped leaves them down. */
    private final java.util.Set<String> stoppedByHand = new java.util.HashSet<>();

    @Override
    public synchronized void updateRestartPolicy(String id, String policy) {
        ContainerInfo c = require(id);
        calls.add("update " + c.name() + " restart=" + policy);
        restartPolicies.put(c.id(), policy);
    }

    public synchronized String restartPolicy(String id) {
        String p = restartPolicies.get(id);
        if (p != null) {
            return p;
        }
        ContainerSpec spec = specs.get(id);
        return spec == null || spec.restartPolicy() == null ? "no" : spec.restartPolicy();
    }

    /**
     * What dockerd does when it stops and starts again (reboot, package upgrade): every container stops; then those
     * with {@code always}, and those with {@code unless-stopped} or {@code on-failure} that were running and not
     * stopped by a client, start again.
     */
    public synchronized void restartEngine() {
        calls.add("engine restart");
        for (ContainerInfo c : List.copyOf(containers.values())) {
            boolean wasRunning = c.running();
            if (wasRunning) {
                put(c, "exited", c.health(), 255);
                addresses.remove(c.id());
            }
            String p = restartPolicy(c.id());
            boolean back = p.equals("always") && !c.state().equals("created")
                    || (p.equals("unless-stopped") || p.startsWith("on-failure")) && wasRunning
                    && !stoppedByHand.contains(c.id());
            if (back) {
                ContainerInfo now = containers.get(c.id());
                put(now, "running", healthOnStart.get(c.name()), null);
                now.networkAliases().keySet().forEach(n -> address(c.id(), n));
            }
        }
    }

    /** Like the engine: stopping a container that is not running changes nothing (HTTP 304). */
    @Override
    public synchronized void stopContainer(String id, Duration timeout) {
        ContainerInfo c = require(id);
        calls.add("stop " + c.name());
        if (c.running()) {
            put(c, "exited", c.health(), 0);
            addresses.remove(c.id());
        }
        stoppedByHand.add(c.id());
    }

    @Override
    public synchronized void renameContainer(String id, String newName) {
        ContainerInfo c = require(id);
        if (findContainer(newName).filter(o -> !o.id().equals(c.id())).isPresent()) {
            throw new NameConflictException(newName, null);
        }
        calls.add("rename " + c.name() + " " + newName);
        containers.put(c.id(), new ContainerInfo(c.id(), newName, c.image(), c.imageId(), c.state(), c.health(),
                c.exitCode(), c.labels(), c.created(), c.mounts(), c.networkAliases()));
    }

    @Override
    public synchronized void removeContainer(String id) {
        ContainerInfo c = require(id);
        calls.add("remove " + c.name());
        containers.remove(c.id());
        Stdin s = attached.get(c.id());
        if (s != null) {
            s.ended = true;
        }
        addresses.remove(c.id());
    }

    @Override
    public synchronized void connectNetwork(String network, String containerId, List<String> aliases) {
        ContainerInfo c = require(containerId);
        calls.add("connect " + network + " " + c.name());
        Map<String, List<String>> nets = new LinkedHashMap<>(c.networkAliases());
        nets.put(network, aliases == null ? List.of() : List.copyOf(aliases));
        withNetworks(c, nets);
        address(c.id(), network);
    }

    @Override
    public synchronized void disconnectNetwork(String network, String containerId) {
        ContainerInfo c = require(containerId);
        if (!c.networkAliases().containsKey(network)) {
            // as the engine answers (HTTP 403)
            throw new DockerOperationException("container " + c.id() + " is not connected to network " + network);
        }
        calls.add("disconnect " + network + " " + c.name());
        Map<String, List<String>> nets = new LinkedHashMap<>(c.networkAliases());
        nets.remove(network);
        withNetworks(c, nets);
        Map<String, String> own = addresses.get(c.id());
        if (own != null) {
            own.remove(network);
        }
    }

    /**
     * Like {@link DockerJavaEngine#replaceAliases}: disconnects and connects again with exactly {@code aliases}. The
     * engine then hands out the lowest free address of the network (the fake's networks have no configured subnet),
     * which is the one just released unless a lower one was freed meanwhile; true when it is the same as before.
     */
    @Override
    public synchronized boolean replaceAliases(String network, String containerId, List<String> aliases) {
        ContainerInfo c = require(containerId);
        String before = c.networkAliases().containsKey(network) ? address(c.id(), network) : null;
        disconnectNetwork(network, c.id());
        connectNetwork(network, c.id(), aliases);
        return before != null && before.equals(address(c.id(), network));
    }

    /**
     * The container's IPv4 address on {@code network}: the lowest free one while it runs there, assigned on first
     * use (also to a container put into {@link #containers} directly); null when it is not running or not there.
     */
    public synchronized String address(String idOrName, String network) {
        ContainerInfo c = inspectContainer(idOrName).orElse(null);
        if (c == null || !c.running() || !c.networkAliases().containsKey(network)) {
            return null;
        }
        Map<String, String> own = addresses.computeIfAbsent(c.id(), k -> new HashMap<>());
        return own.computeIfAbsent(network, n -> {
            int subnet = subnets.computeIfAbsent(n, k -> subnets.size() + 18);
            Set<String> taken = new HashSet<>();
            addresses.values().forEach(byNetwork -> {
                if (byNetwork.containsKey(n)) {
                    taken.add(byNetwork.get(n));
                }
            });
            for (int host = 2; ; host++) {
                String ip = "172." + subnet + ".0." + host;
                if (!taken.contains(ip)) {
                    return ip;
                }
            }
        });
    }

    private void withNetworks(ContainerInfo c, Map<String, List<String>> nets) {
        containers.put(c.id(), new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), c.state(), c.health(),
                c.exitCode(), c.labels(), c.created(), c.mounts(), nets));
    }

    @Override
    public List<String> logTail(String id, int lines) {
        return List.of("log of " + require(id).name());
    }

    /**
     * Like the real adapter: a command that does not finish within {@code timeout} is answered with
     * {@link ExecResult#TIMED_OUT} and the output so far (no exception); a container that is not running is a 409.
     */
    @Override
    public synchronized ExecResult exec(String containerId, List<String> command, Duration timeout) {
        ContainerInfo c = require(containerId);
        if (!c.running()) {
            throw new DockerOperationException("container " + c.id() + " is not running");
        }
        String key = c.name() + " " + String.join(" ", command);
        calls.add("exec " + key);
        if (!execs.containsKey(key) && command.size() == 3 && command.get(0).equals("getent")
                && command.get(1).equals("ahostsv4")) {
            return resolve(c, command.get(2));
        }
        Exec e = execs.getOrDefault(key, execs.getOrDefault(c.name(), Exec.exits(0, "")));
        boolean finishes = e.runsFor() != null && e.runsFor().compareTo(timeout) < 0;
        return new ExecResult(finishes ? e.exitCode() : ExecResult.TIMED_OUT, e.output());
    }

    /** Bytes each volume holds, as {@code GET /system/df} would say; a volume not listed: not measured. */
    public final Map<String, Long> volumeSizes = new HashMap<>();
    /** Host ports published by containers started outside the plugin (by container name), besides the specs'. */
    public final Map<String, List<PublishedPort>> foreignPorts = new HashMap<>();

    @Override
    public Map<String, Long> volumeSizes() {
        return Map.copyOf(volumeSizes);
    }

    /** Running containers' fixed host ports, from their specs (and {@link #foreignPorts}). */
    @Override
    public synchronized List<PublishedPort> publishedPorts() {
        List<PublishedPort> out = new ArrayList<>();
        for (ContainerInfo c : containers.values()) {
            if (!c.running()) {
                continue;
            }
            out.addAll(foreignPorts.getOrDefault(c.name(), List.of()));
            ContainerSpec spec = specs.get(c.id());
            if (spec != null) {
                spec.ports().stream().filter(p -> p.hostPort() != null && !p.hostPort().isBlank())
                        .forEach(p -> out.add(new PublishedPort(c.id(), c.name(), p.hostIp() == null ? "" : p.hostIp(),
                                Integer.parseInt(p.hostPort().trim()), p.protocol())));
            }
        }
        return out;
    }

    /** Like the engine's network inspect: every container attached (running ones with their address). */
    @Override
    public synchronized List<NetworkEndpoint> networkEndpoints(String network) {
        List<NetworkEndpoint> out = new ArrayList<>();
        for (ContainerInfo c : List.copyOf(containers.values())) {
            if (c.running() && c.networkAliases().containsKey(network)) {
                out.add(new NetworkEndpoint(c.id(), c.name(), address(c.id(), network)));
            }
        }
        return out;
    }

    /**
     * By container name: the one network whose answer Docker's DNS gives a container attached to several (the real
     * resolver stops at the first network that knows the name). Not listed: the answers of all its networks.
     */
    public final Map<String, String> dnsAnswersFrom = new HashMap<>();

    /**
     * Like Docker's DNS seen from inside {@code from}: the addresses of the running containers that answer to
     * {@code name} (an alias, or their name) on {@code from}'s networks, as {@code getent ahostsv4} prints them; exit
     * code 2 when none does.
     */
    private ExecResult resolve(ContainerInfo from, String name) {
        StringBuilder out = new StringBuilder();
        String only = dnsAnswersFrom.get(from.name());
        for (String network : only != null ? List.of(only) : from.networkAliases().keySet()) {
            for (ContainerInfo c : List.copyOf(containers.values())) {
                if (c.running() && c.networkAliases().containsKey(network)
                        && (c.name().equals(name) || c.networkAliases().get(network).contains(name))) {
                    out.append(address(c.id(), network)).append("      STREAM ").append(name).append('\n');
                }
            }
        }
        return new ExecResult(out.length() == 0 ? 2 : 0, out.toString());
    }

    @Override
    public Optional<VolumeInfo> findVolume(String name) {
        return Optional.ofNullable(volumes.get(name));
    }

    @Override
    public VolumeInfo createVolume(String name, String driver, Map<String, String> driverOpts,
            Map<String, String> labels) {
        calls.add("create volume " + name);
        VolumeInfo v = new VolumeInfo(name, driver == null ? "local" : driver, clock.toString(), labels);
        // as the engine: a taken name is answered with the existing volume, unchanged
        VolumeInfo existing = volumes.putIfAbsent(name, v);
        return existing != null ? existing : v;
    }

    @Override
    public Optional<NetworkInfo> findNetwork(String name) {
        return Optional.ofNullable(networks.get(name));
    }

    @Override
    public NetworkInfo createNetwork(String name, String driver, Map<String, String> labels, NetworkIpam ipam) {
        if (ipam != null) {
            networkIpam.put(name, ipam);
        }
        return createNetwork(name, driver, labels);
    }

    /** The ipam each network was created with (by name). */
    public final Map<String, NetworkIpam> networkIpam = new HashMap<>();

    @Override
    public synchronized NetworkInfo createNetwork(String name, String driver, Map<String, String> labels,
            NetworkIpam ipam, NetworkOptions options) {
        NetworkInfo n = createNetwork(name, driver, labels, ipam);
        NetworkInfo withOptions = new NetworkInfo(n.id(), n.name(), n.driver(), n.labels(), options);
        networks.put(name, withOptions);
        return withOptions;
    }

    /** What {@link #apiVersion()} answers; null: unknown. */
    public String api;

    @Override
    public String apiVersion() {
        return api;
    }

    @Override
    public synchronized NetworkInfo createNetwork(String name, String driver, Map<String, String> labels) {
        calls.add("create network " + name);
        NetworkInfo n = new NetworkInfo("n" + ids.incrementAndGet(), name, driver == null ? "bridge" : driver,
                labels);
        networks.put(name, n);
        return n;
    }

    @Override
    public Optional<ImageInfo> findImage(String reference) {
        ImageInfo byTag = images.get(reference);
        return byTag != null ? Optional.of(byTag)
                : images.values().stream().filter(i -> i.id().equals(reference)).findFirst();
    }

    @Override
    public List<ImageInfo> listImages(Map<String, String> labels) {
        Map<String, ImageInfo> byId = new LinkedHashMap<>();
        images.values().stream().filter(i -> LabelFilters.matches(i.labels(), labels))
                .forEach(i -> byId.putIfAbsent(i.id(), i));
        return List.copyOf(byId.values());
    }

    /**
     * Like the engine without force: a tag of an image with other tags is just untagged; the last tag (or the id)
     * of an image a container uses, running or not, is refused with 409; an id with several tags is refused.
     */
    @Override
    public void removeImage(String reference) {
        ImageInfo img = images.get(reference);
        if (img == null) {
            img = images.values().stream().filter(i -> i.id().equals(reference)).findFirst().orElse(null);
        }
        if (img == null) {
            throw new DockerOperationException("no such image: " + reference);
        }
        boolean byId = img.id().equals(reference) && !img.tags().contains(reference);
        if (byId && img.tags().size() > 1) {
            throw new DockerOperationException("conflict: unable to delete " + reference
                    + " (must be forced) - image is referenced in multiple repositories");
        }
        if (!byId && img.tags().size() > 1) {
            ImageInfo before = img;
            List<String> rest = new ArrayList<>(img.tags());
            rest.remove(reference);
            ImageInfo after = new ImageInfo(img.id(), rest, img.labels());
            images.remove(reference);
            rest.forEach(t -> images.put(t, after));
            calls.add("untag image " + reference);
            return;
        }
        String id = img.id();
        if (containers.values().stream().anyMatch(c -> id.equals(c.imageId()))) {
            throw new DockerOperationException("conflict: unable to remove repository reference \"" + reference
                    + "\" (must force) - container is using its referenced image " + id);
        }
        images.values().removeIf(i -> i.id().equals(id));
        calls.add("remove image " + reference);
    }

    /** Every build request, in order. */
    public final List<BuildRequest> builds = new ArrayList<>();
    /** First tag of a build -> the failure it reports (as the real engine would for a failing RUN). */
    public final Map<String, ImageBuildException> buildFailures = new HashMap<>();

    @Override
    public String buildImage(BuildRequest request, Consumer<String> progress) {
        String first = request.tags().isEmpty() ? "<untagged>" : request.tags().get(0);
        builds.add(request);
        calls.add("build " + first);
        if (progress != null) {
            progress.accept("Step 1/1 : FROM fake");
        }
        ImageBuildException failure = buildFailures.get(first);
        if (failure != null) {
            throw failure;
        }
        String id = "sha256:built-" + ids.incrementAndGet();
        for (String tag : request.tags()) {
            // a tag moves to the new image, as on the engine
            ImageInfo old = images.remove(tag);
            if (old != null && old.tags().size() > 1) {
                List<String> rest = new ArrayList<>(old.tags());
                rest.remove(tag);
                images.put(rest.get(0), new ImageInfo(old.id(), rest, old.labels()));
            }
        }
        ImageInfo img = new ImageInfo(id, request.tags(), request.labels());
        request.tags().forEach(t -> images.put(t, img));
        return id;
    }

    /** Images a pull finds (a stand-in registry); pulls of anything else fail. Pushes land here too. */
    public final Map<String, ImageInfo> registry = new LinkedHashMap<>();
    public final List<String> pulls = new ArrayList<>();
    public final List<String> pushes = new ArrayList<>();
    /** reference -> the failure a push of it throws */
    public final Map<String, DockerOperationException> pushFailures = new HashMap<>();

    @Override
    public void pullImage(String reference, Consumer<String> progress) {
        pulls.add(reference);
        ImageInfo img = registry.get(reference);
        if (img == null) {
            throw new DockerOperationException("pull access denied for " + reference + " (no registry reachable)");
        }
        images.put(reference, img);
    }

    @Override
    public void pushImage(String reference, Consumer<String> progress) {
        if (pushFailures.containsKey(reference)) {
            throw pushFailures.get(reference);
        }
        ImageInfo img = findImage(reference).orElseThrow(() ->
                new DockerOperationException("An image does not exist locally with the tag: " + reference));
        pushes.add(reference);
        registry.put(reference, img);
    }

    @Override
    public void tagImage(String source, String target) {
        ImageInfo img = findImage(source).orElseThrow(() -> new DockerOperationException("no such image: " + source));
        List<String> tags = new ArrayList<>(img.tags());
        tags.add(target);
        ImageInfo tagged = new ImageInfo(img.id(), tags, img.labels());
        images.replaceAll((k, v) -> v.id().equals(img.id()) ? tagged : v);
        images.put(target, tagged);
    }

    @Override
    public void close() {}
}
