package dev.sancho.maven.docker;

import java.util.List;
import java.util.Map;

/** @param volumes the image's declared {@code VOLUME} paths (a container created from it gets an anonymous volume
 *                 at each one unless something is mounted there) */
public record ImageInfo(String id, List<String> tags, Map<String, String> labels, List<String> volumes) {
    public ImageInfo {
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    public ImageInfo(String id, List<String> tags, Map<String, String> labels) {
        this(id, tags, labels, List.of());
    }
}
