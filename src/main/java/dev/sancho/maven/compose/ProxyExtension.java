package dev.sancho.maven.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * sancho's Compose extension on a reverse-proxy service, {@code x-sancho-proxy: {reload: [nginx, -s, reload]}}: the
 * command that makes the running proxy resolve the app services' names afresh (nginx's new workers start with an
 * empty DNS cache; {@code caddy reload --config ...}). The cutover runs it inside the proxy's container instead of
 * waiting out the proxy's DNS cache. Compose itself ignores {@code x-} keys, so the file stays valid for it.
 *
 * @param reload the command (exec form), interpolated
 * @param shown  the command as written, before interpolation: what plans and logs print (an interpolated value may
 *               be a secret)
 * @param file   the file it is written in, as messages name it
 * @param line   its line
 */
public record ProxyExtension(List<String> reload, String shown, String file, int line) {
    /** The key, exactly as users write it: that spelling is the contract. */
    public static final String KEY = "x-sancho-proxy";

    private static final String EXAMPLE = "e.g. x-sancho-proxy: {reload: [nginx, -s, reload]}";

    public ProxyExtension {
        reload = List.copyOf(reload);
    }

    /** The extension of every service that has one, by service name, in file order. */
    static Map<String, ProxyExtension> parse(YamlNode.Mapping services, Source src) {
        Map<String, ProxyExtension> out = new LinkedHashMap<>();
        for (YamlNode.Entry e : services.entries()) {
            if (e.key().startsWith("x-") || !(e.value() instanceof YamlNode.Mapping svc)) {
                continue;
            }
            for (YamlNode.Entry key : svc.entries()) {
                if (key.key().equals(KEY)) {
                    Source s = src.as(src.fileOf(key));
                    out.put(e.key(), one(key, s, "services." + e.key() + "." + KEY));
                }
            }
        }
        return out;
    }

    private static ProxyExtension one(YamlNode.Entry entry, Source src, String path) {
        if (!(entry.value() instanceof YamlNode.Mapping m)) {
            throw src.error(entry, path, "expected a mapping with reload:, found "
                    + entry.value().kind() + " (" + EXAMPLE + ")");
        }
        for (YamlNode.Entry k : m.entries()) {
            if (!k.key().equals("reload")) {
                throw src.error(k, path + "." + k.key(), "unknown key: x-sancho-proxy takes reload: only (" + EXAMPLE
                        + ")");
            }
        }
        YamlNode node = m.get("reload");
        if (Source.isNull(node)) {
            throw src.error(node == null ? m.line() : node.line(), path + ".reload", "needs the command that"
                    + " reloads the proxy (" + EXAMPLE + ")");
        }
        String p = path + ".reload";
        List<String> command;
        String shown;
        if (node instanceof YamlNode.Scalar) {
            try {
                command = ShellWords.split(src.text(node, p));
            } catch (IllegalArgumentException e) {
                throw src.error(node, p, e.getMessage());
            }
            shown = src.raw(node, p).trim();
        } else if (node instanceof YamlNode.Sequence seq) {
            command = src.strings(node, p);
            List<String> raw = new ArrayList<>();
            for (int i = 0; i < seq.items().size(); i++) {
                String item = src.raw(seq.items().get(i), p + "[" + i + "]");
                raw.add(item == null ? "" : item.isEmpty() || item.contains(" ") ? "'" + item + "'" : item);
            }
            shown = String.join(" ", raw);
        } else {
            throw src.error(node, p, "expected a command (a list of words, or a string), found " + node.kind() + " ("
                    + EXAMPLE + ")");
        }
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw src.error(node, p, "the command is empty (" + EXAMPLE + ")");
        }
        return new ProxyExtension(command, shown, src.fileOf(entry), entry.line());
    }
}
