package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotEnvTest {

    @Test
    void readsTheFormsComposeReads() {
        String text = "\uFEFF# comment\r\n"
                + "\r\n"
                + "PLAIN=value\r\n"
                + "export EXPORTED=yes\n"
                + "SPACED = padded value  \n"
                + "COMMENTED=abc # not part of it\n"
                + "HASH=abc#def\n"
                + "SINGLE='literal ${PLAIN} \\n'\n"
                + "DOUBLE=\"line1\\nline2 \\\"quoted\\\" ${PLAIN} \\$PLAIN\"\n"
                + "MULTI=\"first\n"
                + "second\"\n"
                + "EMPTY=\n"
                + "REF=${PLAIN}-${FROM_SHELL}-${MISSING:-dflt}\n"
                + "FROM_SHELL\n"
                + "NOT_IN_SHELL\n"
                + "URL=postgres://u:p@db:5432/x?ssl=true\n";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("PLAIN", "value");
        expected.put("EXPORTED", "yes");
        expected.put("SPACED", "padded value");
        expected.put("COMMENTED", "abc");
        expected.put("HASH", "abc#def");
        expected.put("SINGLE", "literal ${PLAIN} \\n");
        expected.put("DOUBLE", "line1\nline2 \"quoted\" value $PLAIN");
        expected.put("MULTI", "first\nsecond");
        expected.put("EMPTY", "");
        expected.put("REF", "value-shell-dflt");
        expected.put("FROM_SHELL", "shell");
        expected.put("URL", "postgres://u:p@db:5432/x?ssl=true");
        assertEquals(expected, DotEnv.parse(text, ".env", Map.of("FROM_SHELL", "shell")::get));
    }
}
