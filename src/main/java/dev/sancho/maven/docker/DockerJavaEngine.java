package dev.sancho.maven.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Parallel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link DockerEngine} of one Docker engine, through docker-java. It only makes the calls: what they send and
 * what the answers mean is spelled out in small classes beside it ({@link ContainerCreateCommand},
 * {@link ImageBuildCommand}, {@link ContainerInfos}, {@link ResourceInfos}, {@link BuildStream},
 * {@link PullProgress}, {@link ImageReference}, {@link LabelFilters}).
 *
 * <p>It makes no transport decision either. How requests reach the engine (unix socket, tcp, TLS) is the
 * {@link DockerHttpClient} it is given, built by {@link DockerConnect}; another transport (an ssh tunnel, say) is
 * another {@code DockerHttpClient}, and {@code address} is only the name the user knows the engine by, for messages.
 * An adapter for another kind of engine (Swarm services instead of containers) implements {@link DockerEngine}
 * itself and can reuse the same transport.
 *
 * <p>The API version is left unset on purpose: docker-java then calls unversioned paths and the engine answers with
 * its own version (pinning a newer one than the engine's is a 400).
 *
 * <p>Every call goes through {@link #call} so that no docker-java exception escapes: callers only ever see
 * {@link EngineUnreachableException}, {@link NameConflictException} or {@link DockerOperationException}.
 */
public final class DockerJavaEngine implements DockerEngine {
    private final String address;
    private final Lazy<DockerHttpClient> http;
    private final Lazy<DockerClient> client;
    private final EngineGet reads;
    private final RegistryCredentials registries;
    /** Networks that refused a fixed address (no user-configured subnet): the next reconnect does not ask again. */
    private final java.util.Set<String> noFixedAddress = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** An engine whose pulls, pushes and builds use no registry credentials but docker-java's own reading of auths. */
    public DockerJavaEngine(String address, DockerClientConfig config, DockerHttpClient http) {
        this(address, config, http, RegistryCredentials.NONE);
    }

    /**
     * @param address the engine's address as the user gave it, e.g. {@code unix:///var/run/docker.sock}, for messages
     * @param config  docker-java's settings: where requests go ({@link DockerClientConfig#getDockerHost()}),
     *                registry credentials for pulls; its TLS settings are already in {@code http}
     * @param http    the transport every request goes through, raw and typed ones alike; closed by {@link #close()}
     * @param registries where pulls, pushes and the {@code FROM} images of builds find their registry credentials
     */
    public DockerJavaEngine(String address, DockerClientConfig config, DockerHttpClient http,
            RegistryCredentials registries) {
        this(address, () -> config, Lazy.of(http), readsFor(config.getDockerHost(), http), registries);
    }

    /**
     * @param config docker-java's settings, asked for on the first write only
     * @param http   the transport of the writes (and of {@code reads} where that goes through it), made on first use
     * @param reads  how version, lists and inspects reach the engine
     */
    DockerJavaEngine(String address, Supplier<DockerClientConfig> config, Lazy<DockerHttpClient> http, EngineGet reads,
            RegistryCredentials registries) {
        this.address = address;
        this.registries = registries;
        this.http = http;
        this.reads = reads;
        this.client = new Lazy<>(() -> DockerClientImpl.getInstance(config.get(), http.get()));
    }

    /** A unix socket is read with the JDK alone (no pool, no TLS set-up); other transports through {@code http}. */
    private static EngineGet readsFor(URI host, DockerHttpClient http) {
        return host != null && "unix".equals(host.getScheme()) ? new UnixSocketGet(Path.of(host.getPath()))
                : new DockerHttpGet(() -> http);
    }

    /** docker-java's client, made on the first write: a read-only goal never loads it. */
    private DockerClient client() {
        return client.get();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public String ping() {
        JsonNode v = version();
        return JsonFields.text(v.path("Version")) + ", API " + JsonFields.text(v.path("ApiVersion"));
    }

    @Override
    public String architecture() {
        String arch = JsonFields.text(version().path("Arch"));
        return arch == null || arch.isBlank() ? null : arch;
    }

    /** {@code SystemTime} of GET /info; this machine's clock when the engine gives none. */
    @Override
    public java.time.Instant clock() {
        String time = getJson("/info", null).map(i -> JsonFields.text(i.path("SystemTime"))).orElse(null);
        try {
            return time == null || time.isBlank() ? java.time.Instant.now()
                    : java.time.OffsetDateTime.parse(time).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.now();
        }
    }

    /** GET /version, which also tells that the engine answers; remembers the API version. */
    private JsonNode version() {
        JsonNode v = getJson("/version", null).orElseThrow(() ->
                new DockerOperationException("the engine at " + address + " has no /version"));
        apiVersion = JsonFields.text(v.path("ApiVersion"));
        return v;
    }

    // ---- containers -------------------------------------------------------------------------------------

    @Override
    public Optional<ContainerInfo> findContainer(String name) {
        for (JsonNode c : listJson("/containers/json?all=1&filters=" + filters("name",
                List.of(ExactNames.anchoredFilter(name))))) {
            if (ExactNames.matches(JsonFields.strings(c.path("Names")), name)) {
                return inspectById(JsonFields.text(c.path("Id"))).filter(info -> name.equals(info.name()));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<ContainerInfo> listContainers(Map<String, String> labels) {
        List<JsonNode> list = listJson("/containers/json?all=1&filters=" + filters("label",
                LabelFilters.filter(labels)));
        // One inspect per container (the list call lacks health and aliases). They are independent round trips, so
        // they run concurrently: a cleanup of 200 stale containers is dominated by them otherwise.
        List<String> ids = list.stream().map(c -> JsonFields.text(c.path("Id"))).toList();
        Map<String, Optional<ContainerInfo>> inspected = new ConcurrentHashMap<>();
        try {
            Parallel.run(ids, id -> inspected.put(id, inspectById(id)));
        } catch (CheckFailedException e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw e;
            }
            throw new DockerOperationException("interrupted while inspecting containers", e);
        }
        List<ContainerInfo> result = new ArrayList<>();
        for (String id : ids) {
            // A container can vanish between list and inspect; it is then simply not there any more.
            inspected.get(id).filter(c -> LabelFilters.matches(c.labels(), labels)).ifPresent(result::add);
        }
        return result;
    }

    @Override
    public List<ContainerInfo> listContainerSummaries(Map<String, String> labels) {
        String query = labels.isEmpty() ? "" : "&filters=" + filters("label", LabelFilters.filter(labels));
        return listJson("/containers/json?all=1" + query).stream().map(ContainerSummaries::of)
                .filter(c -> LabelFilters.matches(c.labels(), labels)).toList();
    }

    @Override
    public List<ContainerInfo> containersUsingVolume(String volume) {
        // The engine's volume filter also matches a mount's destination: the exact name is checked on the answer.
        return listJson("/containers/json?all=1&filters=" + filters("volume", List.of(volume))).stream()
                .map(ContainerSummaries::of).filter(c -> c.mounts().stream()
                        .anyMatch(m -> "volume".equals(m.type()) && volume.equals(m.source()))).toList();
    }

    @Override
    public List<PublishedPort> publishedPorts() {
        return listJson("/containers/json").stream().flatMap(c -> ContainerSummaries.ports(c).stream()).toList();
    }

    @Override
    public List<NetworkEndpoint> networkEndpoints(String network) {
        return getJson("/networks/" + encode(network), "network " + network)
                .filter(n -> network.equals(JsonFields.text(n.path("Name"))))
                .map(ResourceInfos::endpoints).orElse(List.of());
    }

    @Override
    public Map<String, Long> volumeSizes() {
        return getJson("/system/df", null).map(ResourceInfos::volumeSizes).orElse(Map.of());
    }

    @Override
    public Optional<ContainerInfo> inspectContainer(String idOrName) {
        Optional<ContainerInfo> info = inspectById(idOrName);
        // Docker also resolves short id prefixes; a *name* that happens to be a hex prefix of another container's
        // id must not return that container.
        return info.filter(c -> c.name().equals(idOrName) || c.id().equals(idOrName)
                || (idOrName.length() >= 12 && c.id().startsWith(idOrName)));
    }

    private Optional<ContainerInfo> inspectById(String idOrName) {
        return inspectJson(idOrName).map(ContainerInfos::fromInspect);
    }

    /** Raw call: docker-java's model of the answer drops fields we report. */
    private Optional<JsonNode> inspectJson(String idOrName) {
        return getJson("/containers/" + encode(idOrName) + "/json", "container " + idOrName);
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        List<Map.Entry<String, List<String>>> networks = new ArrayList<>(spec.networks() == null
                ? List.of() : spec.networks().entrySet());
        // 404 here may be the image or the network: the engine's own message says which.
        String id = call(null, () -> {
            try {
                return ContainerCreateCommand.apply(client().createContainerCmd(spec.image()), spec,
                        networks.isEmpty() ? null : networks.get(0),
                        spec.options().healthStartInterval() == null || apiAtLeast(1, 44)).exec().getId();
            } catch (ConflictException e) {
                throw new NameConflictException(spec.name(), e);
            }
        });
        // The create API takes one network only; the others are joined before the first start.
        for (int i = 1; i < networks.size(); i++) {
            var n = networks.get(i);
            try {
                ContainerOptions.Address address = spec.options().addresses().get(n.getKey());
                connect(n.getKey(), id, n.getValue(), address == null ? null : address.ipv4());
            } catch (DockerOperationException e) {
                throw new DockerOperationException("container " + spec.name() + " was created but could not join"
                        + " network " + n.getKey() + ": " + e.getMessage(), e);
            }
        }
        return id;
    }

    /**
     * docker-java's IPAM model has no field for the engine's {@code Options} and {@code AuxiliaryAddresses}; every
     * model object serialises its raw values too ({@code @JsonAnyGetter}), so they are put there.
     */
    private static void raw(com.github.dockerjava.api.model.DockerObject o, String key, Object value) {
        RawFields.put(o, key, value);
    }

    private volatile String apiVersion;

    /** The engine's API version is at least MAJOR.MINOR (asked once). */
    boolean apiAtLeast(int major, int minor) {
        if (apiVersion == null) {
            version();
        }
        return apiAtLeast(apiVersion, major, minor);
    }

    static boolean apiAtLeast(String version, int major, int minor) {
        try {
            String[] parts = version.trim().split("\\.");
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String apiVersion() {
        apiAtLeast(1, 0);
        return apiVersion;
    }

    @Override
    public void copyToContainer(String id, List<ContainerFile> files) {
        byte[] tar = FileArchive.tar(files);
        call("container " + id, () -> {
            client().copyArchiveToContainerCmd(id).withRemotePath("/")
                    .withTarInputStream(new java.io.ByteArrayInputStream(tar)).exec();
            return null;
        });
    }

    /** A certificate store is kilobytes; a path that holds more is not one (and is not read into memory). */
    private static final long MAX_READ = 16L * 1024 * 1024;

    @Override
    public Optional<List<ContainerFile>> readFiles(String containerId, String path) {
        String query = "/containers/" + containerId + "/archive?path="
                + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8);
        return call("container " + containerId, () -> {
            EngineGet.Reply reply = reads.get(query);
            if (reply.status() == 404 && new String(reply.body(), StandardCharsets.UTF_8).contains("ould not find")) {
                return Optional.empty(); // the path (not the container: that is an error) does not exist
            }
            if (reply.status() >= 300) {
                throw new DockerOperationException(DockerErrors.engineMessage(reply.status(),
                        new String(reply.body(), StandardCharsets.UTF_8)));
            }
            return Optional.of(FileArchive.untar(new java.io.ByteArrayInputStream(reply.body()), path, MAX_READ));
        });
    }

    @Override
    public StreamedFile streamFile(String fromContainer, String path, String toContainer, String dir, String name) {
        return call("container " + fromContainer, () -> FileStream.copy(
                () -> client().copyArchiveFromContainerCmd(fromContainer, path).exec(),
                tar -> client().copyArchiveToContainerCmd(toContainer).withRemotePath(dir).withTarInputStream(tar)
                        .exec(),
                path, name));
    }

    @Override
    public StreamedFile streamFileTo(String containerId, String path, java.io.OutputStream to) {
        return call("container " + containerId, () -> FileStream.download(
                () -> client().copyArchiveFromContainerCmd(containerId, path).exec(), to, path));
    }

    @Override
    public StdinStream attachStdin(String containerId) {
        AttachedStdin attached = new AttachedStdin();
        call("container " + containerId, () -> client().attachContainerCmd(containerId).withStdIn(attached.feed)
                .withStdOut(true).withStdErr(true).withFollowStream(true).withLogs(false).exec(attached.callback));
        attached.awaitAccepted(address, containerId);
        return attached;
    }

    @Override
    public void startContainer(String id) {
        call("container " + id, () -> {
            try {
                client().startContainerCmd(id).exec();
            } catch (NotModifiedException alreadyRunning) {
                // 304: nothing to do
            }
            return null;
        });
    }

    @Override
    public void updateRestartPolicy(String id, String policy) {
        call("container " + id, () -> client().updateContainerCmd(id)
                .withRestartPolicy(ContainerCreateCommand.restartPolicyForUpdate(policy)).exec());
    }

    @Override
    public void renameContainer(String id, String newName) {
        call("container " + id, () -> {
            try {
                client().renameContainerCmd(id).withName(newName).exec();
            } catch (ConflictException e) {
                throw new NameConflictException(newName, e);
            }
            return null;
        });
    }

    @Override
    public void stopContainer(String id, Duration timeout) {
        int seconds = (int) Math.max(0, timeout.toSeconds());
        call("container " + id, () -> {
            try {
                client().stopContainerCmd(id).withTimeout(seconds).exec();
            } catch (NotModifiedException notRunning) {
                // 304: already stopped
            }
            return null;
        });
    }

    @Override
    public void removeContainer(String id) {
        call("container " + id, () -> {
            client().removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
            return null;
        });
    }

    @Override
    public void connectNetwork(String network, String containerId, List<String> aliases) {
        connect(network, containerId, aliases, null);
    }

    @Override
    public void disconnectNetwork(String network, String containerId) {
        call(null, () -> {
            client().disconnectFromNetworkCmd().withNetworkId(network).withContainerId(containerId).exec();
            return null;
        });
    }

    @Override
    public boolean replaceAliases(String network, String containerId, List<String> aliases) {
        // Read the address before the disconnect: the endpoint is gone for as short a time as possible.
        String ip = inspectJson(containerId).map(j -> ContainerInfos.ipv4Address(j, network))
                .filter(a -> !a.isBlank()).orElse(null);
        disconnectNetwork(network, containerId);
        // The container is unreachable on this network until the connect below returns: one call, not a refused
        // one first, when the network is known to refuse a fixed address.
        if (ip != null && !noFixedAddress.contains(network)) {
            try {
                connect(network, containerId, aliases, ip);
                return true;
            } catch (DockerOperationException e) {
                // "user specified IP address is supported only when connecting to networks with user configured
                // subnets": the engine then hands out the lowest free address, which is usually the one just freed.
                if (String.valueOf(e.getMessage()).contains("user configured subnets")) {
                    noFixedAddress.add(network);
                }
            }
        }
        connect(network, containerId, aliases, null);
        return ip != null && ip.equals(inspectJson(containerId).map(j -> ContainerInfos.ipv4Address(j, network))
                .orElse(null));
    }

    /** @param ipv4 the address to keep on the network; null = the engine picks one */
    private void connect(String network, String containerId, List<String> aliases, String ipv4) {
        call(null, () -> {
            ContainerNetwork endpoint = new ContainerNetwork();
            if (aliases != null && !aliases.isEmpty()) {
                endpoint.withAliases(aliases);
            }
            if (ipv4 != null) {
                endpoint.withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(ipv4));
            }
            client().connectToNetworkCmd().withNetworkId(network).withContainerId(containerId)
                    .withContainerNetwork(endpoint).exec();
            return null;
        });
    }

    @Override
    public List<String> logTail(String id, int lines) {
        return call("container " + id, () -> {
            StringBuilder out = new StringBuilder();
            var cb = client().logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    });
            if (!cb.awaitCompletion(30, TimeUnit.SECONDS)) {
                closeQuietly(cb);
            }
            return out.toString().lines().toList();
        });
    }

    @Override
    public void streamLogs(String id, Long sinceEpochSecond, Integer tail, boolean follow, Consumer<String> line) {
        call("container " + id, () -> {
            var cmd = client().logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(follow);
            if (tail != null) {
                cmd = cmd.withTail(tail);
            } else {
                cmd = cmd.withTailAll();
            }
            if (sinceEpochSecond != null) {
                cmd = cmd.withSince((int) Math.min(Integer.MAX_VALUE, sinceEpochSecond));
            }
            var cb = cmd.exec(new LineFrames(line));
            try {
                cb.awaitCompletion();
            } finally {
                closeQuietly(cb);
            }
            cb.flush();
            return null;
        });
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        return call("container " + containerId, () -> {
            String execId = client().execCreateCmd(containerId).withAttachStdout(true).withAttachStderr(true)
                    .withCmd(command.toArray(String[]::new)).exec().getId();
            StringBuilder out = new StringBuilder();
            var cb = client().execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    synchronized (out) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            });
            boolean done = cb.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                closeQuietly(cb);
                synchronized (out) {
                    return new ExecResult(ExecResult.TIMED_OUT, out.toString());
                }
            }
            Long exit = client().inspectExecCmd(execId).exec().getExitCodeLong();
            synchronized (out) {
                return new ExecResult(exit == null ? ExecResult.TIMED_OUT : exit.intValue(), out.toString());
            }
        });
    }

    @Override
    public Optional<List<ContainerProcess>> processes(String containerId) {
        JsonNode top = getJson("/containers/" + encode(containerId) + "/top", "container " + containerId)
                .orElseThrow(() -> new DockerOperationException("container " + containerId + " does not exist"));
        List<String> titles = new ArrayList<>();
        top.path("Titles").forEach(t -> titles.add(t.asText()));
        List<List<String>> rows = new ArrayList<>();
        top.path("Processes").forEach(r -> {
            List<String> row = new ArrayList<>();
            r.forEach(f -> row.add(f.asText()));
            rows.add(row);
        });
        return Optional.of(ContainerProcess.fromTop(titles, rows));
    }

    // ---- volumes ----------------------------------------------------------------------------------------

    @Override
    public Optional<VolumeInfo> findVolume(String name) {
        // Raw call: docker-java's volume model drops CreatedAt, which we report to the user.
        return getJson("/volumes/" + encode(name), "volume " + name)
                .map(ResourceInfos::volume)
                .filter(v -> name.equals(v.name()));
    }

    @Override
    public VolumeInfo createVolume(String name, String driver, Map<String, String> driverOpts,
            Map<String, String> labels) {
        call(null, () -> {
            var cmd = client().createVolumeCmd().withName(name);
            if (driver != null && !driver.isBlank()) {
                cmd.withDriver(driver);
            }
            if (driverOpts != null && !driverOpts.isEmpty()) {
                cmd.withDriverOpts(driverOpts);
            }
            if (labels != null && !labels.isEmpty()) {
                cmd.withLabels(labels);
            }
            return cmd.exec();
        });
        return findVolume(name).orElseThrow(() ->
                new DockerOperationException("volume " + name + " was created but the engine does not report it"));
    }

    // ---- networks ---------------------------------------------------------------------------------------

    @Override
    public Optional<NetworkInfo> findNetwork(String name) {
        // The engine's network lookup also accepts id prefixes and its name filter matches substrings.
        return listJson("/networks?filters=" + filters("name", List.of(name))).stream()
                .filter(n -> name.equals(JsonFields.text(n.path("Name")))).findFirst().map(ResourceInfos::network);
    }

    @Override
    public NetworkInfo createNetwork(String name, String driver, Map<String, String> labels) {
        return createNetwork(name, driver, labels, null);
    }

    @Override
    public NetworkInfo createNetwork(String name, String driver, Map<String, String> labels, NetworkIpam ipam) {
        return createNetwork(name, driver, labels, ipam, NetworkOptions.NONE);
    }

    @Override
    public NetworkInfo createNetwork(String name, String driver, Map<String, String> labels, NetworkIpam ipam,
            NetworkOptions options) {
        call(null, () -> {
            var cmd = client().createNetworkCmd().withName(name).withCheckDuplicate(true);
            if (ipam != null) {
                var config = new com.github.dockerjava.api.model.Network.Ipam();
                if (ipam.driver() != null) {
                    config.withDriver(ipam.driver());
                }
                if (!ipam.options().isEmpty()) {
                    raw(config, "Options", ipam.options());
                }
                config.withConfig(ipam.pools().stream().map(p -> {
                    var c = new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(p.subnet())
                            .withIpRange(p.ipRange()).withGateway(p.gateway());
                    if (!p.auxAddresses().isEmpty()) {
                        raw(c, "AuxiliaryAddresses", p.auxAddresses());
                    }
                    return c;
                }).toList());
                cmd.withIpam(config);
            }
            if (driver != null && !driver.isBlank()) {
                cmd.withDriver(driver);
            }
            if (labels != null && !labels.isEmpty()) {
                cmd.withLabels(labels);
            }
            NetworkSpelling.apply(cmd, options);
            return cmd.exec();
        });
        return findNetwork(name).orElseThrow(() ->
                new DockerOperationException("network " + name + " was created but the engine does not report it"));
    }

    // ---- images -----------------------------------------------------------------------------------------

    @Override
    public Optional<ImageInfo> findImage(String reference) {
        return getJson("/images/" + encodePath(reference) + "/json", "image " + reference)
                .map(ResourceInfos::imageFromInspect);
    }

    @Override
    public List<ImageInfo> listImages(Map<String, String> labels) {
        List<String> filter = LabelFilters.filter(labels);
        return listJson(filter.isEmpty() ? "/images/json" : "/images/json?filters=" + filters("label", filter)).stream()
                .map(ResourceInfos::imageFromList)
                .filter(i -> LabelFilters.matches(i.labels(), labels))
                .toList();
    }

    @Override
    public void removeImage(String reference) {
        call("image " + reference, () -> {
            client().removeImageCmd(reference).withForce(false).exec();
            return null;
        });
    }

    @Override
    public String buildImage(BuildRequest request, Consumer<String> progress) {
        String name = request.tags().isEmpty() ? String.valueOf(request.context()) : request.tags().get(0);
        Path tarFile;
        BuildContext.Written written;
        try {
            // A file, not a pipe: a bad context fails here, before the engine has started anything.
            tarFile = Files.createTempFile("sancho-build-", ".tar");
        } catch (IOException e) {
            throw new DockerOperationException("cannot create a temporary file for the build context of " + name
                    + ": " + e.getMessage(), e);
        }
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tarFile))) {
                written = BuildContext.write(request.context(), request.dockerfile(), out);
            } catch (IOException e) {
                throw new DockerOperationException("cannot read the build context " + request.context() + ": "
                        + e.getMessage(), e);
            }
            BuildStream stream = new BuildStream(progress);
            List<RegistryAuth> auths = buildAuths(request);
            try (InputStream tar = new BufferedInputStream(Files.newInputStream(tarFile))) {
                call(null, () -> {
                    var cmd = ImageBuildCommand.apply(client().buildImageCmd(tar), request, written.dockerfileInTar());
                    if (!auths.isEmpty()) {
                        cmd.withBuildAuthConfigs(RegistryAuthConfigs.of(auths));
                    }
                    cmd.exec(stream).awaitCompletion();
                    return null;
                });
            } catch (IOException e) {
                throw new DockerOperationException("cannot send the build context of " + name + ": "
                        + e.getMessage(), e);
            } finally {
                stream.flush();
            }
            ImageBuildException failure = stream.failure();
            if (failure != null) {
                throw failure;
            }
            String imageId = stream.imageId();
            if (imageId != null && !imageId.startsWith("sha256:")) {
                imageId = findImage(imageId).map(ImageInfo::id).orElse(imageId);
            }
            if (imageId == null && !request.tags().isEmpty()) {
                imageId = findImage(request.tags().get(0)).map(ImageInfo::id).orElse(null);
            }
            if (imageId == null) {
                throw new DockerOperationException("the engine finished building " + name
                        + " without reporting an image id");
            }
            return imageId;
        } finally {
            try {
                Files.deleteIfExists(tarFile);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    @Override
    public void pullImage(String reference, Consumer<String> progress) {
        ImageReference ref = ImageReference.parse(reference);
        String registry = RegistryCredentials.registryOf(reference);
        RegistryAuth auth = registries.forRegistry(registry).orElse(null);
        TransferProgress transfer = new TransferProgress(reference, progress, System::nanoTime);
        try {
            call(null, () -> {
                var cmd = client().pullImageCmd(ref.pullName()).withTag(ref.pullTag());
                if (auth != null) {
                    cmd.withAuthConfig(RegistryAuthConfigs.of(auth));
                }
                cmd.exec(new PullProgress(transfer)).awaitCompletion();
                return null;
            });
        } catch (DockerOperationException e) {
            if (RegistryAuthConfigs.isAuthFailure(e.getMessage())) {
                throw RegistryAuthConfigs.refused("pull", reference, registry, auth, registries.searched(),
                        e.getMessage(), e);
            }
            throw new DockerOperationException("cannot pull image " + reference + ": " + e.getMessage(), e);
        }
        if (progress != null) {
            progress.accept("Pulled " + reference + " (" + transfer.summary() + ") in "
                    + transfer.seconds() + " s" + (auth == null ? "" : ", credentials from " + auth.source()));
        }
    }

    @Override
    public void pushImage(String reference, Consumer<String> progress) {
        ImageReference ref = ImageReference.parse(reference);
        String registry = RegistryCredentials.registryOf(reference);
        RegistryAuth auth = registries.forRegistry(registry).orElse(null);
        TransferProgress transfer = new TransferProgress(reference, progress, System::nanoTime);
        PushProgress stream = new PushProgress(transfer);
        String error;
        try {
            error = call(null, () -> {
                var cmd = client().pushImageCmd(ref.repository()).withTag(ref.tag() == null ? "latest" : ref.tag());
                // the engine wants an X-Registry-Auth header even for an anonymous push
                cmd.withAuthConfig(auth != null ? RegistryAuthConfigs.of(auth)
                        : new com.github.dockerjava.api.model.AuthConfig()
                                .withRegistryAddress(RegistryAuthConfigs.serverAddress(registry)));
                cmd.exec(stream).awaitCompletion();
                return stream.error();
            });
        } catch (DockerOperationException e) {
            error = e.getMessage();
        }
        if (error != null) {
            if (RegistryAuthConfigs.isAuthFailure(error)) {
                throw RegistryAuthConfigs.refused("push", reference, registry, auth, registries.searched(), error,
                        null);
            }
            throw new DockerOperationException("cannot push image " + reference + " to " + registry + ": " + error);
        }
        if (progress != null) {
            progress.accept("Pushed " + reference + " (" + transfer.summary() + ") in "
                    + transfer.seconds() + " s" + (auth == null ? "" : ", credentials from " + auth.source()));
        }
    }

    @Override
    public void tagImage(String source, String target) {
        ImageReference ref = ImageReference.parse(target);
        call("image " + source, () -> {
            client().tagImageCmd(source, ref.repository(), ref.tag() == null ? "latest" : ref.tag()).exec();
            return null;
        });
    }

    /** Credentials for the registries of the Dockerfile's FROM images (only those: the build needs no others). */
    private List<RegistryAuth> buildAuths(BuildRequest request) {
        Path dockerfile = request.context().resolve(request.dockerfile() == null ? "Dockerfile" : request.dockerfile());
        String text;
        try {
            text = Files.readString(dockerfile, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of(); // the build itself reports a missing Dockerfile
        }
        List<RegistryAuth> auths = new ArrayList<>();
        for (String registry : DockerfileBases.registries(text, request.args())) {
            registries.forRegistry(registry).ifPresent(auths::add);
        }
        return auths;
    }

    @Override
    public void close() {
        try {
            // docker-java's client closes its transport; a transport made for the reads alone is closed here
            DockerClient made = client.ifMade();
            if (made != null) {
                made.close();
            } else if (http.ifMade() != null) {
                http.ifMade().close();
            }
        } catch (IOException | RuntimeException ignored) {
            // closing a connection pool cannot fail in a way the user could act on
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------------

    @Override
    public SwarmEngine swarm() {
        return new SwarmApi(address, http.get());
    }

    /** Runs one docker-java call and translates whatever it throws. */
    private <T> T call(String subject, Callable<T> body) {
        try {
            return body.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerOperationException("interrupted while talking to Docker at " + address, e);
        } catch (Exception e) {
            throw DockerErrors.translate(address, subject, e);
        }
    }

    @FunctionalInterface
    private interface Callable<T> {
        T call() throws Exception;
    }

    /** GET a JSON document; empty on 404. */
    private Optional<JsonNode> getJson(String path, String subject) {
        return call(subject, () -> {
            EngineGet.Reply reply = reads.get(path);
            if (reply.status() == 404) {
                return Optional.empty();
            }
            if (reply.status() >= 300) {
                throw new DockerOperationException(DockerErrors.engineMessage(reply.status(),
                        new String(reply.body(), StandardCharsets.UTF_8)));
            }
            return Optional.of(JsonTree.read(reply.body()));
        });
    }

    /** GET a JSON array (a list call); an answer that is no array is an engine error. */
    private List<JsonNode> listJson(String path) {
        JsonNode list = getJson(path, null).orElseThrow(() -> new DockerOperationException("the engine at " + address
                + " does not know " + path.replaceFirst("\\?.*", "")));
        List<JsonNode> items = new ArrayList<>();
        list.forEach(items::add);
        return items;
    }

    /** The engine's {@code filters} query value: {@code {"KEY":[values]}}, URL-encoded. */
    private static String filters(String key, List<String> values) {
        return encode(JsonTree.filters(Map.of(key, values)));
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Image references contain '/' which the API takes literally in the path. */
    private static String encodePath(String reference) {
        return String.join("/", Arrays.stream(reference.split("/", -1)).map(DockerJavaEngine::encode).toList());
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort: the stream is abandoned either way
        }
    }
}
