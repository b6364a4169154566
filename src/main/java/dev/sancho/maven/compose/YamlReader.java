package dev.sancho.maven.compose;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns YAML text into a {@link YamlNode} tree, refusing documents that are hostile or unreasonably large.
 * A Compose file is a few hundred lines; the limits below are orders of magnitude above any real one and far
 * below what would exhaust memory (billion-laughs alias bombs, multi-megabyte documents).
 *
 * <p>Aliases are guarded by what they expand to ({@link #MAX_NODES} values in the converted tree), not by how many
 * there are: a real file may well use hundreds ({@code <<: *defaults} on every service of getsentry/self-hosted),
 * while a bomb needs only a few dozen nested ones.
 */
final class YamlReader {
    static final int MAX_CODE_POINTS = 2 * 1024 * 1024;
    static final int MAX_DEPTH = 64;
    /**
     * What snakeyaml itself allows, above {@link #MAX_DEPTH}: {@link #convert} refuses deeper values at their line
     * (snakeyaml's own refusal names none); this one only bounds its recursion.
     */
    static final int PARSER_DEPTH = 1000;
    static final int MAX_NODES = 200_000;

    private final String file;
    private int nodes;

    private YamlReader(String file) {
        this.file = file;
    }

    /** @param file the file name used in messages */
    static YamlNode read(String text, String file) {
        Node root;
        try {
            // What Yaml.compose does, without building a Yaml: its constructor and representer (~60 classes) are
            // never used here, only the node graph.
            LoaderOptions options = options();
            root = new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options)
                    .getSingleNode();
        } catch (MarkedYAMLException e) {
            throw syntaxError(file, e);
        } catch (org.yaml.snakeyaml.reader.ReaderException e) {
            int at = Math.min(Math.max(e.getPosition(), 0), text.length());
            int line = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
            throw new ComposeException(file, line, null, "YAML syntax error: the character U+"
                    + String.format("%04X", e.getCodePoint()) + " is not allowed in a YAML file");
        } catch (YAMLException e) {
            int line = e.getMessage() != null && e.getMessage().startsWith("Nesting Depth") ? deepestLine(text) : 0;
            throw new ComposeException(file, line, null, "refused: " + limitMessage(e.getMessage()));
        }
        if (root == null) {
            return null;
        }
        return new YamlReader(file).convert(root, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private int depth;

    private static LoaderOptions options() {
        LoaderOptions o = new LoaderOptions();
        // Not a guard: convert() counts what the aliases expand to. snakeyaml shares an aliased node instead of
        // copying it, so composing is linear in the text whatever the number of aliases.
        o.setMaxAliasesForCollections(Integer.MAX_VALUE);
        o.setCodePointLimit(MAX_CODE_POINTS);
        o.setNestingDepthLimit(PARSER_DEPTH);
        o.setAllowRecursiveKeys(false);
        o.setAllowDuplicateKeys(false);
        return o;
    }

    /**
     * Where a document too deep for snakeyaml gets deep, since its refusal names no line: the first line where the
     * flow brackets ({@code [ {}) outside quotes open more than {@link #MAX_DEPTH} levels, else the most indented
     * line.
     */
    static int deepestLine(String text) {
        int depth = 0;
        int line = 1;
        int mostIndented = 1;
        int widest = -1;
        char quote = 0;
        boolean lineStart = true;
        int indent = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = true;
                indent = 0;
                continue;
            }
            if (lineStart && (c == ' ' || c == '-')) {
                indent++;
                continue;
            }
            if (lineStart) {
                lineStart = false;
                if (indent > widest) {
                    widest = indent;
                    mostIndented = line;
                }
            }
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_DEPTH) {
                    return line;
                }
            } else if ((c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
        return mostIndented;
    }

    /** snakeyaml's limit messages, said in terms of a compose file. */
    private static String limitMessage(String message) {
        if (message.startsWith("Nesting Depth")) {
            return "mappings and lists nested deeper than " + PARSER_DEPTH + " levels";
        }
        if (message.contains("exceeds the limit")) {
            return "the document is longer than " + MAX_CODE_POINTS + " characters";
        }
        return message;
    }

    private static ComposeException syntaxError(String file, MarkedYAMLException e) {
        var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
        var context = e.getContextMark();
        if (e.getContext() != null && context != null && e.getProblemMark() != null
                && context.getLine() != mark.getLine()) {
            problem += " (" + e.getContext() + " started at line " + (context.getLine() + 1) + ", column "
                    + (context.getColumn() + 1) + ")";
        }
        problem = problem.replace("\t", "\\t").replaceAll("\\s+", " ").strip(); // one line
        if (mark == null) {
            return new ComposeException(file, 0, null, "YAML syntax error: " + problem);
        }
        return new ComposeException(file, mark.getLine() + 1, mark.getColumn() + 1, null, "YAML syntax error: " + problem);
    }

    private YamlNode convert(Node node, Set<Node> ancestors) {
        if (++nodes > MAX_NODES) {
            throw new ComposeException(file, 0, null, "refused: the document expands to more than "
                    + MAX_NODES + " values (nested YAML aliases?); a Compose file never needs that many");
        }
        if (!ancestors.add(node)) {
            throw new ComposeException(file, line(node), null, "refused: an alias refers to the mapping or list that"
                    + " contains it, which never ends");
        }
        if (++depth > MAX_DEPTH) {
            throw new ComposeException(file, line(node), null, "refused: mappings and lists nested deeper than "
                    + MAX_DEPTH + " levels");
        }
        try {
            if (node instanceof ScalarNode s) {
                return new YamlNode.Scalar(Tag.NULL.equals(s.getTag()) ? null : s.getValue(), line(s));
            }
            if (node instanceof SequenceNode s) {
                List<YamlNode> items = new ArrayList<>();
                s.getValue().forEach(item -> items.add(convert(item, ancestors)));
                return new YamlNode.Sequence(items, line(s));
            }
            return mapping((MappingNode) node, ancestors);
        } finally {
            ancestors.remove(node);
            depth--;
        }
    }

    /**
     * Resolves merge keys ({@code <<: *defaults} or {@code <<: [*a, *b]}) like YAML 1.1: keys written in the
     * mapping win over merged ones; among several merged mappings the first one wins.
     */
    private YamlNode.Mapping mapping(MappingNode node, Set<Node> ancestors) {
        Map<String, YamlNode.Entry> explicit = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            if (isMerge(t.getKeyNode())) {
                continue;
            }
            String key = key(t.getKeyNode());
            if (explicit.containsKey(key)) {
                throw new ComposeException(file, line(t.getKeyNode()), null, "duplicate key \"" + key
                        + "\" (first at line " + explicit.get(key).line() + "); YAML allows each key once per mapping");
            }
            explicit.put(key, new YamlNode.Entry(key, line(t.getKeyNode()), convert(t.getValueNode(), ancestors)));
        }
        Map<String, YamlNode.Entry> result = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            if (isMerge(t.getKeyNode())) {
                for (YamlNode.Mapping merged : mergeSources(t, ancestors)) {
                    for (YamlNode.Entry e : merged.entries()) {
                        if (!explicit.containsKey(e.key())) {
                            result.putIfAbsent(e.key(), e);
                        }
                    }
                }
            } else {
                String key = key(t.getKeyNode());
                result.put(key, explicit.get(key));
            }
        }
        return new YamlNode.Mapping(new ArrayList<>(result.values()), line(node));
    }

    private List<YamlNode.Mapping> mergeSources(NodeTuple merge, Set<Node> ancestors) {
        Node value = merge.getValueNode();
        List<Node> sources = value instanceof SequenceNode s ? s.getValue() : List.of(value);
        List<YamlNode.Mapping> result = new ArrayList<>();
        for (Node source : sources) {
            if (!(source instanceof MappingNode)) {
                throw new ComposeException(file, line(merge.getKeyNode()), null,
                        "a merge key (<<) must refer to a mapping or a list of mappings, e.g. <<: *defaults");
            }
            result.add((YamlNode.Mapping) convert(source, ancestors));
        }
        return result;
    }

    private static boolean isMerge(Node key) {
        return key instanceof ScalarNode && Tag.MERGE.equals(key.getTag());
    }

    private String key(Node key) {
        if (key instanceof ScalarNode s && !Tag.NULL.equals(s.getTag())) {
            return s.getValue();
        }
        throw new ComposeException(file, line(key), null, "a mapping key must be a plain name, found "
                + (key instanceof ScalarNode ? "an empty key" : "a " + key.getNodeId() + " as key"));
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }
}
