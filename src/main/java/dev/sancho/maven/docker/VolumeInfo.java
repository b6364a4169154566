package dev.sancho.maven.docker;

import java.util.Map;

/** @param createdAt as the engine reports it (RFC 3339 text), may be null */
public record VolumeInfo(String name, String driver, String createdAt, Map<String, String> labels) {}
