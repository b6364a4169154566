package dev.sancho.maven.compose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The top-level {@code secrets:} and {@code configs:} of a compose file: each name's host file, the way
 * docker-compose provides them on a single engine (a read-only bind mount of the file). Only {@code file:} sources
 * exist without a swarm; a missing file is an error naming its line before anything changes.
 *
 * <p>Wiring: {@code ComposeLoader} passes {@code FileDefs.parse(top.get("secrets"), src, "secrets")} and the same for
 * {@code configs} to {@link ServiceParser#ServiceParser(Source, Set, Set, Set, Map, Map)} and lists both keys as
 * top-level keys it reads.
 */
final class FileDefs {
    private FileDefs() {}

    /** One top-level entry: {@code file} is absolute, and exists. */
    record FileDef(String name, String file, int line) {}

    /** @param section {@code secrets} or {@code configs} */
    static Map<String, FileDef> parse(YamlNode node, Source src, String section) {
        Map<String, FileDef> result = new LinkedHashMap<>();
        YamlNode.Mapping m = src.optionalMapping(node, section);
        if (m == null) {
            return result;
        }
        for (YamlNode.Entry e : m.entries()) {
            String p = section + "." + e.key();
            YamlNode.Mapping def = src.mapping(e.value(), p);
            src.checkKeys(def, p, Set.of("file", "environment", "external", "name", "content"),
                    Set.of("labels", "driver", "driver_opts", "template_driver"));
            if (src.bool(def.get("external"), p + ".external", false)) {
                throw src.error(Source.keyLine(def, "external"), p + ".external", "external " + section + " live in a swarm; on a single engine give the file:"
                        + " (e.g. file: ./" + e.key() + ".txt)");
            }
            if (def.get("environment") != null || def.get("content") != null) {
                String key = def.get("environment") != null ? "environment" : "content";
                throw src.error(Source.keyLine(def, key), p + "." + key, key + ": sources are not supported by sancho"
                        + " yet; put the value in a file (not under version control) and write file: instead");
            }
            String file = src.text(def.get("file"), p + ".file");
            if (file == null || file.isBlank()) {
                throw src.error(def, p, "needs file: (the host file the container sees)");
            }
            Path resolved = src.dir.resolve(file).normalize();
            if (!Files.isRegularFile(resolved)) {
                throw src.error(Source.keyLine(def, "file"), p + ".file", resolved + (Files.isDirectory(resolved)
                        ? " is a directory, not a file" : " does not exist"));
            }
            result.put(e.key(), new FileDef(e.key(), resolved.toString(), e.line()));
        }
        return result;
    }
}
