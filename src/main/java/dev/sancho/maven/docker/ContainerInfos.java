package dev.sancho.maven.docker;

import static dev.sancho.maven.docker.JsonFields.instant;
import static dev.sancho.maven.docker.JsonFields.stringMap;
import static dev.sancho.maven.docker.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps the engine's raw container inspect answer to {@link ContainerInfo} (the list answer lacks health, aliases). */
final class ContainerInfos {
    private ContainerInfos() {}

    static ContainerInfo fromInspect(JsonNode j) {
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

    /** The container's IPv4 address on {@code network} as the inspect answer reports it; null when not attached. */
    static String ipv4Address(JsonNode inspect, String network) {
        return text(inspect.path("NetworkSettings").path("Networks").path(network).path("IPAddress"));
    }
}
