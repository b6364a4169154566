package dev.sancho.maven.docker;

import java.util.List;
import java.util.Map;

public record ImageInfo(String id, List<String> tags, Map<String, String> labels) {}
