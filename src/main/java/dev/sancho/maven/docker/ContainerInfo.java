package dev.sancho.maven.docker;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the engine reports about one container.
 *
 * @param name   without Docker's leading slash
 * @param state  Docker's state: created, running, paused, restarting, removing, exited, dead
 * @param health healthy, unhealthy, starting, or null when the container has no healthcheck
 * @param mounts may be empty when the source (a list call) did not report them
 */
public record ContainerInfo(
        String id,
        String name,
        String image,
        String imageId,
        String state,
        String health,
        Integer exitCode,
        Map<String, String> labels,
        Instant created,
        List<MountInfo> mounts,
        Map<String, List<String>> networkAliases) {

    public ContainerInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        networkAliases = networkAliases == null ? Map.of() : Map.copyOf(networkAliases);
    }

    public boolean running() {
        return "running".equals(state) || "restarting".equals(state);
    }

    public String label(String key) {
        return labels.get(key);
    }

    /** @param type volume, bind or tmpfs; {@code source} is the volume name for volumes, the host path for binds */
    public record MountInfo(String type, String source, String destination, boolean readOnly) {}
}
