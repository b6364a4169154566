package dev.sancho.maven.docker;

import static dev.sancho.maven.docker.JsonFields.stringMap;
import static dev.sancho.maven.docker.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps the engine's volume, network and image answers to {@link VolumeInfo}, {@link NetworkInfo}, {@link ImageInfo}. */
final class ResourceInfos {
    private ResourceInfos() {}

    /** From the raw volume inspect answer: docker-java's volume model drops CreatedAt, which we report. */
    static VolumeInfo volume(JsonNode j) {
        return new VolumeInfo(text(j.path("Name")), text(j.path("Driver")), text(j.path("CreatedAt")),
                stringMap(j.path("Labels")));
    }

    /** From one entry of the network list answer. */
    static NetworkInfo network(JsonNode n) {
        return new NetworkInfo(text(n.path("Id")), text(n.path("Name")), text(n.path("Driver")),
                stringMap(n.path("Labels")), new NetworkOptions(n.path("Internal").asBoolean(false),
                        n.path("EnableIPv6").asBoolean(false), n.path("Attachable").asBoolean(false),
                        stringMap(n.path("Options"))));
    }

    /** The containers of a network inspect answer, with their IPv4 addresses (prefix length dropped). */
    static List<NetworkEndpoint> endpoints(JsonNode n) {
        List<NetworkEndpoint> out = new ArrayList<>();
        n.path("Containers").properties().forEach(e -> {
            String ip = text(e.getValue().path("IPv4Address"));
            out.add(new NetworkEndpoint(e.getKey(), text(e.getValue().path("Name")),
                    ip == null || ip.isBlank() ? null : ip.replaceFirst("/.*", "")));
        });
        return out;
    }

    /** Volume name -> bytes from {@code GET /system/df}; a size the engine did not measure (-1) is left out. */
    static Map<String, Long> volumeSizes(JsonNode df) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (JsonNode v : df.path("Volumes")) {
            JsonNode size = v.path("UsageData").path("Size");
            if (size.canConvertToLong() && size.asLong() >= 0) {
                out.put(text(v.path("Name")), size.asLong());
            }
        }
        return out;
    }

    /** From the raw image inspect answer, with the image's declared {@code VOLUME} paths. */
    static ImageInfo imageFromInspect(JsonNode j) {
        List<String> tags = new ArrayList<>();
        j.path("RepoTags").forEach(t -> tags.add(t.asText()));
        List<String> volumes = new ArrayList<>();
        j.path("Config").path("Volumes").fieldNames().forEachRemaining(volumes::add);
        return new ImageInfo(text(j.path("Id")), tags, stringMap(j.path("Config").path("Labels")), volumes,
                lastTagTime(j.path("Metadata").path("LastTagTime").asText("")));
    }

    /** The engine writes 0001-01-01T00:00:00Z for an image never tagged on it. */
    static java.time.Instant lastTagTime(String text) {
        if (text.isBlank() || text.startsWith("0001-")) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** From one entry of the image list answer, which carries no volumes. */
    static ImageInfo imageFromList(JsonNode i) {
        List<String> tags = new ArrayList<>();
        i.path("RepoTags").forEach(t -> tags.add(t.asText()));
        return new ImageInfo(text(i.path("Id")), tags, stringMap(i.path("Labels")));
    }
}
