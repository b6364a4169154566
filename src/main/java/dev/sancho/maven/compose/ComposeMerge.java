package dev.sancho.maven.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The Compose Specification's merge rules, on {@link YamlNode} trees: what a later file (an override, the next
 * {@code -f} file) or an extending service does to what came before. Pure: nothing is read, nothing is resolved
 * beyond what a rule needs to compare two items (a port, a mount target, an environment key).
 *
 * <ul>
 *   <li>Mappings merge key by key; a scalar of the later file wins; a later {@code null} keeps the earlier value.</li>
 *   <li>Sequences are appended, except the ones with a unique key, where an item with the same key replaces the
 *       earlier one in its place: {@code ports} (host IP, published port, target, protocol), {@code volumes} and
 *       {@code devices} (target), {@code secrets} ({@code /run/secrets/<name>} or target), {@code configs}
 *       ({@code /<name>} or target), {@code expose}, {@code env_file} (path), {@code dns}, {@code dns_opt},
 *       {@code dns_search}, {@code tmpfs}, {@code cap_add}, {@code cap_drop}, {@code profiles}, {@code links},
 *       network {@code aliases}.</li>
 *   <li>{@code environment}, {@code labels}, {@code annotations}, {@code sysctls}, {@code build.args},
 *       {@code build.labels}, {@code build.additional_contexts}, {@code deploy.labels} and the labels of volumes and
 *       networks merge by key, whichever syntax each file uses ({@code KEY: value} or {@code - KEY=value}).</li>
 *   <li>{@code command}, {@code entrypoint}, {@code healthcheck.test} and each {@code ulimits} entry are
 *       replaced, not merged.</li>
 *   <li>{@code depends_on} and service {@code networks} merge by name in either syntax; {@code build: ./dir} counts
 *       as {@code build: {context: ./dir}}; {@code extra_hosts} are appended without duplicates; {@code logging}
 *       merges when both files name the same driver (or one names none), else the later one replaces it.</li>
 * </ul>
 *
 * <p>A mapping merged with a list (or the reverse) is an error naming both places: Compose refuses it too.
 */
final class ComposeMerge {
    private final Source src;
    private final Origins origins;

    /** @param src interpolates the items that are compared and names files in errors */
    ComposeMerge(Source src) {
        this.src = src;
        this.origins = src.origins();
    }

    private enum Rule { DEFAULT, REPLACE, KEY_VALUE, UNIQUE, EXTRA_HOSTS, BY_NAME, BUILD, LOGGING }

    /** Parents whose keys are names (services, volumes, ...): their children share one pattern. */
    private static final Set<String> NAMED = Set.of("services", "volumes", "networks", "secrets", "configs",
            "models", "services.*.ulimits", "services.*.networks", "services.*.depends_on");

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();
    private static final Map<String, BiFunction<ComposeMerge, YamlNode, String>> UNIQUE_KEYS = new LinkedHashMap<>();

    static {
        for (String p : List.of("command", "entrypoint", "healthcheck.test", "ulimits.*")) {
            RULES.put("services.*." + p, Rule.REPLACE);
        }
        for (String p : List.of("services.*.environment", "services.*.labels", "services.*.annotations",
                "services.*.sysctls", "services.*.build.args", "services.*.build.labels",
                "services.*.build.additional_contexts", "services.*.deploy.labels", "networks.*.labels",
                "volumes.*.labels")) {
            RULES.put(p, Rule.KEY_VALUE);
        }
        UNIQUE_KEYS.put("services.*.ports", ComposeMerge::portKey);
        UNIQUE_KEYS.put("services.*.volumes", ComposeMerge::mountTarget);
        UNIQUE_KEYS.put("services.*.devices", ComposeMerge::deviceTarget);
        UNIQUE_KEYS.put("services.*.secrets", (m, n) -> m.fileMountKey(n, "/run/secrets/"));
        UNIQUE_KEYS.put("services.*.configs", (m, n) -> m.fileMountKey(n, "/"));
        UNIQUE_KEYS.put("services.*.expose", ComposeMerge::text);
        UNIQUE_KEYS.put("services.*.env_file", ComposeMerge::envFileKey);
        UNIQUE_KEYS.put("services.*.label_file", (m, n) -> m.identity(n));
        for (String p : List.of("dns", "dns_opt", "dns_search", "tmpfs", "cap_add", "cap_drop", "profiles", "links",
                "networks.*.aliases", "networks.*.link_local_ips", "build.tags")) {
            UNIQUE_KEYS.put("services.*." + p, ComposeMerge::keyBeforeEquals);
        }
        UNIQUE_KEYS.keySet().forEach(p -> RULES.put(p, Rule.UNIQUE));
        RULES.put("services.*.extra_hosts", Rule.EXTRA_HOSTS);
        RULES.put("services.*.build.extra_hosts", Rule.EXTRA_HOSTS);
        RULES.put("services.*.depends_on", Rule.BY_NAME);
        RULES.put("services.*.networks", Rule.BY_NAME);
        RULES.put("services.*.build", Rule.BUILD);
        RULES.put("services.*.logging", Rule.LOGGING);
    }

    /** Two whole files: {@code later} over {@code earlier}. */
    YamlNode.Mapping files(YamlNode.Mapping earlier, YamlNode.Mapping later) {
        return (YamlNode.Mapping) merge(earlier, later, "", "");
    }

    /** An extending service over (a copy of) its base, both the mapping under the service's name. */
    YamlNode.Mapping service(YamlNode.Mapping base, YamlNode.Mapping extending, String name) {
        YamlNode merged = merge(base, extending, "services.*", "services." + name);
        return (YamlNode.Mapping) merged;
    }

    static String child(String pattern, String key) {
        if (NAMED.contains(pattern)) {
            return pattern + ".*";
        }
        return pattern.isEmpty() ? key : pattern + "." + key;
    }

    private static String childPath(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    YamlNode merge(YamlNode earlier, YamlNode later, String pattern, String path) {
        Rule rule = RULES.getOrDefault(pattern, Rule.DEFAULT);
        if (rule == Rule.REPLACE) {
            return later;
        }
        if (Source.isNull(later)) {
            return earlier;
        }
        if (Source.isNull(earlier) && rule == Rule.DEFAULT) {
            return later;
        }
        return switch (rule) {
            case KEY_VALUE -> keyValues(earlier, later, pattern, path);
            case UNIQUE -> unique(earlier, later, pattern, path);
            case EXTRA_HOSTS -> extraHosts(earlier, later, pattern, path);
            case BY_NAME -> mappings(byName(earlier, path), byName(later, path), pattern, path);
            case BUILD -> mappings(build(earlier), build(later), pattern, path);
            case LOGGING -> logging(earlier, later, pattern, path);
            default -> plain(earlier, later, pattern, path);
        };
    }

    private YamlNode plain(YamlNode earlier, YamlNode later, String pattern, String path) {
        if (earlier instanceof YamlNode.Mapping m) {
            if (!(later instanceof YamlNode.Mapping o)) {
                throw mismatch(earlier, later, path);
            }
            return mappings(m, o, pattern, path);
        }
        if (earlier instanceof YamlNode.Sequence s) {
            if (!(later instanceof YamlNode.Sequence o)) {
                throw mismatch(earlier, later, path);
            }
            List<YamlNode> items = new ArrayList<>(s.items());
            items.addAll(o.items());
            return origins.like(new YamlNode.Sequence(items, s.line()), s);
        }
        return later;
    }

    private YamlNode.Mapping mappings(YamlNode.Mapping earlier, YamlNode.Mapping later, String pattern, String path) {
        if (earlier == null) {
            return later;
        }
        if (later == null) {
            return earlier;
        }
        List<YamlNode.Entry> entries = new ArrayList<>(earlier.entries());
        for (YamlNode.Entry o : later.entries()) {
            int at = indexOf(entries, o.key());
            if (at < 0) {
                entries.add(o);
                continue;
            }
            YamlNode.Entry e = entries.get(at);
            YamlNode value = merge(e.value(), o.value(), child(pattern, o.key()), childPath(path, o.key()));
            YamlNode.Entry merged;
            if (value == e.value()) {
                merged = e;
            } else if (NAMED.contains(pattern)) {
                // a service (volume, ...) is where it was first defined, whatever later files add to it
                merged = origins.like(new YamlNode.Entry(e.key(), e.line(), value), e);
            } else if (value == o.value()) {
                merged = o;
            } else {
                merged = origins.like(new YamlNode.Entry(o.key(), o.line(), value), o);
            }
            entries.set(at, merged);
        }
        return origins.like(new YamlNode.Mapping(entries, earlier.line()), earlier);
    }

    private static int indexOf(List<YamlNode.Entry> entries, String key) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private ComposeException mismatch(YamlNode earlier, YamlNode later, String path) {
        return src.error(later, path, "is " + later.kind() + " here but " + earlier.kind() + " in "
                + src.fileOf(earlier) + ":" + earlier.line() + ", and Compose cannot merge the two (write both the"
                + " same way, or tag this one !override to replace the earlier one)");
    }

    // ------------------------------------------------------------------------------------------ key: value

    /**
     * Merged by key. Two mappings stay a mapping; as soon as one side is a list the result is a list of
     * {@code KEY=value} items (a key without value stays {@code KEY}), which every reader of these keys accepts.
     */
    private YamlNode keyValues(YamlNode earlier, YamlNode later, String pattern, String path) {
        if ((earlier == null || earlier instanceof YamlNode.Mapping) && later instanceof YamlNode.Mapping o) {
            YamlNode.Mapping m = (YamlNode.Mapping) earlier;
            if (m == null) {
                return o;
            }
            List<YamlNode.Entry> entries = new ArrayList<>(m.entries());
            for (YamlNode.Entry e : o.entries()) {
                int at = indexOf(entries, e.key());
                if (at < 0) {
                    entries.add(e);
                } else {
                    entries.set(at, e);
                }
            }
            return origins.like(new YamlNode.Mapping(entries, m.line()), m);
        }
        List<YamlNode> items = new ArrayList<>(keyValueItems(earlier, path));
        items.addAll(keyValueItems(later, path));
        YamlNode first = earlier != null ? earlier : later;
        return origins.like(new YamlNode.Sequence(dedupe(items, ComposeMerge::keyBeforeEquals), first.line()), first);
    }

    /** Either syntax as {@code KEY=value} items. */
    private List<YamlNode> keyValueItems(YamlNode node, String path) {
        if (Source.isNull(node)) {
            return List.of();
        }
        if (node instanceof YamlNode.Sequence s) {
            return s.items();
        }
        if (node instanceof YamlNode.Scalar) {
            return List.of(node);
        }
        List<YamlNode> items = new ArrayList<>();
        for (YamlNode.Entry e : ((YamlNode.Mapping) node).entries()) {
            YamlNode v = e.value();
            if (Source.isNull(v)) {
                items.add(origins.like(new YamlNode.Scalar(e.key(), e.line()), e));
            } else if (v instanceof YamlNode.Scalar s) {
                items.add(origins.like(new YamlNode.Scalar(e.key() + "=" + s.value(), s.line()), s));
            } else {
                throw src.expected(v, path + "." + e.key(), "a single value");
            }
        }
        return items;
    }

    // --------------------------------------------------------------------------------------- unique lists

    private YamlNode unique(YamlNode earlier, YamlNode later, String pattern, String path) {
        if (earlier instanceof YamlNode.Mapping || later instanceof YamlNode.Mapping) {
            return Source.isNull(earlier) ? later : plain(earlier, later, pattern, path);
        }
        List<YamlNode> items = new ArrayList<>(asList(earlier));
        items.addAll(asList(later));
        YamlNode first = Source.isNull(earlier) ? later : earlier;
        return origins.like(new YamlNode.Sequence(dedupe(items, UNIQUE_KEYS.get(pattern)), first.line()), first);
    }

    private static List<YamlNode> asList(YamlNode node) {
        if (Source.isNull(node)) {
            return List.of();
        }
        return node instanceof YamlNode.Sequence s ? s.items() : List.of(node);
    }

    /** Later items replace earlier ones with the same key, in the earlier one's place. */
    private List<YamlNode> dedupe(List<YamlNode> items, BiFunction<ComposeMerge, YamlNode, String> key) {
        Map<String, Integer> at = new LinkedHashMap<>();
        List<YamlNode> result = new ArrayList<>();
        for (YamlNode item : items) {
            String k = key.apply(this, item);
            Integer i = at.get(k);
            if (i == null) {
                at.put(k, result.size());
                result.add(item);
            } else {
                result.set(i, item);
            }
        }
        return result;
    }

    private YamlNode extraHosts(YamlNode earlier, YamlNode later, String pattern, String path) {
        List<YamlNode> items = new ArrayList<>(hostItems(earlier));
        List<String> seen = new ArrayList<>();
        items.forEach(i -> seen.add(text(i)));
        for (YamlNode item : hostItems(later)) {
            if (!seen.contains(text(item))) {
                items.add(item);
            }
        }
        YamlNode first = Source.isNull(earlier) ? later : earlier;
        return origins.like(new YamlNode.Sequence(items, first.line()), first);
    }

    /** {@code host: ip} (or {@code host: [ip, ip]}) as {@code host=ip} items. */
    private List<YamlNode> hostItems(YamlNode node) {
        if (!(node instanceof YamlNode.Mapping m)) {
            return asList(node);
        }
        List<YamlNode> items = new ArrayList<>();
        for (YamlNode.Entry e : m.entries()) {
            for (YamlNode ip : e.value() instanceof YamlNode.Sequence s ? s.items() : List.of(e.value())) {
                String value = ip instanceof YamlNode.Scalar sc && sc.value() != null ? sc.value() : "";
                items.add(origins.like(new YamlNode.Scalar(e.key() + "=" + value, ip.line()), ip));
            }
        }
        return items;
    }

    // ----------------------------------------------------------------------------------- normalised forms

    /** {@code [a, b]} as {@code {a: null, b: null}}, so that both syntaxes merge by name. */
    private YamlNode.Mapping byName(YamlNode node, String path) {
        if (Source.isNull(node)) {
            return null;
        }
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        if (!(node instanceof YamlNode.Sequence s)) {
            throw src.expected(node, path, "a list or a mapping");
        }
        List<YamlNode.Entry> entries = new ArrayList<>();
        for (int i = 0; i < s.items().size(); i++) {
            YamlNode item = s.items().get(i);
            String name = src.required(item, path + "[" + i + "]");
            YamlNode.Entry entry = new YamlNode.Entry(name, item.line(),
                    origins.like(new YamlNode.Scalar(null, item.line()), item));
            if (indexOf(entries, name) < 0) {
                entries.add(origins.like(entry, item));
            }
        }
        return origins.like(new YamlNode.Mapping(entries, s.line()), s);
    }

    private YamlNode.Mapping build(YamlNode node) {
        if (Source.isNull(node)) {
            return null;
        }
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        YamlNode.Entry context = origins.like(new YamlNode.Entry("context", node.line(), node), node);
        return origins.like(new YamlNode.Mapping(List.of(context), node.line()), node);
    }

    private YamlNode logging(YamlNode earlier, YamlNode later, String pattern, String path) {
        if (earlier instanceof YamlNode.Mapping m && later instanceof YamlNode.Mapping o) {
            String before = src.text(m.get("driver"), path + ".driver");
            String after = src.text(o.get("driver"), path + ".driver");
            if (before != null && after != null && !before.equals(after)) {
                return later;
            }
        }
        return plain(earlier, later, pattern, path);
    }

    // -------------------------------------------------------------------------------------- item keys

    /** The item as text for comparing; never fails (a wrong item is reported when the key is read). */
    String text(YamlNode node) {
        if (node instanceof YamlNode.Scalar s) {
            if (s.value() == null) {
                return "";
            }
            if (s.value().indexOf('$') < 0) {
                return s.value();
            }
            try {
                // quietly: an unset variable is reported once, where the value itself is read
                return new Interpolator(src.variables(), src.properties(), name -> {}).apply(s.value());
            } catch (Interpolator.Problem e) {
                return s.value();
            }
        }
        return identity(node);
    }

    private String identity(YamlNode node) {
        return "\u0000" + System.identityHashCode(node);
    }

    private String field(YamlNode node, String key) {
        if (node instanceof YamlNode.Mapping m && m.get(key) instanceof YamlNode.Scalar s) {
            return text(s);
        }
        return null;
    }

    private String keyBeforeEquals(YamlNode node) {
        if (!(node instanceof YamlNode.Scalar)) {
            return identity(node);
        }
        String t = text(node);
        int eq = t.indexOf('=');
        return eq < 0 ? t : t.substring(0, eq);
    }

    /** Host IP, published port, container port and protocol, from either syntax. */
    private String portKey(YamlNode node) {
        if (node instanceof YamlNode.Mapping m) {
            if (m.get("target") == null) {
                return identity(node);
            }
            return port(field(m, "host_ip"), field(m, "published"), field(m, "target"), field(m, "protocol"));
        }
        if (!(node instanceof YamlNode.Scalar)) {
            return identity(node);
        }
        String spec = text(node).strip();
        String protocol = null;
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            protocol = spec.substring(slash + 1);
            spec = spec.substring(0, slash);
        }
        String ip = null;
        if (spec.startsWith("[") && spec.contains("]:")) {
            ip = spec.substring(1, spec.indexOf("]:"));
            spec = spec.substring(spec.indexOf("]:") + 2);
        }
        String[] parts = spec.split(":", -1);
        return switch (parts.length) {
            case 1 -> port(ip, null, parts[0], protocol);
            case 2 -> port(ip, parts[0], parts[1], protocol);
            case 3 -> port(parts[0], parts[1], parts[2], protocol);
            default -> text(node);
        };
    }

    private static String port(String ip, String published, String target, String protocol) {
        String host = ip == null || ip.isBlank() || ip.equals("0.0.0.0") ? "" : ip;
        return host + "|" + (published == null ? "" : published) + "|" + target + "|"
                + (protocol == null || protocol.isBlank() ? "tcp" : protocol);
    }

    /** The container path of a mount: {@code [SOURCE:]TARGET[:MODE]} or {@code target:}. */
    private String mountTarget(YamlNode node) {
        if (node instanceof YamlNode.Mapping) {
            String target = field(node, "target");
            return target == null ? identity(node) : target;
        }
        if (!(node instanceof YamlNode.Scalar)) {
            return identity(node);
        }
        String[] parts = text(node).split(":", -1);
        if (parts.length == 1 || parts.length == 2 && parts[0].startsWith("/") && !parts[1].startsWith("/")) {
            return parts[0];
        }
        return parts[1];
    }

    private String deviceTarget(YamlNode node) {
        if (node instanceof YamlNode.Mapping) {
            String target = field(node, "target");
            return target == null ? identity(node) : target;
        }
        if (!(node instanceof YamlNode.Scalar)) {
            return identity(node);
        }
        String[] parts = text(node).split(":", -1);
        return parts.length == 1 ? parts[0] : parts[1];
    }

    /** {@code - name} mounts at {@code prefix + name}; the long syntax at {@code target}, else the same default. */
    private String fileMountKey(YamlNode node, String prefix) {
        if (node instanceof YamlNode.Mapping) {
            String target = field(node, "target");
            String source = field(node, "source");
            return target != null ? target : source != null ? prefix + source : identity(node);
        }
        return node instanceof YamlNode.Scalar ? prefix + text(node) : identity(node);
    }

    private String envFileKey(YamlNode node) {
        if (node instanceof YamlNode.Mapping) {
            String file = field(node, "path");
            return file == null ? identity(node) : file;
        }
        return text(node);
    }
}
