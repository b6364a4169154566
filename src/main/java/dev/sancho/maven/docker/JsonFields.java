package dev.sancho.maven.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads fields of the engine's raw JSON answers leniently: an absent or null field is null, never an exception. */
final class JsonFields {
    private JsonFields() {}

    static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    /** A JSON array of strings (e.g. a container's Names); empty when absent. */
    static java.util.List<String> strings(JsonNode n) {
        java.util.List<String> list = new java.util.ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> list.add(e.asText()));
        }
        return list;
    }

    /** A JSON object of strings (labels); a null value becomes the empty string, as the CLI shows it. */
    static Map<String, String> stringMap(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        }
        return m;
    }

    /** An RFC 3339 timestamp; null when absent or not parseable. */
    static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
