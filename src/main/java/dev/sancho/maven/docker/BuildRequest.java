package dev.sancho.maven.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One image build. Values are final: args already resolved (a null value is left out, as the engine would
 * otherwise take it literally), paths absolute.
 *
 * @param context      the build context directory; its {@code .dockerignore}, or {@code <Dockerfile>.dockerignore}
 *                     beside the Dockerfile, decides what is sent
 * @param dockerfile   path of the Dockerfile relative to {@code context} (may point outside it), null = Dockerfile
 * @param shmSizeBytes null = engine default
 * @param tags         every tag the image gets; the first one names the build in messages
 */
public record BuildRequest(
        Path context,
        String dockerfile,
        Map<String, String> args,
        String target,
        Map<String, String> labels,
        String network,
        List<String> extraHosts,
        Long shmSizeBytes,
        List<String> tags) {

    public BuildRequest {
        args = args == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** The same request with one more label. */
    public BuildRequest withLabel(String key, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(labels);
        more.put(key, value);
        return new BuildRequest(context, dockerfile, args, target, more, network, extraHosts, shmSizeBytes, tags);
    }

    public String dockerfileOrDefault() {
        return dockerfile == null || dockerfile.isBlank() ? "Dockerfile" : dockerfile;
    }
}
