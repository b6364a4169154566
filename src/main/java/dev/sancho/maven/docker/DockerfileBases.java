package dev.sancho.maven.docker;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The registries a Dockerfile's {@code FROM} lines pull from, so a build gets their credentials (X-Registry-Config)
 * and no others. Later stages built on an earlier stage and {@code scratch} are left out; {@code ${NAME}} and
 * {@code $NAME} in a FROM take the build arg's value, else the default of an {@code ARG} before the first FROM;
 * a name still unresolved is left out.
 */
final class DockerfileBases {
    private DockerfileBases() {}

    static Set<String> registries(String dockerfile) {
        return registries(dockerfile, java.util.Map.of());
    }

    static Set<String> registries(String dockerfile, java.util.Map<String, String> buildArgs) {
        Set<String> stages = new LinkedHashSet<>();
        Set<String> registries = new LinkedHashSet<>();
        java.util.Map<String, String> args = new java.util.HashMap<>();
        boolean seenFrom = false;
        for (String raw : dockerfile.lines().toList()) {
            String line = raw.strip();
            if (!seenFrom && line.regionMatches(true, 0, "ARG ", 0, 4)) {
                String decl = line.substring(4).trim();
                int eq = decl.indexOf('=');
                String name = eq < 0 ? decl : decl.substring(0, eq);
                String value = buildArgs.containsKey(name) ? buildArgs.get(name)
                        : eq < 0 ? null : decl.substring(eq + 1).replaceAll("^\"|\"$", "");
                if (value != null) {
                    args.put(name, value);
                }
                continue;
            }
            if (!line.regionMatches(true, 0, "FROM ", 0, 5)) {
                continue;
            }
            seenFrom = true;
            line = substitute(line, args);
            String[] words = line.substring(5).trim().split("\\s+");
            String image = null;
            for (int i = 0; i < words.length; i++) {
                if (words[i].startsWith("--")) {
                    continue;
                }
                image = words[i];
                if (i + 2 < words.length && words[i + 1].equalsIgnoreCase("AS")) {
                    stages.add(words[i + 2].toLowerCase(Locale.ROOT));
                }
                break;
            }
            if (image == null || image.contains("$") || image.equalsIgnoreCase("scratch")
                    || stages.contains(image.toLowerCase(Locale.ROOT)) && !image.contains("/")) {
                continue;
            }
            registries.add(RegistryCredentials.registryOf(image));
        }
        return registries;
    }

    private static String substitute(String line, java.util.Map<String, String> args) {
        var m = java.util.regex.Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)").matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = args.get(name);
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
