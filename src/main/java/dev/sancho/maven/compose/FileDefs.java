package dev.sancho.maven.compose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The top-level {@code secrets:} and {@code configs:} of a compose file, the way Compose v2 provides them on a
 * single engine: a {@code file:} source is bind-mounted read-only; an {@code environment:} source (the value of that
 * interpolation variable) or a {@code content:} source (configs; the spec allows it for configs only) is copied into
 * the container before it starts. A missing file or an unset variable is an error naming its line before anything
 * changes.
 *
 * <p>Wiring: {@code ComposeLoader} passes {@code FileDefs.parse(top.get("secrets"), src, "secrets")} and the same for
 * {@code configs} to {@link ServiceParser#ServiceParser(Source, Set, Set, Set, Map, Map)} and lists both keys as
 * top-level keys it reads.
 */
final class FileDefs {
    private FileDefs() {}

    /**
     * One top-level entry: either {@code file} (absolute, exists) or {@code content} (from {@code environment:} or
     * {@code content:}; may be a secret, so {@link #toString()} leaves it out).
     *
     * @param variable the {@code environment:} variable the content comes from, or null
     * @param external on a swarm, the name of the existing object ({@code external: true}); else null
     * @param problem  why the entry cannot be provided (its file is missing, its variable unset, it is external on
     *                 one engine): thrown when a service uses it, as Compose fails only for what a service uses
     */
    record FileDef(String name, String file, String variable, String content, int line, String external,
            ComposeException problem) {
        FileDef(String name, String file, String content, int line) {
            this(name, file, null, content, line, null, null);
        }

        FileDef(String name, String file, String content, int line, String external) {
            this(name, file, null, content, line, external, null);
        }

        FileDef withProblem(ComposeException p) {
            return new FileDef(name, file, variable, content, line, external, p);
        }

        /** What the file declares, for sancho:config: never the value of an {@code environment:} source. */
        ComposeFile.Definition definition() {
            return new ComposeFile.Definition(name, file, variable, variable == null ? content : null, external);
        }

        @Override
        public String toString() {
            return "FileDef[" + name + (problem != null ? ", unusable" : external != null ? ", external=" + external
                    : file != null ? ", file=" + file : ", content=" + Secrets.MASK) + "]";
        }
    }

    /** @param section {@code secrets} or {@code configs} */
    static Map<String, FileDef> parse(YamlNode node, Source src, String section) {
        return parse(node, src, section, false);
    }

    /**
     * @param swarm {@code <target>swarm</target>}: {@code external: true} names an object that must exist in the
     *              swarm ({@code name:} when given, else the key)
     */
    static Map<String, FileDef> parse(YamlNode node, Source src, String section, boolean swarm) {
        Map<String, FileDef> result = new LinkedHashMap<>();
        YamlNode.Mapping m = src.optionalMapping(node, section);
        if (m == null) {
            return result;
        }
        for (YamlNode.Entry e : m.entries()) {
            result.put(e.key(), parse(e, section + "." + e.key(), src, section, swarm));
        }
        return result;
    }

    /** The entry; one that cannot be provided here carries its {@code problem} for a service that uses it. */
    private static FileDef parse(YamlNode.Entry e, String p, Source src, String section, boolean swarm) {
        String singular = section.substring(0, section.length() - 1);
        YamlNode.Mapping def = src.mapping(e.value(), p);
        src.checkKeys(def, p, Set.of("file", "environment", "external", "name", "content"),
                Set.of("labels", "driver", "driver_opts", "template_driver"));
        External external = external(def, p, src);
        if (external.is()) {
            if (swarm && Set.of("file", "environment", "content").stream().anyMatch(k -> def.get(k) != null)) {
                throw src.error(Source.keyLine(def, "external"), p + ".external", "an external " + singular
                        + " exists in the swarm already; give no file:, environment: or content: with it");
            }
            String name = external.name() != null ? external.name() : src.text(def.get("name"), p + ".name");
            FileDef found = new FileDef(e.key(), null, null, null, e.line(), name == null || name.isBlank() ? e.key()
                    : name, null);
            return swarm ? found : found.withProblem(src.error(Source.keyLine(def, "external"), p + ".external",
                    "external " + section + " live in a swarm; on a single engine give the file: (e.g. file: ./"
                            + e.key() + ".txt)"));
        }
        long sources = Set.of("file", "environment", "content").stream().filter(k -> def.get(k) != null).count();
        if (sources > 1) {
            throw src.error(def, p, "give one of file:, environment: or content:, not several");
        }
        if (def.get("environment") != null) {
            String variable = src.required(def.get("environment"), p + ".environment");
            String value = src.variable(variable);
            FileDef found = new FileDef(e.key(), null, variable, value, e.line(), null, null);
            return value != null ? found : found.withProblem(src.error(Source.keyLine(def, "environment"),
                    p + ".environment", "variable " + variable + " is not set (environment, settings.xml <servers> or"
                            + " .env); it is the " + singular + "'s content"));
        }
        if (def.get("content") != null) {
            if (!"configs".equals(section)) {
                throw src.error(Source.keyLine(def, "content"), p + ".content", "content: is for configs only"
                        + " (Compose spec); for a secret use environment: or file:");
            }
            return new FileDef(e.key(), null, src.text(def.get("content"), p + ".content"), e.line());
        }
        String file = src.text(def.get("file"), p + ".file");
        if (file == null || file.isBlank()) {
            throw src.error(def, p, "needs file: (the host file the container sees)");
        }
        Path resolved = src.hostPath(file);
        FileDef found = new FileDef(e.key(), resolved.toString(), null, e.line());
        return Files.isRegularFile(resolved) ? found : found.withProblem(src.error(Source.keyLine(def, "file"),
                p + ".file", resolved + (Files.isDirectory(resolved) ? " is a directory, not a file"
                        : " does not exist")));
    }

    /** {@code external: true}, or the deprecated {@code external: {name: x}} (warned, as for networks and volumes). */
    private record External(boolean is, String name) {}

    private static External external(YamlNode.Mapping def, String p, Source src) {
        YamlNode node = def.get("external");
        if (node instanceof YamlNode.Mapping m) {
            YamlNode.Entry entry = def.entries().stream().filter(x -> x.key().equals("external")).findFirst()
                    .orElseThrow();
            src.checkKeys(m, p + ".external", Set.of("name"), Set.of());
            src.warn(entry, p + ".external", "external: {name: ...} is deprecated; write external: true and name: ...");
            String name = src.text(m.get("name"), p + ".external.name");
            return new External(true, name == null || name.isBlank() ? null : name);
        }
        return new External(src.bool(node, p + ".external", false), null);
    }
}
