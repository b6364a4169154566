package dev.sancho.maven.docker;

import java.util.Map;

public record NetworkInfo(String id, String name, String driver, Map<String, String> labels) {}
