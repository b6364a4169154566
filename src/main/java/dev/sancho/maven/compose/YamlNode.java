package dev.sancho.maven.compose;

import java.util.List;

/**
 * A YAML document after anchors, aliases and merge keys are resolved, with the 1-based line of every node so
 * that each message can say {@code file:line}. Scalars keep their text exactly as written: Compose reads
 * {@code restart: no} as the word "no", not as YAML 1.1's boolean false.
 */
sealed interface YamlNode {
    int line();

    /** YAML's word for the node kind, for type errors ("expected a list, found a string"). */
    String kind();

    /** @param value the scalar text, or null for YAML null ({@code key:}, {@code ~}, {@code null}) */
    record Scalar(String value, int line) implements YamlNode {
        @Override
        public String kind() {
            return value == null ? "nothing (null)" : "a single value";
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** Entries in file order; merged ({@code <<}) entries appear where the merge key was. */
    record Mapping(List<Entry> entries, int line) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        YamlNode get(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return e.value();
                }
            }
            return null;
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** @param line the line of the key, which is where users look for an entry */
    record Entry(String key, int line, YamlNode value) {}
}
