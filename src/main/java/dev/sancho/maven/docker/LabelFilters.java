package dev.sancho.maven.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Label selection in our form (a map; a null value = label present with any value) as the engine's {@code label}
 * filter, and the literal re-check of what the engine returned for it.
 */
final class LabelFilters {
    private LabelFilters() {}

    /** {@code key=value}, or {@code key} alone for a null value. */
    static List<String> filter(Map<String, String> labels) {
        List<String> filter = new ArrayList<>();
        if (labels != null) {
            labels.forEach((k, v) -> filter.add(v == null ? k : k + "=" + v));
        }
        return filter;
    }

    /** True when {@code actual} carries every wanted label (null value = any value); null {@code wanted} = all. */
    static boolean matches(Map<String, String> actual, Map<String, String> wanted) {
        if (wanted == null) {
            return true;
        }
        return wanted.entrySet().stream().allMatch(e -> actual.containsKey(e.getKey())
                && (e.getValue() == null || e.getValue().equals(actual.get(e.getKey()))));
    }
}
