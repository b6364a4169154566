package dev.sancho.maven.compose;

import java.util.Map;

/** A top-level network; {@code name} follows the same rule as {@link VolumeDef#name()}. */
public record NetworkDef(String key, String name, String driver, Map<String, String> labels, boolean external) {}
