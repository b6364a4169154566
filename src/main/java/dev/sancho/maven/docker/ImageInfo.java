package dev.sancho.maven.docker;

import java.util.List;
import java.util.Map;

/**
 * @param volumes    the image's declared {@code VOLUME} paths (a container created from it gets an anonymous volume
 *                   at each one unless something is mounted there)
 * @param lastTagged when the engine last tagged it (a pull, a build, a docker tag); null when unknown. The time
 *                   pull_policy daily/weekly/every_ measure from, as Compose does.
 */
public record ImageInfo(String id, List<String> tags, Map<String, String> labels, List<String> volumes,
        java.time.Instant lastTagged) {
    public ImageInfo {
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    public ImageInfo(String id, List<String> tags, Map<String, String> labels, List<String> volumes) {
        this(id, tags, labels, volumes, null);
    }

    public ImageInfo(String id, List<String> tags, Map<String, String> labels) {
        this(id, tags, labels, List.of(), null);
    }
}
