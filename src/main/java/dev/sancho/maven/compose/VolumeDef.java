package dev.sancho.maven.compose;

import java.util.Map;

/**
 * A top-level volume.
 *
 * @param key  the key under {@code volumes:}
 * @param name the engine-side name: {@code name:} if given; for external volumes the key; otherwise
 *             {@code <project>_<key>} is applied later, by the stack (the project is not known here)
 */
public record VolumeDef(
        String key, String name, String driver, Map<String, String> driverOpts, Map<String, String> labels,
        boolean external) {}
