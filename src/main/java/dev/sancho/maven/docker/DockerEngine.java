package dev.sancho.maven.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The only door to Docker. The core talks to this interface; {@link DockerJavaEngine} implements it for one engine,
 * and unit tests use an in-memory fake.
 *
 * <p>It names no transport and no library type, so something else can stand behind it: a wrapper that reaches a
 * remote engine another way (e.g. over an ssh tunnel, delegating to a {@code DockerJavaEngine} on the forwarded
 * socket and reporting its own {@link #address()}), or an implementation for another kind of engine (e.g. Swarm).
 *
 * <p>Deliberately absent: any way to remove a volume. Container removal goes through {@code removeContainer}
 * only, and the core calls it only after {@link dev.sancho.maven.plan.Safety} approved the container.
 *
 * <p>Every method may throw {@link EngineUnreachableException} (connection-level problems) or
 * {@link DockerOperationException} (the engine answered with an error).
 */
public interface DockerEngine extends AutoCloseable {

    /** The address this engine was reached at, e.g. {@code unix:///var/run/docker.sock}, for messages. */
    String address();

    /** Checks the engine answers; returns its version string (e.g. {@code 20.10.24, API 1.41}). */
    String ping();

    /** The engine's CPU architecture as Go names it ({@code amd64}, {@code arm64}), or null when not known. */
    default String architecture() {
        return null;
    }

    /**
     * The engine's clock, to judge the age of what the engine timestamped (a container's creation) without trusting
     * this machine's clock; this machine's when the engine does not say.
     */
    default java.time.Instant clock() {
        return java.time.Instant.now();
    }

    /** The engine's API version ({@code 1.41}), or null when not known; decides which settings it can take. */
    default String apiVersion() {
        return null;
    }

    /** The container whose name is exactly {@code name} (Docker's own name filter is an unanchored regex). */
    Optional<ContainerInfo> findContainer(String name);

    /** All containers, running or not, that carry every given label (value null = label present, any value). */
    List<ContainerInfo> listContainers(Map<String, String> labels);

    /**
     * Like {@link #listContainers}, but only what the list call itself reports (id, name, image, image id, state,
     * labels, created; no health, mounts or aliases): one call, no inspect per container, for a question about
     * every container on the engine (which images are in use) that must not cost one round trip per container.
     */
    default List<ContainerInfo> listContainerSummaries(Map<String, String> labels) {
        return listContainers(labels);
    }

    /** Full state of one container, by id or exact name. */
    Optional<ContainerInfo> inspectContainer(String idOrName);

    /**
     * Every container, running or not, that mounts the named volume {@code volume} (exactly that name), with its
     * mounts. Whose server writes to a data volume: two database servers on one volume corrupt it.
     */
    default List<ContainerInfo> containersUsingVolume(String volume) {
        return listContainers(Map.of()).stream().filter(c -> c.mounts().stream()
                .anyMatch(m -> "volume".equals(m.type()) && volume.equals(m.source()))).toList();
    }

    /** The host ports every running container publishes (one list call). */
    default List<PublishedPort> publishedPorts() {
        return List.of();
    }

    /** The containers attached to a network and their addresses on it; empty when the network does not exist. */
    default List<NetworkEndpoint> networkEndpoints(String network) {
        return List.of();
    }

    /**
     * How many bytes each named volume holds, where the engine can tell ({@code GET /system/df}, which measures
     * every local volume: seconds on a host with large ones); a volume whose driver reports no usage is absent.
     */
    default Map<String, Long> volumeSizes() {
        return Map.of();
    }

    /** Creates (does not start) a container. Throws {@link NameConflictException} when the name is taken. */
    String createContainer(ContainerSpec spec);

    /**
     * Writes files into a created container (before it starts), each at its target with its mode and owner; missing
     * parent directories are created. The files' content never appears in a message.
     */
    void copyToContainer(String id, List<ContainerFile> files);

    /**
     * The regular files at or below {@code path} in a container, each at its absolute path with its mode and owner:
     * an archive read through the engine, so it works over a remote engine, on a stopped or never-started container
     * (its mounts included) and in an image without a shell. Empty when the path does not exist in the container.
     * The content is never put in a message.
     */
    default Optional<List<ContainerFile>> readFiles(String containerId, String path) {
        throw new DockerOperationException("this engine adapter cannot read files of container " + containerId, null);
    }

    /**
     * Copies one regular file from a container to a directory of another (either may be stopped or never started;
     * their mounts count), named {@code name} there: streamed through this process in small buffers, never held whole
     * in memory, so a dump of any size copies with a flat heap. The content is never put in a message.
     *
     * @return its size and SHA-256, measured on the way
     */
    default StreamedFile streamFile(String fromContainer, String path, String toContainer, String dir, String name) {
        throw new DockerOperationException("this engine adapter cannot copy files between containers", null);
    }

    /**
     * Streams one regular file of a container (it may be stopped or never started; its mounts count) into {@code to}:
     * through this process in small buffers, never held whole in memory; an archive read through the engine, so it
     * works over a remote engine. Does not close {@code to}. The content is never put in a message.
     *
     * @return its size and SHA-256, measured on the bytes handed to {@code to}
     */
    default StreamedFile streamFileTo(String containerId, String path, java.io.OutputStream to) {
        throw new DockerOperationException("this engine adapter cannot copy files out of a container", null);
    }

    void startContainer(String id);

    /**
     * Attaches this process to a created or running container's stdin and keeps it open until {@link StdinStream#close}
     * or this process ends, whichever comes first (the deploy lock's liveness). Returns once the engine accepted the
     * attach, so a container started afterwards never runs without it.
     */
    default StdinStream attachStdin(String containerId) {
        throw new DockerOperationException("the engine adapter at " + address() + " cannot attach to a container's"
                + " stdin");
    }

    /** Graceful stop: the container's stop signal, then SIGKILL after {@code timeout}. No-op when not running. */
    void stopContainer(String id, Duration timeout);

    /**
     * Changes the container's restart policy in place ({@code no}, {@code always}, {@code unless-stopped},
     * {@code on-failure[:N]}): a deploy kept for rollback must not come back by itself when the engine restarts.
     */
    void updateRestartPolicy(String id, String policy);

    /**
     * Gives a container another name (running or not): its id, mounts, networks and DNS aliases stay. Only
     * {@code sancho:upgrade} renames, and only between an infrastructure container's fixed name and its
     * {@code <name>_pre_<id>} name ({@link dev.sancho.maven.plan.Superseded}). Throws {@link NameConflictException}
     * when the name is taken.
     */
    default void renameContainer(String id, String newName) {
        throw new DockerOperationException("this engine adapter cannot rename container " + id, null);
    }

    /** Removes a container (forcefully, with its anonymous volumes NOT removed). Named volumes are never touched. */
    void removeContainer(String id);

    void connectNetwork(String network, String containerId, List<String> aliases);

    void disconnectNetwork(String network, String containerId);

    /**
     * Gives the container's endpoint on {@code network} exactly these DNS aliases (Docker cannot change aliases in
     * place: this disconnects and connects again). A running container keeps its IPv4 address where the engine
     * allows it, so a proxy that still holds the old address keeps reaching it.
     *
     * @return true when the container's address on the network is the same as before
     */
    default boolean replaceAliases(String network, String containerId, List<String> aliases) {
        disconnectNetwork(network, containerId);
        connectNetwork(network, containerId, aliases);
        return false;
    }

    /** The last {@code lines} lines of the container's stdout+stderr. */
    List<String> logTail(String id, int lines);

    /**
     * Streams a container's log (stdout and stderr), one line at a time to {@code line}, and returns when the log
     * ends: at once without {@code follow}, else when the container stops or the stream is closed.
     *
     * @param sinceEpochSecond only lines written at or after this time (seconds since the epoch); null: all
     * @param tail             only the last this many lines before following; null: all
     */
    default void streamLogs(String id, Long sinceEpochSecond, Integer tail, boolean follow, Consumer<String> line) {
        List<String> all = logTail(id, tail == null ? Integer.MAX_VALUE : tail);
        all.forEach(line);
    }

    ExecResult exec(String containerId, List<String> command, Duration timeout);

    /**
     * The processes of a running container ({@code docker top}); empty when this engine adapter cannot list them.
     *
     * @throws DockerOperationException when the engine refuses (the container is not running, say)
     */
    default Optional<List<ContainerProcess>> processes(String containerId) {
        return Optional.empty();
    }

    Optional<VolumeInfo> findVolume(String name);

    /**
     * Creates a named volume. Note the engine answers an existing name with the existing volume (no error):
     * check with {@link #findVolume} first.
     */
    VolumeInfo createVolume(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels);

    Optional<NetworkInfo> findNetwork(String name);

    NetworkInfo createNetwork(String name, String driver, Map<String, String> labels);

    /** Like {@link #createNetwork(String, String, Map)}, with address management ({@code ipam:}); null for none. */
    default NetworkInfo createNetwork(String name, String driver, Map<String, String> labels, NetworkIpam ipam) {
        if (ipam != null) {
            throw new DockerOperationException("this engine adapter cannot create network " + name + " with ipam:", null);
        }
        return createNetwork(name, driver, labels);
    }

    /**
     * Like {@link #createNetwork(String, String, Map, NetworkIpam)}, with {@code internal}, {@code enable_ipv6},
     * {@code attachable} and {@code driver_opts}.
     */
    default NetworkInfo createNetwork(String name, String driver, Map<String, String> labels, NetworkIpam ipam,
            NetworkOptions options) {
        if (options != null && !options.equals(NetworkOptions.NONE)) {
            throw new DockerOperationException("this engine adapter cannot create network " + name + " with " + options,
                    null);
        }
        return createNetwork(name, driver, labels, ipam);
    }

    Optional<ImageInfo> findImage(String reference);

    /** All images that carry every given label (value null = label present, any value). */
    List<ImageInfo> listImages(Map<String, String> labels);

    /** Removes one image reference (a tag, or an id). Not forced: an image used by a container stays. */
    void removeImage(String reference);

    /**
     * Builds an image from a local context with the engine's classic builder and tags it with every
     * {@code request.tags()}. Output goes to {@code progress} line by line as it arrives, ANSI escapes stripped.
     * Never pulls a newer base image by itself.
     *
     * @return the built image's id ({@code sha256:...})
     * @throws ImageBuildException when a Dockerfile step fails (carries the step and its last output lines)
     */
    String buildImage(BuildRequest request, Consumer<String> progress);

    /**
     * Pulls an image (by tag, digest, or {@code name:tag@digest}) with the registry's credentials. {@code progress}
     * gets one summed line every few seconds and a final line with size and time. Throws
     * {@link RegistryAuthException} when the registry refused the credentials (or their absence), else
     * {@link DockerOperationException} with the engine's reason.
     */
    void pullImage(String reference, Consumer<String> progress);

    /**
     * Pushes one tag to the registry its name points at, with that registry's credentials; progress as for
     * {@link #pullImage}. Throws {@link RegistryAuthException} or {@link DockerOperationException}.
     */
    void pushImage(String reference, Consumer<String> progress);

    /** Gives the image {@code source} (a tag or an id) the additional tag {@code target}. */
    void tagImage(String source, String target);

    /**
     * The swarm side of this engine (services, tasks, nodes, configs) for {@code <target>swarm</target>}; an engine
     * that has none says so in one line.
     */
    default SwarmEngine swarm() {
        throw new DockerOperationException("the engine at " + address() + " offers no swarm API here");
    }

    @Override
    void close();
}
