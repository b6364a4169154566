package dev.sancho.maven.compose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Makes the relative paths of a part of the model absolute, against the directory they were written for: an
 * included project's directory, or the directory of the file an {@code extends} base comes from (the project's
 * own files need none: their paths resolve against the project directory when the keys are read). The same keys
 * as Compose: {@code build} and {@code build.context}, {@code env_file}, {@code label_file}, bind mounts under
 * {@code volumes} ({@code ./dir:/x} and {@code type: bind}), {@code file} of top-level {@code secrets} and
 * {@code configs}, and the {@code device} of a local volume with {@code o: bind}.
 *
 * <p>The values are the literals of an interpolated part ({@code $} doubled, sancho's own variables kept as
 * {@code ${NAME}}); a path is relative when it starts with neither {@code /}, {@code ~} nor such a reference.
 */
final class RelativePaths {
    private RelativePaths() {}

    static YamlNode resolve(YamlNode.Mapping model, Path dir, Source src) {
        Origins origins = src.origins();
        YamlNode.Mapping result = model;
        result = each(result, "services", service -> resolveService(service, dir, src), origins);
        for (String kind : List.of("secrets", "configs")) {
            result = each(result, kind, def -> at(def, "file", v -> absolute(v, dir), origins), origins);
        }
        result = each(result, "volumes", def -> {
            if (!(def instanceof YamlNode.Mapping m) || !"local".equals(plain(m.get("driver")))
                    || !(m.get("driver_opts") instanceof YamlNode.Mapping opts) || !"bind".equals(plain(opts.get("o")))) {
                return def;
            }
            return at(m, "driver_opts", o -> at(o, "device", v -> absolute(v, dir), origins), origins);
        }, origins);
        return result;
    }

    static YamlNode resolveService(YamlNode service, Path dir, Source src) {
        if (!(service instanceof YamlNode.Mapping)) {
            return service;
        }
        Origins origins = src.origins();
        YamlNode result = service;
        result = at(result, "build", build -> build instanceof YamlNode.Mapping
                ? at(build, "context", v -> context(v, dir), origins) : context(build, dir), origins);
        result = at(result, "env_file", v -> items(v, item -> item instanceof YamlNode.Mapping
                ? at(item, "path", p -> absolute(p, dir), origins) : absolute(item, dir), origins), origins);
        result = at(result, "label_file", v -> items(v, item -> absolute(item, dir), origins), origins);
        result = at(result, "volumes", v -> items(v, item -> mount(item, dir, origins), origins), origins);
        return result;
    }

    private static YamlNode mount(YamlNode item, Path dir, Origins origins) {
        if (item instanceof YamlNode.Mapping m) {
            return "bind".equals(plain(m.get("type"))) ? at(m, "source", v -> absolute(v, dir), origins) : m;
        }
        if (item instanceof YamlNode.Scalar s && s.value() != null && s.value().startsWith(".")) {
            return origins.like(new YamlNode.Scalar(prefix(dir) + relative(s.value()), s.line()), s);
        }
        return item;
    }

    private static YamlNode context(YamlNode node, Path dir) {
        if (node instanceof YamlNode.Scalar s && s.value() != null) {
            String v = s.value();
            if (v.contains("://") || v.startsWith("git@") || v.startsWith("github.com/")) {
                return node;
            }
        }
        return absolute(node, dir);
    }

    private static YamlNode absolute(YamlNode node, Path dir) {
        if (!(node instanceof YamlNode.Scalar s) || s.value() == null || s.value().isEmpty()) {
            return node;
        }
        String v = s.value();
        if (v.startsWith("/") || v.startsWith("~") || v.startsWith("${")) {
            return node;
        }
        return new YamlNode.Scalar(prefix(dir) + relative(v), s.line());
    }

    private static String relative(String path) {
        return path.startsWith("./") ? path.substring(2) : path;
    }

    private static String prefix(Path dir) {
        return ComposeModel.escape(dir.toString()) + "/";
    }

    /** The value as written when it has no variable; else null (not one of the plain words compared). */
    private static String plain(YamlNode node) {
        return node instanceof YamlNode.Scalar s && s.value() != null && s.value().indexOf('$') < 0 ? s.value() : null;
    }

    private static YamlNode items(YamlNode node, UnaryOperator<YamlNode> each, Origins origins) {
        if (node instanceof YamlNode.Sequence s) {
            List<YamlNode> items = new ArrayList<>();
            s.items().forEach(i -> items.add(origins.like(each.apply(i), i)));
            return origins.like(new YamlNode.Sequence(items, s.line()), s);
        }
        return origins.like(each.apply(node), node);
    }

    /** The mapping with the value of {@code key} replaced; unchanged when it has no such key. */
    private static YamlNode at(YamlNode node, String key, UnaryOperator<YamlNode> change, Origins origins) {
        if (!(node instanceof YamlNode.Mapping m) || m.get(key) == null) {
            return node;
        }
        List<YamlNode.Entry> entries = new ArrayList<>();
        boolean changed = false;
        for (YamlNode.Entry e : m.entries()) {
            if (e.key().equals(key)) {
                YamlNode value = origins.like(change.apply(e.value()), e.value());
                changed |= value != e.value();
                entries.add(value == e.value() ? e : origins.like(new YamlNode.Entry(key, e.line(), value), e));
            } else {
                entries.add(e);
            }
        }
        return changed ? origins.like(new YamlNode.Mapping(entries, m.line()), m) : node;
    }

    /** Each entry of the top-level mapping {@code kind} changed. */
    private static YamlNode.Mapping each(YamlNode.Mapping model, String kind, UnaryOperator<YamlNode> change,
            Origins origins) {
        return (YamlNode.Mapping) at(model, kind, section -> {
            if (!(section instanceof YamlNode.Mapping m)) {
                return section;
            }
            List<YamlNode.Entry> entries = new ArrayList<>();
            for (YamlNode.Entry e : m.entries()) {
                YamlNode value = origins.like(change.apply(e.value()), e.value());
                entries.add(value == e.value() ? e : origins.like(new YamlNode.Entry(e.key(), e.line(), value), e));
            }
            return origins.like(new YamlNode.Mapping(entries, m.line()), m);
        }, origins);
    }
}
