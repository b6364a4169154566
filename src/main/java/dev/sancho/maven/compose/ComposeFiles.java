package dev.sancho.maven.compose;

import dev.sancho.maven.common.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which files make the stack when the user names none, as {@code docker compose} finds them in its working
 * directory: the first of {@link #NAMES}, plus the first of {@link #OVERRIDE_NAMES} next to it, merged over it.
 * A file the user names (or a list of files) is taken as given, without an override file, like
 * {@code docker compose -f}.
 */
public final class ComposeFiles {
    private ComposeFiles() {}

    /** Compose's file names, in its order of preference. */
    public static final List<String> NAMES =
            List.of("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml");

    /** Compose's override file names, in its order of preference. */
    public static final List<String> OVERRIDE_NAMES = List.of("compose.override.yml", "compose.override.yaml",
            "docker-compose.override.yml", "docker-compose.override.yaml");

    /**
     * The compose file of {@code dir} and its override file, when there is one. Several candidates are a warning
     * naming the one used, like Compose.
     *
     * @return the main file first, then the override file; empty when {@code dir} has no compose file
     */
    public static List<Path> discover(Path dir, Log log) {
        List<Path> files = new ArrayList<>();
        Path main = first(dir, NAMES, "compose files", log);
        if (main == null) {
            return files;
        }
        files.add(main);
        Path override = first(dir, OVERRIDE_NAMES, "override files", log);
        if (override != null) {
            files.add(override);
        }
        return files;
    }

    private static Path first(Path dir, List<String> names, String what, Log log) {
        List<Path> found = new ArrayList<>();
        for (String name : names) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                found.add(candidate);
            }
        }
        if (found.size() > 1) {
            log.warn("found several " + what + " in " + dir + ": " + String.join(", ",
                    found.stream().map(p -> p.getFileName().toString()).toList()) + "; using "
                    + found.get(0).getFileName() + " (like Compose)");
        }
        return found.isEmpty() ? null : found.get(0);
    }
}
