package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.compose.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values past every limit are one {@code file:line} error each, as far as a dry run goes (load, stack, container
 * specs, image builds): before, each of these escaped as a NumberFormatException, a StackOverflowError, an
 * ArrayIndexOutOfBoundsException, or silently became another value (a negative duration, a shm_size of 0).
 */
class BadInputTest {
    @TempDir
    Path dir;

    private String error(String yaml) {
        Path f = Fixtures.write(dir, "docker-compose.yml", yaml);
        return assertThrows(ComposeException.class, () -> {
            var c = ComposeLoader.load(List.of(f), null, Map.of(), Map.of(), ComposeLoader.builtins("1", "p"),
                    Map.of(), Log.NONE);
            Stack s = StackResolver.resolve(c, new StackConfig("p", "p", "1", Set.of(), null));
            s.services().forEach(x -> ContainerSpecs.forService(s, x));
            ImageBuilds.plan(s, Map.of());
        }).getMessage();
    }

    private static final String HEAD = "services:\n  a:\n    image: x\n";

    @Test
    void portsPastTheIntegerRange() {
        assertEquals("docker-compose.yml:4: services.a.ports[0]: host port \"99999999999\" is out of range: ports are"
                + " 1-65535, ranges low-high", error(HEAD + "    ports: [\"99999999999:80\"]\n"));
        assertEquals("docker-compose.yml:4: services.a.ports[0]: container port \"99999999999\" is out of range:"
                + " ports are 1-65535, ranges low-high", error(HEAD + "    ports: [{target: 99999999999}]\n"));
    }

    @Test
    void buildShmSizeTooLargeOrWrappingToZero() {
        assertEquals("docker-compose.yml:4: services.a.build.shm_size: \"999999999999999999999m\" is too large a size",
                error(HEAD + "    build: {context: ., shm_size: 999999999999999999999m}\n"));
        // 17179869184g << 30 wrapped to 0 before: no limit at all instead of the one written
        assertEquals("docker-compose.yml:4: services.a.build.shm_size: \"17179869184g\" is too large a size",
                error(HEAD + "    build: {context: ., shm_size: 17179869184g}\n"));
    }

    @Test
    void resetUnderAMergeKeyWithAnEmptyOrHugeNumericKey() {
        String empty = "x-b: &b\n  ports:\n    \"\": !reset x\nservices:\n  a:\n    <<: *b\n    image: x\n"
                + "    ports: [\"1:1\"]\n";
        String huge = empty.replace("\"\"", "99999999999999");
        for (String yaml : List.of(empty, huge)) {
            Path f = Fixtures.write(dir, "docker-compose.yml", yaml);
            var c = ComposeLoader.load(List.of(f), null, Map.of(), Map.of(), ComposeLoader.builtins("1", "p"),
                    Map.of(), Log.NONE);
            assertEquals(1, c.services().get("a").ports().size(), "no list item has that index: nothing is reset");
        }
        assertEquals("docker-compose.yml:1: !reset applies to a key of the file, not to the whole file",
                error("!reset\nservices:\n  a:\n    image: x\n"));
    }

    @Test
    void twoThousandNestedDefaults() {
        String nest = "${A:-".repeat(2000) + "x" + "}".repeat(2000);
        assertEquals("docker-compose.yml:4: services.a.environment[0]: interpolation nested deeper than 64 levels"
                + " (${A:-${B:-...}})", error(HEAD + "    environment: [\"A=" + nest + "\"]\n"));
    }

    @Test
    void durationsPastGosLimit() {
        assertEquals("docker-compose.yml:4: services.a.stop_grace_period: \"2562048h\" is longer than a duration can"
                + " be (about 292 years)", error(HEAD + "    stop_grace_period: 2562048h\n"));
        assertEquals("docker-compose.yml:4: services.a.healthcheck.interval: \"99999999999999999999ns\" is longer than"
                + " a duration can be (about 292 years)", error(HEAD + "    healthcheck: {interval: 99999999999999999999ns}\n"));
    }

    @Test
    void cpusPastWhatTheEngineTakes() {
        assertEquals("docker-compose.yml:4: services.a.cpus: 99999999999999999999 CPUs is more than the engine can be"
                + " asked for", error(HEAD + "    cpus: 99999999999999999999\n"));
    }

    @Test
    void nestingAndControlCharactersNameTheirLine() {
        assertEquals("docker-compose.yml:4: refused: mappings and lists nested deeper than 64 levels",
                error(HEAD + "    labels: " + "[".repeat(70) + "]".repeat(70) + "\n"));
        assertEquals("docker-compose.yml:4: refused: mappings and lists nested deeper than 1000 levels",
                error(HEAD + "    labels: " + "[".repeat(100_000) + "\n"));
        assertEquals("docker-compose.yml:4: YAML syntax error: the character U+0000 is not allowed in a YAML file",
                error(HEAD + "    user: a\u0000b\n"));
    }

    @Test
    void aMissingKeyOfAnItemIsReportedAtTheItem() {
        assertEquals("docker-compose.yml:4: services.a.env_file[0].path: must not be empty",
                error(HEAD + "    env_file: [{required: false}]\n"));
    }

    @Test
    void anInvalidVolumeKeyIsReportedAtItsLine() {
        assertEquals("docker-compose.yml:5: volumes.pg:data: \"pg:data\" cannot be part of a Docker name: use letters,"
                + " digits, '_', '.' and '-', starting with a letter or digit", error(HEAD + "volumes:\n  pg:data:\n"));
    }
}
