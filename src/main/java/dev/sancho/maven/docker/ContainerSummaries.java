package dev.sancho.maven.docker;

import static dev.sancho.maven.docker.JsonFields.stringMap;
import static dev.sancho.maven.docker.JsonFields.strings;
import static dev.sancho.maven.docker.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A container as the list call ({@code GET /containers/json}) reports it ({@link DockerEngine#listContainerSummaries}):
 * no health or aliases, but no inspect per container either.
 */
final class ContainerSummaries {
    private ContainerSummaries() {}

    static ContainerInfo of(JsonNode c) {
        List<String> names = strings(c.path("Names"));
        String name = names.isEmpty() ? null : names.get(0).startsWith("/") ? names.get(0).substring(1) : names.get(0);
        // The list call gives Created in seconds since the epoch (inspect gives an RFC 3339 text).
        Instant created = c.path("Created").canConvertToLong() ? Instant.ofEpochSecond(c.path("Created").asLong()) : null;
        List<ContainerInfo.MountInfo> mounts = new java.util.ArrayList<>();
        for (JsonNode m : c.path("Mounts")) {
            String type = text(m.path("Type"));
            mounts.add(new ContainerInfo.MountInfo(type, "volume".equals(type) ? text(m.path("Name"))
                    : text(m.path("Source")), text(m.path("Destination")), !m.path("RW").asBoolean(true)));
        }
        return new ContainerInfo(text(c.path("Id")), name, text(c.path("Image")), text(c.path("ImageID")),
                text(c.path("State")), null, null, stringMap(c.path("Labels")), created, mounts, null);
    }

    /** The host ports one entry of the list publishes (entries without a public port are only exposed). */
    static List<PublishedPort> ports(JsonNode c) {
        ContainerInfo info = of(c);
        List<PublishedPort> out = new java.util.ArrayList<>();
        for (JsonNode p : c.path("Ports")) {
            if (p.path("PublicPort").canConvertToInt() && p.path("PublicPort").asInt() > 0) {
                out.add(new PublishedPort(info.id(), info.name(), text(p.path("IP")), p.path("PublicPort").asInt(),
                        text(p.path("Type"))));
            }
        }
        return out;
    }
}
