package dev.sancho.maven.compose;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Compose file after parsing and interpolation. Immutable; maps keep the file's order.
 *
 * @param path     absolute path of the file read
 * @param name     top-level {@code name:}, or null
 * @param warnings things the user should know (unknown keys with file:line, keys we cannot honour), in file
 *                 order; {@link ComposeLoader#load} has already logged them
 */
public record ComposeFile(
        Path path,
        String name,
        Map<String, Service> services,
        Map<String, VolumeDef> volumes,
        Map<String, NetworkDef> networks,
        List<String> warnings) {

    public ComposeFile {
        services = Maps.frozen(services);
        volumes = Maps.frozen(volumes);
        networks = Maps.frozen(networks);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
