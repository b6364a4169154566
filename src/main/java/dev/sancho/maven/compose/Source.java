package dev.sancho.maven.compose;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One compose file being read: typed access to its {@link YamlNode}s with interpolation, and every error or
 * warning located as {@code file:line: path: problem}.
 *
 * <p>A model merged from several files (overrides, {@code include}, {@code extends}) holds nodes of each; their
 * {@link Origins} tell which file a message about a node names. {@link #file} is the file named when a message has
 * no node (and the file of nodes without a recorded origin).
 */
final class Source {
    final String file;
    final Path dir;
    private final Function<String, String> variables;
    private final Map<String, String> properties;
    private final Origins origins;
    private final List<Warning> warnings;
    private final Set<String> reportedUnset;

    /**
     * @param file      the file name for messages
     * @param dir       the directory relative paths resolve against
     * @param variables interpolation values by precedence, null when unset
     */
    Source(String file, Path dir, Function<String, String> variables, Map<String, String> properties) {
        this(file, dir, variables, properties, new Origins());
    }

    /** @param origins the file of each node of a model merged from several files */
    Source(String file, Path dir, Function<String, String> variables, Map<String, String> properties,
            Origins origins) {
        this(file, dir, variables, properties, origins, new ArrayList<>(), new HashSet<>());
    }

    private Source(String file, Path dir, Function<String, String> variables, Map<String, String> properties,
            Origins origins, List<Warning> warnings, Set<String> reportedUnset) {
        this.file = file;
        this.dir = dir;
        this.variables = variables;
        this.properties = properties;
        this.origins = origins;
        this.warnings = warnings;
        this.reportedUnset = reportedUnset;
    }

    /** The same source naming {@code otherFile} in messages without a node; warnings are shared. */
    Source as(String otherFile) {
        return new Source(otherFile, dir, variables, properties, origins, warnings, reportedUnset);
    }

    /**
     * Another part of the same model (an included project) with its own directory and variables; warnings and
     * origins are shared.
     */
    Source part(String partFile, Path partDir, Function<String, String> partVariables) {
        return new Source(partFile, partDir, partVariables, properties, origins, warnings, new HashSet<>());
    }

    Origins origins() {
        return origins;
    }

    Map<String, String> properties() {
        return properties;
    }

    /** The file a node or entry came from. */
    String fileOf(Object nodeOrEntry) {
        return origins.of(nodeOrEntry, file);
    }

    /** @param notApplied a key (or value) of the file that sancho does not apply: a build error with sancho.strict */
    private record Warning(String file, int line, String message, boolean notApplied) {}

    /** In file order, so the user can walk through them top to bottom. */
    List<String> warnings() {
        return inFileOrder().map(Warning::message).toList();
    }

    /** The warnings about something written that sancho does not apply (unknown or not honoured keys), in file order. */
    List<String> notApplied() {
        return inFileOrder().filter(Warning::notApplied).map(Warning::message).toList();
    }

    private java.util.stream.Stream<Warning> inFileOrder() {
        return warnings.stream().sorted(java.util.Comparator.comparingInt((Warning w) -> origins.order(w.file()))
                .thenComparingInt(Warning::line));
    }

    /** The line of {@code key} in {@code m}, else of the mapping itself. */
    static int keyLine(YamlNode.Mapping m, String key) {
        return m.entries().stream().filter(e -> e.key().equals(key)).mapToInt(YamlNode.Entry::line).findFirst()
                .orElse(m.line());
    }

    /** A host path as Compose resolves it: relative to the project directory; {@code ~} is the user's home. */
    Path hostPath(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(path.substring(1).replaceFirst("^/", ""))
                    .normalize();
        }
        return dir.resolve(path).normalize();
    }

    String variable(String name) {
        return variables.apply(name);
    }

    Function<String, String> variables() {
        return variables;
    }

    ComposeException error(YamlNode node, String path, String problem) {
        return new ComposeException(fileOf(node), node == null ? 0 : node.line(), path, problem);
    }

    /** At the key of {@code entry}, in the file the entry came from. */
    ComposeException error(YamlNode.Entry entry, String path, String problem) {
        return new ComposeException(fileOf(entry), entry.line(), path, problem);
    }

    ComposeException error(int line, String path, String problem) {
        return new ComposeException(file, line, path, problem);
    }

    void warn(int line, String path, String problem) {
        warn(file, line, path, problem, false);
    }

    /** At a node, in the file it came from. */
    void warn(YamlNode node, String path, String problem) {
        warn(fileOf(node), node == null ? 0 : node.line(), path, problem, false);
    }

    /** At the key of {@code entry}, in the file the entry came from. */
    void warn(YamlNode.Entry entry, String path, String problem) {
        warn(fileOf(entry), entry.line(), path, problem, false);
    }

    /** Something written that sancho does not apply, at the key of {@code entry}: an error with sancho.strict. */
    void notApplied(YamlNode.Entry entry, String path, String problem) {
        warn(fileOf(entry), entry.line(), path, problem, true);
    }

    /** Like {@link #notApplied(YamlNode.Entry, String, String)}, at a node. */
    void notApplied(YamlNode node, String path, String problem) {
        warn(fileOf(node), node == null ? 0 : node.line(), path, problem, true);
    }

    private void warn(String inFile, int line, String path, String problem, boolean notApplied) {
        warnings.add(new Warning(inFile, line, new ComposeException(inFile, line, path, problem).getMessage(),
                notApplied));
    }

    ComposeException expected(YamlNode node, String path, String what) {
        return error(node, path, "expected " + what + ", found " + found(node, path));
    }

    /** Quotes short values back to the user, but never anything that may hold a secret. */
    private static String found(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar s && s.value() != null && s.value().length() <= 30
                && s.value().indexOf('=') < 0 && !path.contains("environment") && !path.contains("args")) {
            return "\"" + s.value() + "\"";
        }
        return node.kind();
    }

    /** The scalar as written, before interpolation; null for YAML null or an absent key. */
    String raw(YamlNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node instanceof YamlNode.Scalar s) {
            return s.value();
        }
        throw expected(node, path, "a single value");
    }

    /** The scalar after interpolation; null for YAML null or an absent key. */
    String text(YamlNode node, String path) {
        String raw = raw(node, path);
        return raw == null ? null : interpolate(raw, fileOf(node), node.line(), path);
    }

    String interpolate(String raw, int line, String path) {
        return interpolate(raw, file, line, path);
    }

    private String interpolate(String raw, String inFile, int line, String path) {
        Interpolator interpolator = new Interpolator(variables, properties, name -> {
            if (reportedUnset.add(name)) {
                warn(inFile, line, path, "variable " + name + " is not set; using an empty string", false);
            }
        });
        try {
            return interpolator.apply(raw);
        } catch (Interpolator.Problem e) {
            throw new ComposeException(inFile, line, path, e.getMessage());
        }
    }

    /** Like {@link #text} but the value must be present. */
    String required(YamlNode node, String path) {
        String value = text(node, path);
        if (value == null || value.isEmpty()) {
            throw error(node, path, "must not be empty");
        }
        return value;
    }

    /** Like {@link #required(YamlNode, String)} for {@code key} of {@code parent}, at the parent's line when absent. */
    String required(YamlNode.Mapping parent, String key, String path) {
        YamlNode node = parent.get(key);
        if (node == null) {
            throw error(parent, path, "must not be empty");
        }
        return required(node, path);
    }

    YamlNode.Mapping mapping(YamlNode node, String path) {
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        throw expected(node, path, "a mapping (key: value lines)");
    }

    /** A mapping, or null for an absent or null value. */
    YamlNode.Mapping optionalMapping(YamlNode node, String path) {
        return isNull(node) ? null : mapping(node, path);
    }

    YamlNode.Sequence sequence(YamlNode node, String path, String example) {
        if (node instanceof YamlNode.Sequence s) {
            return s;
        }
        throw expected(node, path, "a list (" + example + ")");
    }

    static boolean isNull(YamlNode node) {
        return node == null || node instanceof YamlNode.Scalar s && s.value() == null;
    }

    boolean bool(YamlNode node, String path, boolean absent) {
        String value = text(node, path);
        if (value == null) {
            return absent;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(node, path, "expected true or false, found \"" + value + "\"");
        };
    }

    Integer integer(YamlNode node, String path) {
        String value = text(node, path);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw error(node, path, "expected a whole number, found \"" + value + "\"");
        }
    }

    Duration duration(YamlNode node, String path) {
        String value = text(node, path);
        if (value == null) {
            return null;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw error(node, path, e.getMessage());
        }
    }

    /** A string or a list of strings; null when absent. */
    List<String> stringOrList(YamlNode node, String path) {
        if (isNull(node)) {
            return null;
        }
        if (node instanceof YamlNode.Scalar) {
            return List.of(text(node, path));
        }
        return strings(node, path);
    }

    List<String> strings(YamlNode node, String path) {
        List<String> result = new ArrayList<>();
        List<YamlNode> items = sequence(node, path, "- item lines").items();
        for (int i = 0; i < items.size(); i++) {
            String item = text(items.get(i), path + "[" + i + "]");
            result.add(item == null ? "" : item);
        }
        return result;
    }

    /**
     * A mapping {@code KEY: value} or a list {@code - KEY=value}, as used by environment, labels and build args.
     * A key without value ({@code KEY:} or {@code - KEY}) maps to {@code ifNoValue.apply(KEY)}.
     */
    Map<String, String> keyValues(YamlNode node, String path, Function<String, String> ifNoValue) {
        Map<String, String> result = new LinkedHashMap<>();
        if (isNull(node)) {
            return result;
        }
        if (node instanceof YamlNode.Mapping m) {
            for (YamlNode.Entry e : m.entries()) {
                String itemPath = path + "." + e.key();
                if (!(e.value() instanceof YamlNode.Scalar)) {
                    throw expected(e.value(), itemPath, "a single value");
                }
                String value = text(e.value(), itemPath);
                result.put(e.key(), value != null ? value : ifNoValue.apply(e.key()));
            }
            return result;
        }
        if (!(node instanceof YamlNode.Sequence)) {
            throw expected(node, path, "a mapping (KEY: value) or a list (- KEY=value)");
        }
        List<YamlNode> items = ((YamlNode.Sequence) node).items();
        for (int i = 0; i < items.size(); i++) {
            String item = text(items.get(i), path + "[" + i + "]");
            if (item == null || item.isBlank()) {
                throw error(items.get(i), path + "[" + i + "]", "expected KEY=value, found an empty item");
            }
            int eq = item.indexOf('=');
            String key = eq < 0 ? item.strip() : item.substring(0, eq).strip();
            result.put(key, eq < 0 ? ifNoValue.apply(key) : item.substring(eq + 1));
        }
        return result;
    }

    /**
     * Warns about each key that is not in {@code supported}: keys Compose defines that we ignore are named as
     * such; others are probably typos. {@code x-*} extension keys are accepted silently.
     */
    void checkKeys(YamlNode.Mapping m, String path, Set<String> supported, Set<String> notHonoured) {
        for (YamlNode.Entry e : m.entries()) {
            String key = e.key();
            if (supported.contains(key) || key.startsWith("x-")) {
                continue;
            }
            String where = path.isEmpty() ? key : path + "." + key;
            if (notHonoured.contains(key)) {
                notApplied(e, where, "not honoured by sancho; ignored");
            } else {
                notApplied(e, where, "unknown key; ignored (check the spelling)");
            }
        }
    }
}
