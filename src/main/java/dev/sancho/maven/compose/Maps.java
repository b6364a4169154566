package dev.sancho.maven.compose;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Order-keeping immutable copies (Map.copyOf loses the file's order, which users expect in output). */
final class Maps {
    private Maps() {}

    static <K, V> Map<K, V> frozen(Map<K, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
