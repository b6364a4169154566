package dev.sancho.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The folders tell the architecture, and this test keeps them honest: packages depend downwards only,
 * {@code mojo -> target -> swarm -> core -> plan -> {compose, docker} -> common}, so there is no cycle and no upward
 * import. {@code core} holds the {@code Target} port and its engine implementation, {@code swarm} the swarm one, and
 * {@code target} the one place that chooses between them; a mojo never names a target-specific class. Only
 * {@code docker} sees docker-java, only {@code mojo} sees Maven, and {@code plan} stays pure (no engine calls).
 * Every reference counts, imports and fully qualified names in code alike; comments do not.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/sancho/maven");

    /** What each package may use besides itself and the JDK. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "common", Set.of(),
            "compose", Set.of("common"),
            "docker", Set.of("common"),
            "plan", Set.of("compose", "docker", "common"),
            "core", Set.of("plan", "compose", "docker", "common"),
            "swarm", Set.of("core", "plan", "compose", "docker", "common"),
            "target", Set.of("swarm", "core", "plan", "compose", "docker", "common"),
            "mojo", Set.of("target", "core", "plan", "compose", "docker", "common"));

    private static final Pattern OWN = Pattern.compile("\\bdev\\.sancho\\.maven\\.([a-z]+)\\.([A-Z]\\w*)");

    record Source(String pkg, Path file, String code) {}

    @Test
    void everyPackageDependsOnlyOnThePackagesBelowIt() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            Matcher m = OWN.matcher(s.code());
            Set<String> used = new TreeSet<>();
            while (m.find()) {
                if (!m.group(1).equals(s.pkg())) {
                    used.add(m.group(1) + "." + m.group(2));
                }
            }
            for (String u : used) {
                String target = u.substring(0, u.indexOf('.'));
                if (!ALLOWED.get(s.pkg()).contains(target)) {
                    violations.add(s.file() + " uses " + u + ": " + s.pkg() + " may only use " + ALLOWED.get(s.pkg()));
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /**
     * The goals go through the {@code Target} port: no class of one target (the swarm package's, or the engine
     * implementation's) by name, fully qualified or imported, and no test of the target's value.
     */
    @Test
    void aMojoNamesNoTargetSpecificClass() {
        Set<String> specific = new TreeSet<>(Set.of("EngineTarget"));
        for (Source s : sources()) {
            if (s.pkg().equals("swarm")) {
                specific.add(s.file().getFileName().toString().replace(".java", ""));
            }
        }
        assertTrue(specific.contains("SwarmTarget"), "the swarm target's classes are found: " + specific);
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            if (!s.pkg().equals("mojo")) {
                continue;
            }
            for (String name : specific) {
                if (Pattern.compile("\\b" + name + "\\b").matcher(s.code()).find()) {
                    violations.add(s.file() + " names " + name + ": a goal calls the Target port (core.Target)");
                }
            }
            if (Pattern.compile("\"swarm\"|\\bswarm\\(\\)").matcher(s.code()).find()) {
                violations.add(s.file() + " tests for the swarm itself: ask the Target port");
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void onlyDockerSeesDockerJavaAndOnlyMojoSeesMaven() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            if (!s.pkg().equals("docker") && s.code().contains("com.github.dockerjava")) {
                violations.add(s.file() + " uses docker-java: only the docker package talks to the library");
            }
            if (!s.pkg().equals("mojo") && Pattern.compile("\\borg\\.apache\\.maven\\.").matcher(s.code()).find()) {
                violations.add(s.file() + " uses Maven's API: the core below mojo is framework-free");
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void planIsPureLogicAndNeverCallsTheEngine() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            if (s.pkg().equals("plan") && Pattern.compile("\\bDockerEngine\\b").matcher(s.code()).find()) {
                violations.add(s.file() + " uses DockerEngine: plan computes from observed state, core reads it");
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void thereAreNoOtherPackages() {
        Set<String> packages = new TreeSet<>();
        sources().forEach(s -> packages.add(s.pkg()));
        assertEquals(new TreeSet<>(ALLOWED.keySet()), packages);
    }

    @Test
    void theCheckSeesReferencesInCodeButNotInComments() {
        String code = strip("""
                package dev.sancho.maven.compose;
                /** see {@link dev.sancho.maven.plan.Safety} */
                import dev.sancho.maven.core.Log; // dev.sancho.maven.mojo.X
                class A { Object o = new dev.sancho.maven.docker.ContainerInfo(); String s = "/* x */"; char q = '"'; }
                // dev.sancho.maven.plan.Stack after a quote in a char literal is still a comment
                """);
        Matcher m = OWN.matcher(code);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(List.of("core", "docker"), found);
    }

    private static List<Source> sources() {
        assertTrue(Files.isDirectory(MAIN), "run from the project directory: " + MAIN.toAbsolutePath());
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(f -> {
                String pkg = MAIN.relativize(f).getName(0).toString();
                try {
                    return new Source(pkg, f, strip(Files.readString(f)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The code without its comments (string literals are kept, and a comment marker inside one is not a comment). */
    static String strip(String java) {
        StringBuilder out = new StringBuilder(java.length());
        int i = 0;
        while (i < java.length()) {
            char c = java.charAt(i);
            if (c == '\'') {
                int end = i + 1;
                while (end < java.length() && java.charAt(end) != '\'') {
                    end += java.charAt(end) == '\\' ? 2 : 1;
                }
                out.append(java, i, Math.min(end + 1, java.length()));
                i = end + 1;
            } else if (c == '"') {
                int end = i + 1;
                while (end < java.length() && java.charAt(end) != '"') {
                    end += java.charAt(end) == '\\' ? 2 : 1;
                }
                out.append(java, i, Math.min(end + 1, java.length()));
                i = end + 1;
            } else if (java.startsWith("//", i)) {
                int end = java.indexOf('\n', i);
                i = end < 0 ? java.length() : end;
            } else if (java.startsWith("/*", i)) {
                int end = java.indexOf("*/", i + 2);
                i = end < 0 ? java.length() : end + 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
