package dev.sancho.maven.compose;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which file each {@link YamlNode} and {@link YamlNode.Entry} of a merged model came from. A model merged from
 * several files (overrides, {@code include}, {@code extends}) mixes nodes of all of them; their lines are the
 * lines of their own file, and this tells {@link Source} which file to name in {@code file:line}. Keyed by
 * identity: two equal nodes of different files are different nodes.
 */
final class Origins {
    private final Map<Object, String> files = new IdentityHashMap<>();
    private final List<String> order = new ArrayList<>();

    /** Every node and entry of {@code root} comes from {@code file} (a label as messages show it). */
    void record(YamlNode root, String file) {
        if (!order.contains(file)) {
            order.add(file);
        }
        walk(root, file);
    }

    private void walk(YamlNode node, String file) {
        if (node == null) {
            return;
        }
        files.put(node, file);
        if (node instanceof YamlNode.Mapping m) {
            for (YamlNode.Entry e : m.entries()) {
                files.put(e, file);
                walk(e.value(), file);
            }
        } else if (node instanceof YamlNode.Sequence s) {
            s.items().forEach(item -> walk(item, file));
        }
    }

    /** {@code made} (a node or entry built while merging) comes from where {@code from} came from. */
    <T> T like(T made, Object from) {
        String file = files.get(from);
        if (file != null && made != null) {
            files.put(made, file);
        }
        return made;
    }

    /** The file of a node or entry, else {@code otherwise} (nodes of the main file, nodes built in code). */
    String of(Object nodeOrEntry, String otherwise) {
        if (nodeOrEntry == null) {
            return otherwise;
        }
        return files.getOrDefault(nodeOrEntry, otherwise);
    }

    /** Position of a file in reading order, for sorting messages; unknown files sort first. */
    int order(String file) {
        return order.indexOf(file);
    }

    /** The labels of every file recorded, in reading order. */
    List<String> files() {
        return List.copyOf(order);
    }
}
