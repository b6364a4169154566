package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.compose.Secrets;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sancho:config} prints a compose file that reads back to the same stack: every fixture is loaded, printed,
 * the print loaded again, and both models compared value by value. Where they may differ, and why: where a value was
 * written (file, line, the raw {@code container_name} template: the print has one file and gives every service
 * its name), the engine name of a volume or network (the print writes it as {@code name:}, resolving to the same
 * name), the implicit default network (the print declares it with its engine name), and a masked secret value
 * ({@code ******} in the print stands for any text).
 */
class ConfigRoundTripTest {
    private static final Path ROOT = Fixtures.ROOT;

    /** Location, not meaning; see the class comment. */
    private static final Set<String> LOCATION = Set.of("line", "keyLines", "containerName", "containerNameTemplate",
            "path", "warnings", "provenance", "notApplied");

    @TempDir
    Path dir;

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("docker-compose.yml")))
                    .map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** Variables some fixtures require (as their own tests give them). */
    private static final Map<String, String> ENV = Map.of("DB_PASSWORD", "from-the-environment",
            "KC_DB_PASSWORD", "kc-secret", "SMTP_PASSWORD", "smtp-secret", "REDIS_PASSWORD", "redis-secret");

    private static ComposeFile load(Path file, boolean withOverride) {
        List<Path> files = new ArrayList<>(List.of(file));
        Path override = file.resolveSibling("docker-compose.override.yml");
        if (withOverride && Files.isRegularFile(override)) {
            files.add(override);
        }
        return ComposeLoader.load(files, null, ENV, Map.of(), ComposeLoader.builtins(Fixtures.DEPLOY_ID, "sancho"),
                Fixtures.POM, Log.NONE);
    }

    private static Stack resolve(ComposeFile compose) {
        return StackResolver.resolve(compose, new StackConfig("sancho", "sancho", Fixtures.DEPLOY_ID, Set.of(), null));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void thePrintReadsBackToTheSameStack(String fixture) throws IOException {
        Path original = ROOT.resolve(fixture).resolve("docker-compose.yml");
        Stack first = resolve(load(original, true));
        String printed = StackYaml.render(first, List.of());
        Path copy = Fixtures.write(dir, "docker-compose.yml", printed);
        if (Files.isRegularFile(original.resolveSibling(".env"))) { // what environment: sources and bare keys read
            Files.copy(original.resolveSibling(".env"), dir.resolve(".env"));
        }
        Stack second = resolve(load(copy, false));

        assertEquals(names(first), names(second), printed);
        assertEquals(first.volumeNames(), second.volumeNames());
        assertEquals(first.networkNames(), second.networkNames());
        List<String> differences = new ArrayList<>();
        for (StackService s : first.services()) {
            compare("services." + s.name(), s.service(), second.service(s.name()).orElseThrow().service(),
                    differences);
        }
        first.compose().volumes().forEach((k, v) -> compare("volumes." + k, without(v, "name"),
                without(second.compose().volumes().get(k), "name"), differences));
        first.compose().networks().forEach((k, v) -> compare("networks." + k, without(v, "name"),
                without(second.compose().networks().get(k), "name"), differences));
        compare("secrets", first.compose().secrets(), second.compose().secrets(), differences);
        compare("configs", first.compose().configs(), second.compose().configs(), differences);
        assertEquals(List.of(), differences, printed);
        assertEquals(List.of(), second.compose().notApplied(), "the print uses only keys sancho applies");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyDollarOfAValueIsWrittenDoubled(String fixture) {
        Stack stack = resolve(load(ROOT.resolve(fixture).resolve("docker-compose.yml"), true));
        String printed = StackYaml.render(stack, List.of());
        // a lone $ would be interpolated by whoever reads the print; only ${DEPLOY_ID} is meant as a reference
        String withoutReferences = printed.replace("$$", "").replace("${DEPLOY_ID}", "");
        assertFalse(withoutReferences.contains("$"), printed);
    }

    @org.junit.jupiter.api.Test
    void authentiksHealthcheckKeepsItsContainerVariables() {
        Stack stack = resolve(load(ROOT.resolve("authentik-shape/docker-compose.yml"), true));
        String printed = StackYaml.render(stack, List.of());
        assertTrue(printed.contains("pg_isready -d $${POSTGRES_DB} -U $${POSTGRES_USER}"), printed);
        assertTrue(printed.contains("\nsecrets:") || !printed.contains("secrets:"), printed);
    }

    @org.junit.jupiter.api.Test
    void zulipsTopLevelSecretsAndConfigsArePrintedWithoutTheirValues() {
        Stack stack = resolve(load(ROOT.resolve("zulip-shape/docker-compose.yml"), true));
        String printed = StackYaml.render(stack, List.of());
        assertTrue(printed.contains("\nsecrets:\n  zulip__postgres_password:\n    file: "
                + ROOT.resolve("zulip-shape/secrets/postgres_password.txt")), printed);
        assertTrue(printed.contains("  zulip__rabbitmq_password:\n    environment: ZULIP_RABBITMQ_PASSWORD\n"), printed);
        assertTrue(printed.contains("\nconfigs:\n  uwsgi:\n    content: |"), printed);
        assertFalse(printed.contains("rabbit-Z9q"), "an environment: source is printed by its variable");
        assertFalse(printed.contains("pg-Z9q"), "a file: source by its path");
    }

    private static List<String> names(Stack s) {
        return s.services().stream().map(x -> x.name() + "=" + x.role() + ":" + x.containerName() + "x" + x.replicas())
                .toList();
    }

    private static Object without(Object record, String component) {
        return record == null ? null : new Without(record, component);
    }

    /** A record compared without one of its components. */
    private record Without(Object record, String component) {}

    /** Value by value; {@link #LOCATION} components skipped; a masked print stands for any original text. */
    private static void compare(String path, Object a, Object b, List<String> out) {
        if (a instanceof Without wa && b instanceof Without wb) {
            compareRecord(path, wa.record(), wb.record(), Set.of(wa.component()), out);
            return;
        }
        if (a == null || b == null) {
            if (a != b) {
                out.add(path + ": " + a + " != " + b);
            }
            return;
        }
        if (a.getClass().isRecord() && a.getClass() == b.getClass()) {
            compareRecord(path, a, b, Set.of(), out);
        } else if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (!new ArrayList<>(ma.keySet()).equals(new ArrayList<>(mb.keySet()))) {
                out.add(path + ": keys " + ma.keySet() + " != " + mb.keySet());
                return;
            }
            ma.forEach((k, v) -> compare(path + "." + k, v, mb.get(k), out));
        } else if (a instanceof Collection<?> ca && b instanceof Collection<?> cb) {
            if (ca.size() != cb.size()) {
                out.add(path + ": " + ca + " != " + cb);
                return;
            }
            List<?> la = new ArrayList<>(ca);
            List<?> lb = new ArrayList<>(cb);
            for (int i = 0; i < la.size(); i++) {
                compare(path + "[" + i + "]", la.get(i), lb.get(i), out);
            }
        } else if (a instanceof String sa && b instanceof String sb && sb.contains(Secrets.MASK)) {
            String regex = String.join(".*", java.util.Arrays.stream(sb.split(Pattern.quote(Secrets.MASK), -1))
                    .map(Pattern::quote).toList());
            if (!sa.matches("(?s)" + regex)) {
                out.add(path + ": " + sa.length() + " characters do not match the masked " + sb);
            }
        } else if (!a.equals(b)) {
            out.add(path + ": " + a + " != " + b);
        }
    }

    private static void compareRecord(String path, Object a, Object b, Set<String> skip, List<String> out) {
        for (RecordComponent c : a.getClass().getRecordComponents()) {
            if (LOCATION.contains(c.getName()) || skip.contains(c.getName())) {
                continue;
            }
            try {
                compare(path + "." + c.getName(), c.getAccessor().invoke(a), c.getAccessor().invoke(b), out);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
