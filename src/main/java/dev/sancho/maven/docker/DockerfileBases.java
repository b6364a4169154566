package dev.sancho.maven.docker;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The registries a Dockerfile's {@code FROM} lines pull from, so a build gets their credentials (X-Registry-Config)
 * and no others. Later stages built on an earlier stage, {@code scratch}, and names built from {@code ARG}s are
 * left out: only the engine knows what those resolve to.
 */
final class DockerfileBases {
    private DockerfileBases() {}

    static Set<String> registries(String dockerfile) {
        Set<String> stages = new LinkedHashSet<>();
        Set<String> registries = new LinkedHashSet<>();
        for (String raw : dockerfile.lines().toList()) {
            String line = raw.strip();
            if (!line.regionMatches(true, 0, "FROM ", 0, 5)) {
                continue;
            }
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
}
