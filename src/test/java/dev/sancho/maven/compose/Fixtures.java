package dev.sancho.maven.compose;

import dev.sancho.maven.common.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loads the compose files under src/test/resources/compose the way the Mojos do. */
public final class Fixtures {
    private Fixtures() {}

    public static final Path ROOT = Path.of("src/test/resources/compose").toAbsolutePath();

    public static final Map<String, String> POM = Map.of(
            "project.groupId", "dev.example",
            "project.artifactId", "inventario",
            "project.version", "1.4.0",
            "project.name", "Inventario",
            "maven.compiler.release", "17");

    public static final String DEPLOY_ID = "20240501120000";

    /** A bind mount in the short syntax ({@code ./dir:/x[:ro]}), as Compose reads it: a missing host path is created. */
    public static Service.Mount shortBind(String source, String target, boolean readOnly) {
        return new Service.Mount("bind", source, target, readOnly, new Service.MountOptions(null, null, true, false,
                null, null, null));
    }

    public static ComposeFile load(String fixture) {
        return load(fixture, Map.of());
    }

    public static ComposeFile load(String fixture, Map<String, String> processEnv) {
        return ComposeLoader.load(ROOT.resolve(fixture).resolve("docker-compose.yml"), processEnv, Map.of(),
                ComposeLoader.builtins(DEPLOY_ID, "sancho"), POM, Log.NONE);
    }

    /** Writes {@code yaml} as docker-compose.yml in {@code dir} and loads it. */
    public static ComposeFile inline(Path dir, String yaml, Map<String, String> processEnv) {
        return ComposeLoader.load(write(dir, "docker-compose.yml", yaml), processEnv, Map.of(),
                ComposeLoader.builtins(DEPLOY_ID, "sancho"), POM, Log.NONE);
    }

    public static ComposeFile inline(Path dir, String yaml) {
        return inline(dir, yaml, Map.of());
    }

    public static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Log that remembers what the user sees: every line (warnings prefixed WARN, debug DEBUG) and the warnings. */
    public static final class RecordingLog implements Log {
        public final List<String> lines = new ArrayList<>();
        public final List<String> warnings = new ArrayList<>();

        @Override
        public void info(String message) {
            lines.add(message);
        }

        @Override
        public void warn(String message) {
            warnings.add(message);
            lines.add("WARN " + message);
        }

        @Override
        public void debug(String message) {
            lines.add("DEBUG " + message);
        }

        public String all() {
            return String.join("\n", lines);
        }
    }
}
