package dev.sancho.maven.plan;

import dev.sancho.maven.compose.Service;
import dev.sancho.maven.plan.CertificateStore.Format;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an infrastructure proxy keeps its ACME certificates, from the compose file alone (pure): the path INSIDE the
 * container, which the engine then reads through the container itself (so it works over a remote engine too).
 * <ul>
 *   <li><b>Traefik</b>: every {@code certificatesresolvers.<name>.acme.storage} its command, entrypoint or labels
 *       name, or a {@code TRAEFIK_CERTIFICATESRESOLVERS_<NAME>_ACME_STORAGE} in its environment: one
 *       {@code acme.json} each. (A store named only in a static configuration file is not seen: name it on the
 *       command line, or with the label below.)</li>
 *   <li><b>Caddy</b> (an image or command named caddy): the {@code storage file_system} root of its Caddyfile
 *       (read from the container: {@link #caddyStorage}), else {@code $XDG_DATA_HOME/caddy} when the service sets
 *       it, else {@code /data/caddy} (the official image's {@code XDG_DATA_HOME=/data}) or, when that does not
 *       exist, {@code /root/.local/share/caddy} (Caddy's default without it).</li>
 *   <li>Any proxy: the service label {@code sancho.certificates}, a path in the container: a file ending in
 *       {@code .json} is read as Traefik's {@code acme.json}, anything else as Caddy's storage.</li>
 * </ul>
 */
public final class ProxyStores {
    private ProxyStores() {}

    /** The service label that names a certificate store explicitly (path in the container). */
    public static final String LABEL = "sancho.certificates";

    /**
     * One certificate store of a service.
     *
     * @param paths       where it may be, in order: the first that exists is the store (more than one only for
     *                    Caddy's defaults)
     * @param caddyConfig for Caddy without an explicit store: the Caddyfile to read for a {@code storage} option
     *                    (null otherwise)
     * @param declaredBy  where it was found, for messages
     */
    public record Store(String service, Format format, List<String> paths, String caddyConfig, String declaredBy) {
        public Store {
            paths = List.copyOf(paths);
        }

        /** This store with the Caddyfile's storage root, when it names one. */
        public Store withCaddyfile(String caddyfile) {
            return caddyConfig == null ? this : caddyStorage(caddyfile)
                    .map(root -> new Store(service, format, List.of(root), null, "storage option of " + caddyConfig))
                    .orElse(this);
        }
    }

    private static final Pattern ACME_ARG = Pattern.compile(
            "certificatesresolvers\\.[^.=]+\\.acme\\.storage[=:]\\s*(\\S+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ACME_ENV = Pattern.compile(
            "TRAEFIK_CERTIFICATESRESOLVERS_[A-Z0-9_]+_ACME_STORAGE", Pattern.CASE_INSENSITIVE);

    /** The certificate stores of the stack's infrastructure services, in service order. */
    public static List<Store> of(Stack stack) {
        List<Store> out = new ArrayList<>();
        for (StackService s : stack.infrastructure()) {
            out.addAll(of(s.name(), s.service()));
        }
        return out;
    }

    static List<Store> of(String name, Service svc) {
        String explicit = svc.labels().get(LABEL);
        if (explicit != null && !explicit.isBlank()) {
            String path = unquote(explicit.trim());
            Format f = path.toLowerCase(Locale.ROOT).endsWith(".json") ? Format.TRAEFIK : Format.CADDY;
            return List.of(new Store(name, f, List.of(path), null, "label " + LABEL));
        }
        List<Store> out = new ArrayList<>();
        traefikStores(svc).forEach((path, where) -> out.add(new Store(name, Format.TRAEFIK, List.of(path), null, where)));
        if (out.isEmpty() && isCaddy(svc)) {
            String xdg = svc.environment().get("XDG_DATA_HOME");
            List<String> paths = xdg != null && !xdg.isBlank()
                    ? List.of(xdg.trim().replaceAll("/+$", "") + "/caddy")
                    : List.of("/data/caddy", "/root/.local/share/caddy");
            out.add(new Store(name, Format.CADDY, paths, caddyConfig(svc), "caddy default storage"));
        }
        return out;
    }

    /**
     * Traefik ACME stores a service names (container path -> where it was named): its command and entrypoint
     * arguments, its labels, its environment.
     */
    public static Map<String, String> traefikStores(Service svc) {
        Map<String, String> named = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        if (svc.entrypoint() != null) {
            args.addAll(svc.entrypoint());
        }
        if (svc.command() != null) {
            args.addAll(svc.command());
        }
        for (String a : args) {
            Matcher m = ACME_ARG.matcher(a);
            if (m.find()) {
                named.putIfAbsent(unquote(m.group(1)), "command");
            }
        }
        svc.labels().forEach((k, v) -> {
            if (v != null && ACME_ARG.matcher(k + "=" + v).find()) {
                named.putIfAbsent(unquote(v.trim()), "label " + k);
            }
        });
        svc.environment().forEach((k, v) -> {
            if (v != null && ACME_ENV.matcher(k).matches()) {
                named.putIfAbsent(unquote(v.trim()), "environment " + k);
            }
        });
        return named;
    }

    /** An image whose name (last path component) starts with caddy, or a command or entrypoint that runs caddy. */
    static boolean isCaddy(Service svc) {
        if (svc.image() != null) {
            String repo = svc.image().replaceFirst("@.*$", "");
            repo = repo.substring(repo.lastIndexOf('/') + 1).replaceFirst(":.*$", "");
            if (repo.toLowerCase(Locale.ROOT).startsWith("caddy")) {
                return true;
            }
        }
        List<String> first = svc.entrypoint() != null && !svc.entrypoint().isEmpty() ? svc.entrypoint() : svc.command();
        return first != null && !first.isEmpty() && first.get(0).replaceFirst("^.*/", "").equals("caddy");
    }

    /** The config file Caddy runs with: {@code --config X} in its command, else the official image's Caddyfile. */
    static String caddyConfig(Service svc) {
        List<String> args = new ArrayList<>();
        if (svc.entrypoint() != null) {
            args.addAll(svc.entrypoint());
        }
        if (svc.command() != null) {
            args.addAll(svc.command());
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--config") || a.equals("-config")) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (a.startsWith("--config=")) {
                return a.substring("--config=".length());
            }
        }
        return "/etc/caddy/Caddyfile";
    }

    private static final Pattern STORAGE_INLINE = Pattern.compile("^\\s*storage\\s+file_system\\s+(\\S+)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern STORAGE_BLOCK = Pattern.compile(
            "^\\s*storage\\s+file_system\\s*\\{[^}]*?^\\s*root\\s+(\\S+)", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern JSON_STORAGE = Pattern.compile(
            "\"storage\"\\s*:\\s*\\{[^}]*\"module\"\\s*:\\s*\"file_system\"[^}]*}", Pattern.DOTALL);
    private static final Pattern JSON_ROOT = Pattern.compile("\"root\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * The {@code storage file_system} root a Caddyfile's global options block names (also the block form with
     * {@code root}), or a JSON config's {@code storage} of module {@code file_system}. Comments are ignored.
     */
    public static Optional<String> caddyStorage(String config) {
        if (config == null) {
            return Optional.empty();
        }
        String text = config.replaceAll("(?m)^\\s*#.*$", "").replaceAll("(?m)\\s#.*$", "");
        if (text.stripLeading().startsWith("{") && text.contains("\"apps\"") || text.contains("\"storage\"")) {
            Matcher s = JSON_STORAGE.matcher(text);
            if (s.find()) {
                Matcher r = JSON_ROOT.matcher(s.group());
                return r.find() ? Optional.of(r.group(1)) : Optional.empty();
            }
            return Optional.empty();
        }
        String global = globalOptions(text);
        if (global == null) {
            return Optional.empty();
        }
        Matcher block = STORAGE_BLOCK.matcher(global);
        if (block.find()) {
            return Optional.of(unquote(block.group(1)));
        }
        Matcher inline = STORAGE_INLINE.matcher(global);
        return inline.find() ? Optional.of(unquote(inline.group(1))) : Optional.empty();
    }

    /** A Caddyfile whose global options turn automatic HTTPS off: that Caddy obtains no certificate. */
    public static boolean caddyAutoHttpsOff(String config) {
        String global = config == null ? null : globalOptions(config.replaceAll("(?m)\\s*#.*$", ""));
        return global != null && Pattern.compile("^\\s*auto_https\\s+off\\s*$", Pattern.MULTILINE).matcher(global).find();
    }

    /** The global options block: a Caddyfile that starts with {@code {}, up to its matching brace; else null. */
    private static String globalOptions(String caddyfile) {
        String t = caddyfile.stripLeading();
        if (!t.startsWith("{")) {
            return null;
        }
        int depth = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return t.substring(1, i) + "\n";
            }
        }
        return null;
    }

    private static String unquote(String v) {
        return v.replaceAll("^[\"']|[\"']$", "");
    }
}
