package dev.sancho.maven.compose;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The Compose merge tags of one file: {@code !reset} (the value is removed from what earlier files and the
 * {@code extends} base set, and from this file) and {@code !override} (the value replaces the earlier one instead of
 * being merged with it), Compose v2.24+. {@link YamlReader} keeps no tags, so this reads them from the same text.
 * Only runs on text that contains one of the two tags, after {@link YamlReader#read} has accepted it (so the
 * document is known to be within its limits).
 */
final class YamlTags {
    private YamlTags() {}

    static final String RESET = "!reset";
    static final String OVERRIDE = "!override";

    /**
     * One tagged value.
     *
     * @param path  mapping keys from the top (a sequence item is its index as text)
     * @param reset {@code !reset}, else {@code !override}
     * @param line  1-based line of the tagged value
     */
    record Tagged(List<String> path, boolean reset, int line) {}

    static List<Tagged> read(String text) {
        if (!text.contains(RESET) && !text.contains(OVERRIDE)) {
            return List.of();
        }
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(YamlReader.MAX_CODE_POINTS);
        o.setNestingDepthLimit(YamlReader.PARSER_DEPTH);
        o.setMaxAliasesForCollections(Integer.MAX_VALUE);
        o.setAllowDuplicateKeys(false);
        Node root = new Yaml(o).compose(new StringReader(text));
        List<Tagged> found = new ArrayList<>();
        if (root != null) {
            new Walk(found).node(root, new ArrayList<>());
        }
        return List.copyOf(found);
    }

    private static final class Walk {
        private final List<Tagged> found;
        private int visits;

        Walk(List<Tagged> found) {
            this.found = found;
        }

        void node(Node node, List<String> path) {
            if (++visits > YamlReader.MAX_NODES) {
                return; // YamlReader has refused such a document already; never loop here
            }
            String tag = node.getTag().getValue();
            if (tag.equals(RESET) || tag.equals(OVERRIDE)) {
                found.add(new Tagged(List.copyOf(path), tag.equals(RESET), node.getStartMark().getLine() + 1));
                return;
            }
            if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode key && Tag.MERGE.equals(key.getTag())) {
                        // <<: *base merges the keys of base into this mapping: their path is this mapping's
                        Node v = t.getValueNode();
                        List<Node> sources = v instanceof SequenceNode s ? s.getValue() : List.of(v);
                        sources.forEach(source -> node(source, path));
                    } else if (t.getKeyNode() instanceof ScalarNode key) {
                        path.add(key.getValue());
                        node(t.getValueNode(), path);
                        path.remove(path.size() - 1);
                    }
                }
            } else if (node instanceof SequenceNode s) {
                for (int i = 0; i < s.getValue().size(); i++) {
                    path.add(Integer.toString(i));
                    node(s.getValue().get(i), path);
                    path.remove(path.size() - 1);
                }
            }
        }
    }
}
