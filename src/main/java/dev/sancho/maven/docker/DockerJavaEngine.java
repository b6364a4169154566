package dev.sancho.maven.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one {@link DockerEngine} backed by docker-java (httpclient5 transport). The API version is left unset on
 * purpose: docker-java then calls unversioned paths and the engine answers with its own version (pinning a newer
 * one than the engine's is a 400).
 *
 * <p>Every call goes through {@link #call} so that no docker-java exception escapes: callers only ever see
 * {@link EngineUnreachableException}, {@link NameConflictException} or {@link DockerOperationException}.
 */
public final class DockerJavaEngine implements DockerEngine {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Extra time on top of a stop timeout before the HTTP call itself gives up. */
    private static final Duration STOP_SLACK = Duration.ofSeconds(30);

    private final String address;
    private final DockerHttpClient http;
    private final DockerClient client;

    public DockerJavaEngine(String address, DockerClientConfig config) {
        this.address = address;
        this.http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(20)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        this.client = DockerClientImpl.getInstance(config, http);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public String ping() {
        probeUnixSocket();
        return call(null, () -> {
            client.pingCmd().exec();
            Version v = client.versionCmd().exec();
            return v.getVersion() + ", API " + v.getApiVersion();
        });
    }

    /**
     * For a unix socket, connect once by hand first: the HTTP client retries a failed socket connect and logs
     * that at INFO with a misleading {@code unix://localhost:2375}, before our one line could say what is wrong.
     */
    private void probeUnixSocket() {
        if (!address.startsWith("unix://")) {
            return;
        }
        Path socket = Path.of(address.substring("unix://".length()));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixSockets) {
            // not supported here: let docker-java try
        } catch (IOException e) {
            throw DockerErrors.translate(address, null, e);
        }
    }

    // ---- containers -------------------------------------------------------------------------------------

    @Override
    public Optional<ContainerInfo> findContainer(String name) {
        List<Container> candidates = call(null, () -> client.listContainersCmd().withShowAll(true)
                .withNameFilter(List.of(ExactNames.anchoredFilter(name))).exec());
        for (Container c : candidates) {
            if (c.getNames() != null && ExactNames.matches(Arrays.asList(c.getNames()), name)) {
                return inspectById(c.getId()).filter(info -> name.equals(info.name()));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<ContainerInfo> listContainers(Map<String, String> labels) {
        List<Container> list = call(null, () -> client.listContainersCmd().withShowAll(true)
                .withLabelFilter(labelFilter(labels)).exec());
        // One inspect per container (the list call lacks health and aliases). They are independent round trips, so
        // they run concurrently: a cleanup of 200 stale containers is dominated by them otherwise.
        List<Optional<ContainerInfo>> inspected = inspectAll(list.stream().map(Container::getId).toList());
        List<ContainerInfo> result = new ArrayList<>();
        for (Optional<ContainerInfo> info : inspected) {
            // A container can vanish between list and inspect; it is then simply not there any more.
            info.filter(c -> hasLabels(c.labels(), labels)).ifPresent(result::add);
        }
        return result;
    }

    private static final int INSPECT_THREADS = 8;

    private List<Optional<ContainerInfo>> inspectAll(List<String> ids) {
        if (ids.size() < 2) {
            return ids.stream().map(this::inspectById).toList();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(INSPECT_THREADS, ids.size()));
        try {
            List<java.util.concurrent.Future<Optional<ContainerInfo>>> futures = new ArrayList<>();
            for (String id : ids) {
                futures.add(pool.submit(() -> inspectById(id)));
            }
            List<Optional<ContainerInfo>> out = new ArrayList<>();
            for (var f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re; // already translated by getJson: EngineUnreachable / DockerOperation
            }
            throw new DockerOperationException("inspecting containers failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerOperationException("interrupted while inspecting containers", e);
        } finally {
            pool.shutdownNow();
        }
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
        return getJson("/containers/" + encode(idOrName) + "/json", "container " + idOrName)
                .map(DockerJavaEngine::containerInfo);
    }

    static ContainerInfo containerInfo(JsonNode j) {
        JsonNode state = j.path("State");
        String health = text(state.path("Health").path("Status"));
        if ("none".equals(health)) {
            health = null;
        }
        Integer exitCode = state.path("ExitCode").isNumber() && !"running".equals(text(state.path("Status")))
                ? state.path("ExitCode").asInt() : null;
        List<ContainerInfo.MountInfo> mounts = new ArrayList<>();
        for (JsonNode m : j.path("Mounts")) {
            String type = text(m.path("Type"));
            String source = "volume".equals(type) ? text(m.path("Name")) : text(m.path("Source"));
            mounts.add(new ContainerInfo.MountInfo(type, source, text(m.path("Destination")),
                    !m.path("RW").asBoolean(true)));
        }
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        j.path("NetworkSettings").path("Networks").properties().forEach(e -> {
            List<String> a = new ArrayList<>();
            e.getValue().path("Aliases").forEach(x -> a.add(x.asText()));
            aliases.put(e.getKey(), List.copyOf(a));
        });
        return new ContainerInfo(
                text(j.path("Id")),
                ExactNames.strip(text(j.path("Name"))),
                text(j.path("Config").path("Image")),
                text(j.path("Image")),
                text(state.path("Status")),
                health,
                exitCode,
                stringMap(j.path("Config").path("Labels")),
                instant(text(j.path("Created"))),
                mounts,
                aliases);
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        List<Map.Entry<String, List<String>>> networks = new ArrayList<>(spec.networks() == null
                ? List.of() : spec.networks().entrySet());
        // 404 here may be the image or the network: the engine's own message says which.
        String id = call(null, () -> {
            try {
                return buildCreate(spec, networks.isEmpty() ? null : networks.get(0)).exec().getId();
            } catch (ConflictException e) {
                throw new NameConflictException(spec.name(), e);
            }
        });
        // The create API takes one network only; the others are joined before the first start.
        for (int i = 1; i < networks.size(); i++) {
            var n = networks.get(i);
            try {
                connectNetwork(n.getKey(), id, n.getValue());
            } catch (DockerOperationException e) {
                throw new DockerOperationException("container " + spec.name() + " was created but could not join"
                        + " network " + n.getKey() + ": " + e.getMessage(), e);
            }
        }
        return id;
    }

    private CreateContainerCmd buildCreate(ContainerSpec spec, Map.Entry<String, List<String>> primaryNetwork) {
        HostConfig host = HostConfig.newHostConfig();
        CreateContainerCmd cmd = client.createContainerCmd(spec.image()).withName(spec.name());
        if (spec.entrypoint() != null) {
            cmd.withEntrypoint(spec.entrypoint());
        }
        if (spec.command() != null) {
            cmd.withCmd(spec.command());
        }
        if (spec.environment() != null && !spec.environment().isEmpty()) {
            List<String> env = new ArrayList<>();
            // A key without value (absent everywhere) stays unset, as with Compose.
            spec.environment().forEach((k, v) -> {
                if (v != null) {
                    env.add(k + "=" + v);
                }
            });
            cmd.withEnv(env);
        }
        if (spec.labels() != null) {
            cmd.withLabels(spec.labels());
        }
        if (spec.ports() != null && !spec.ports().isEmpty()) {
            List<ExposedPort> exposed = new ArrayList<>();
            List<PortBinding> bindings = new ArrayList<>();
            for (ContainerSpec.PortBinding p : spec.ports()) {
                ExposedPort port = new ExposedPort(p.containerPort(),
                        InternetProtocol.parse(p.protocol() == null ? "tcp" : p.protocol()));
                exposed.add(port);
                String hostPort = p.hostPort() == null || p.hostPort().isEmpty() ? null : p.hostPort();
                bindings.add(new PortBinding(new Ports.Binding(p.hostIp(), hostPort), port));
            }
            cmd.withExposedPorts(exposed);
            host.withPortBindings(bindings);
        }
        if (spec.mounts() != null && !spec.mounts().isEmpty()) {
            List<com.github.dockerjava.api.model.Mount> mounts = new ArrayList<>();
            for (ContainerSpec.Mount m : spec.mounts()) {
                mounts.add(new com.github.dockerjava.api.model.Mount()
                        .withType(MountType.valueOf(m.type().toUpperCase(java.util.Locale.ROOT)))
                        .withSource(m.source())
                        .withTarget(m.target())
                        .withReadOnly(m.readOnly()));
            }
            host.withMounts(mounts);
        }
        if (spec.restartPolicy() != null && !spec.restartPolicy().isBlank()) {
            host.withRestartPolicy(restartPolicy(spec.restartPolicy()));
        }
        if (spec.extraHosts() != null && !spec.extraHosts().isEmpty()) {
            host.withExtraHosts(spec.extraHosts().toArray(String[]::new));
        }
        if (primaryNetwork != null) {
            host.withNetworkMode(primaryNetwork.getKey());
            if (primaryNetwork.getValue() != null && !primaryNetwork.getValue().isEmpty()) {
                cmd.withAliases(primaryNetwork.getValue());
            }
        }
        if (spec.healthcheck() != null) {
            ContainerSpec.HealthSpec h = spec.healthcheck();
            HealthCheck hc = new HealthCheck().withTest(h.test());
            if (h.interval() != null) {
                hc.withInterval(h.interval().toNanos());
            }
            if (h.timeout() != null) {
                hc.withTimeout(h.timeout().toNanos());
            }
            if (h.retries() != null) {
                hc.withRetries(h.retries());
            }
            if (h.startPeriod() != null) {
                hc.withStartPeriod(h.startPeriod().toNanos());
            }
            cmd.withHealthcheck(hc);
        }
        if (spec.user() != null) {
            cmd.withUser(spec.user());
        }
        if (spec.workingDir() != null) {
            cmd.withWorkingDir(spec.workingDir());
        }
        if (spec.hostname() != null) {
            cmd.withHostName(spec.hostname());
        }
        if (spec.stopSignal() != null) {
            cmd.withStopSignal(spec.stopSignal());
        }
        if (spec.stopTimeout() != null) {
            cmd.withStopTimeout((int) spec.stopTimeout().toSeconds());
        }
        return cmd.withHostConfig(host);
    }

    static RestartPolicy restartPolicy(String value) {
        String v = value.trim();
        if (v.equals("no")) {
            return RestartPolicy.noRestart();
        }
        try {
            return RestartPolicy.parse(v);
        } catch (IllegalArgumentException e) {
            throw new DockerOperationException("invalid restart policy '" + value
                    + "': use no, always, unless-stopped or on-failure[:N]", e);
        }
    }

    @Override
    public void startContainer(String id) {
        call("container " + id, () -> {
            try {
                client.startContainerCmd(id).exec();
            } catch (NotModifiedException alreadyRunning) {
                // 304: nothing to do
            }
            return null;
        });
    }

    @Override
    public void stopContainer(String id, Duration timeout) {
        int seconds = (int) Math.max(0, timeout.toSeconds());
        call("container " + id, () -> {
            try {
                client.stopContainerCmd(id).withTimeout(seconds).exec();
            } catch (NotModifiedException notRunning) {
                // 304: already stopped
            }
            return null;
        });
    }

    @Override
    public void removeContainer(String id) {
        call("container " + id, () -> {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
            return null;
        });
    }

    @Override
    public void renameContainer(String id, String newName) {
        call("container " + id, () -> {
            try {
                client.renameContainerCmd(id).withName(newName).exec();
            } catch (ConflictException e) {
                throw new NameConflictException(newName, e);
            }
            return null;
        });
    }

    @Override
    public void connectNetwork(String network, String containerId, List<String> aliases) {
        call(null, () -> {
            ContainerNetwork endpoint = new ContainerNetwork();
            if (aliases != null && !aliases.isEmpty()) {
                endpoint.withAliases(aliases);
            }
            client.connectToNetworkCmd().withNetworkId(network).withContainerId(containerId)
                    .withContainerNetwork(endpoint).exec();
            return null;
        });
    }

    @Override
    public void disconnectNetwork(String network, String containerId) {
        call(null, () -> {
            client.disconnectFromNetworkCmd().withNetworkId(network).withContainerId(containerId).exec();
            return null;
        });
    }

    @Override
    public boolean replaceAliases(String network, String containerId, List<String> aliases) {
        // Read the address before the disconnect: the endpoint is gone for as short a time as possible.
        String ip = getJson("/containers/" + encode(containerId) + "/json", "container " + containerId)
                .map(j -> text(j.path("NetworkSettings").path("Networks").path(network).path("IPAddress")))
                .filter(a -> !a.isBlank()).orElse(null);
        disconnectNetwork(network, containerId);
        if (ip != null) {
            try {
                connect(network, containerId, aliases, ip);
                return true;
            } catch (DockerOperationException e) {
                // "user specified IP address is supported only when connecting to networks with user configured
                // subnets": the engine then hands out the lowest free address, which is usually the one just freed.
            }
        }
        connect(network, containerId, aliases, null);
        return ip != null && ip.equals(getJson("/containers/" + encode(containerId) + "/json", "container "
                + containerId).map(j -> text(j.path("NetworkSettings").path("Networks").path(network)
                .path("IPAddress"))).orElse(null));
    }

    private void connect(String network, String containerId, List<String> aliases, String ipv4) {
        call(null, () -> {
            ContainerNetwork endpoint = new ContainerNetwork();
            if (aliases != null && !aliases.isEmpty()) {
                endpoint.withAliases(aliases);
            }
            if (ipv4 != null) {
                endpoint.withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(ipv4));
            }
            client.connectToNetworkCmd().withNetworkId(network).withContainerId(containerId)
                    .withContainerNetwork(endpoint).exec();
            return null;
        });
    }

    @Override
    public List<String> logTail(String id, int lines) {
        return call("container " + id, () -> {
            StringBuilder out = new StringBuilder();
            var cb = client.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
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
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        return call("container " + containerId, () -> {
            String execId = client.execCreateCmd(containerId).withAttachStdout(true).withAttachStderr(true)
                    .withCmd(command.toArray(String[]::new)).exec().getId();
            StringBuilder out = new StringBuilder();
            var cb = client.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
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
            Long exit = client.inspectExecCmd(execId).exec().getExitCodeLong();
            synchronized (out) {
                return new ExecResult(exit == null ? ExecResult.TIMED_OUT : exit.intValue(), out.toString());
            }
        });
    }

    // ---- volumes ----------------------------------------------------------------------------------------

    @Override
    public Optional<VolumeInfo> findVolume(String name) {
        // Raw call: docker-java's volume model drops CreatedAt, which we report to the user.
        return getJson("/volumes/" + encode(name), "volume " + name)
                .map(DockerJavaEngine::volumeInfo)
                .filter(v -> name.equals(v.name()));
    }

    @Override
    public List<VolumeInfo> listVolumes(Map<String, String> labels) {
        List<String> names = call(null, () -> {
            var cmd = client.listVolumesCmd();
            List<String> filter = labelFilter(labels);
            if (!filter.isEmpty()) {
                cmd.withFilter("label", filter);
            }
            var response = cmd.exec();
            return response.getVolumes() == null ? List.<String>of()
                    : response.getVolumes().stream().map(v -> v.getName()).toList();
        });
        List<VolumeInfo> result = new ArrayList<>();
        for (String n : names) {
            findVolume(n).filter(v -> hasLabels(v.labels(), labels)).ifPresent(result::add);
        }
        return result;
    }

    static VolumeInfo volumeInfo(JsonNode j) {
        return new VolumeInfo(text(j.path("Name")), text(j.path("Driver")), text(j.path("CreatedAt")),
                stringMap(j.path("Labels")));
    }

    @Override
    public VolumeInfo createVolume(String name, String driver, Map<String, String> driverOpts,
            Map<String, String> labels) {
        call(null, () -> {
            var cmd = client.createVolumeCmd().withName(name);
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
        List<Network> all = call(null, () -> client.listNetworksCmd().exec());
        return all.stream().filter(n -> name.equals(n.getName())).findFirst()
                .map(n -> new NetworkInfo(n.getId(), n.getName(), n.getDriver(),
                        n.getLabels() == null ? Map.of() : n.getLabels()));
    }

    @Override
    public NetworkInfo createNetwork(String name, String driver, Map<String, String> labels) {
        call(null, () -> {
            var cmd = client.createNetworkCmd().withName(name).withCheckDuplicate(true);
            if (driver != null && !driver.isBlank()) {
                cmd.withDriver(driver);
            }
            if (labels != null && !labels.isEmpty()) {
                cmd.withLabels(labels);
            }
            return cmd.exec();
        });
        return findNetwork(name).orElseThrow(() ->
                new DockerOperationException("network " + name + " was created but the engine does not report it"));
    }

    // ---- images -----------------------------------------------------------------------------------------

    @Override
    public Optional<ImageInfo> findImage(String reference) {
        return getJson("/images/" + encodePath(reference) + "/json", "image " + reference).map(j -> {
            List<String> tags = new ArrayList<>();
            j.path("RepoTags").forEach(t -> tags.add(t.asText()));
            List<String> volumes = new ArrayList<>();
            j.path("Config").path("Volumes").fieldNames().forEachRemaining(volumes::add);
            return new ImageInfo(text(j.path("Id")), tags, stringMap(j.path("Config").path("Labels")), volumes);
        });
    }

    @Override
    public List<ImageInfo> listImages(Map<String, String> labels) {
        List<Image> images = call(null, () -> {
            var cmd = client.listImagesCmd();
            List<String> filter = labelFilter(labels);
            if (!filter.isEmpty()) {
                cmd.withLabelFilter(filter.toArray(String[]::new));
            }
            return cmd.exec();
        });
        return images.stream()
                .map(i -> new ImageInfo(i.getId(), i.getRepoTags() == null ? List.of() : Arrays.asList(i.getRepoTags()),
                        i.getLabels() == null ? Map.of() : i.getLabels()))
                .filter(i -> hasLabels(i.labels(), labels))
                .toList();
    }

    @Override
    public void removeImage(String reference) {
        call("image " + reference, () -> {
            client.removeImageCmd(reference).withForce(false).exec();
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
            BuildOutput output = new BuildOutput(progress);
            String[] imageId = new String[1];
            String[] error = new String[1];
            try (InputStream tar = new BufferedInputStream(Files.newInputStream(tarFile))) {
                call(null, () -> {
                    var cmd = client.buildImageCmd(tar)
                            .withDockerfilePath(written.dockerfileInTar())
                            .withTags(new LinkedHashSet<>(request.tags()))
                            .withPull(false)
                            .withRemove(true)
                            // intermediate containers of a failed step would otherwise stay on a shared engine
                            .withForcerm(true);
                    request.args().forEach((k, v) -> {
                        if (v != null) {
                            cmd.withBuildArg(k, v);
                        }
                    });
                    if (!request.labels().isEmpty()) {
                        cmd.withLabels(request.labels());
                    }
                    if (request.target() != null && !request.target().isBlank()) {
                        cmd.withTarget(request.target());
                    }
                    if (request.network() != null && !request.network().isBlank()) {
                        cmd.withNetworkMode(request.network());
                    }
                    if (!request.extraHosts().isEmpty()) {
                        cmd.withExtraHosts(new LinkedHashSet<>(request.extraHosts()));
                    }
                    if (request.shmSizeBytes() != null) {
                        cmd.withShmsize(request.shmSizeBytes());
                    }
                    cmd.exec(new ResultCallback.Adapter<BuildResponseItem>() {
                        @Override
                        public void onNext(BuildResponseItem item) {
                            output.accept(item.getStream());
                            if (item.isBuildSuccessIndicated() && item.getImageId() != null) {
                                imageId[0] = item.getImageId();
                            }
                            if (item.isErrorIndicated() && error[0] == null) {
                                error[0] = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                                        ? item.getErrorDetail().getMessage() : item.getError();
                            }
                        }
                    }).awaitCompletion();
                    return null;
                });
            } catch (IOException e) {
                throw new DockerOperationException("cannot send the build context of " + name + ": "
                        + e.getMessage(), e);
            } finally {
                output.flush();
            }
            if (error[0] != null) {
                throw new ImageBuildException(output.step(), DockerErrors.oneLine(BuildOutput.clean(error[0])),
                        output.lastLines());
            }
            if (imageId[0] != null && !imageId[0].startsWith("sha256:")) {
                imageId[0] = findImage(imageId[0]).map(ImageInfo::id).orElse(imageId[0]);
            }
            if (imageId[0] == null && !request.tags().isEmpty()) {
                imageId[0] = findImage(request.tags().get(0)).map(ImageInfo::id).orElse(null);
            }
            if (imageId[0] == null) {
                throw new DockerOperationException("the engine finished building " + name
                        + " without reporting an image id");
            }
            return imageId[0];
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
        String repo = reference;
        String tag = "latest";
        int at = reference.indexOf('@');
        int colon = reference.lastIndexOf(':');
        if (at >= 0) {
            repo = reference.substring(0, at);
            tag = reference.substring(at + 1);
        } else if (colon > reference.lastIndexOf('/')) {
            repo = reference.substring(0, colon);
            tag = reference.substring(colon + 1);
        }
        String r = repo;
        String t = tag;
        try {
            pull(r, t, progress);
        } catch (DockerOperationException e) {
            throw new DockerOperationException("cannot pull image " + reference + ": " + e.getMessage(), e);
        }
    }

    private void pull(String r, String t, Consumer<String> progress) {
        call(null, () -> {
            client.pullImageCmd(r).withTag(t).exec(new PullImageResultCallback() {
                @Override
                public void onNext(PullResponseItem item) {
                    if (item.getStatus() != null && progress != null) {
                        progress.accept((item.getId() == null ? "" : item.getId() + ": ") + item.getStatus()
                                + (item.getProgress() == null ? "" : " " + item.getProgress()));
                    }
                    super.onNext(item);
                }
            }).awaitCompletion();
            return null;
        });
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a connection pool cannot fail in a way the user could act on
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------------

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
            DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.GET).path(path).build();
            try (DockerHttpClient.Response response = http.execute(request);
                    InputStream body = response.getBody()) {
                byte[] bytes = body.readAllBytes();
                int status = response.getStatusCode();
                if (status == 404) {
                    return Optional.empty();
                }
                if (status >= 300) {
                    throw new DockerException("Status " + status + ": " + new String(bytes, StandardCharsets.UTF_8),
                            status);
                }
                return Optional.of(JSON.readTree(bytes));
            }
        });
    }

    private static List<String> labelFilter(Map<String, String> labels) {
        List<String> filter = new ArrayList<>();
        if (labels != null) {
            labels.forEach((k, v) -> filter.add(v == null ? k : k + "=" + v));
        }
        return filter;
    }

    static boolean hasLabels(Map<String, String> actual, Map<String, String> wanted) {
        if (wanted == null) {
            return true;
        }
        return wanted.entrySet().stream().allMatch(e -> actual.containsKey(e.getKey())
                && (e.getValue() == null || e.getValue().equals(actual.get(e.getKey()))));
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Image references contain '/' which the API takes literally in the path. */
    private static String encodePath(String reference) {
        return String.join("/", Arrays.stream(reference.split("/", -1)).map(DockerJavaEngine::encode).toList());
    }

    private static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static Map<String, String> stringMap(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        }
        return m;
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort: the stream is abandoned either way
        }
    }
}
