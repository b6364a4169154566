package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code .env} reader against compose-go's {@code dotenv} expectations: each test is one of its fixture files or
 * test tables ({@code dotenv/fixtures/*.env}, {@code godotenv_test.go}, {@code parser_test.go}), with fixture text of
 * our own in the same shape.
 */
class DotEnvTest {

    private static Map<String, String> parse(String text) {
        return DotEnv.parse(text, ".env", name -> null);
    }

    private static Map<String, String> parse(String text, Map<String, String> env) {
        return DotEnv.parse(text, ".env", env::get);
    }

    private static void same(String line, String key, String value) {
        Map<String, String> env = parse(line);
        assertTrue(env.containsKey(key), line + " gives no " + key + ": " + env);
        assertEquals(value, env.get(key), line);
    }

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

    /** plain.env: blanks around '=', empty values, an inline comment, and a key starting with a digit dropped. */
    @Test
    void plainLinesWithBlanksAndADigitKey() {
        Map<String, String> env = parse("""
                WEB_A=10
                WEB_B= 20
                WEB_C =30
                WEB_D = 40
                789 = XYZ
                WEB_E = \n\
                WEB_F=
                WEB_G = a phrase # said here
                """);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("WEB_A", "10");
        expected.put("WEB_B", "20");
        expected.put("WEB_C", "30");
        expected.put("WEB_D", "40");
        expected.put("WEB_E", "");
        expected.put("WEB_F", "");
        expected.put("WEB_G", "a phrase");
        assertEquals(expected, env, "a key starting with a digit is read and dropped, not an error");
    }

    /** quoted.env, including OPTION_K='Let\'s go!' and a single-quoted value over several lines. */
    @Test
    void quotedValues() {
        Map<String, String> env = parse("""
                Q_A='7'
                Q_B=''
                Q_C='\\n'
                Q_D="7"
                Q_E=""
                Q_F="\\n"
                Q_G = "say 'hi'" # trailing comment
                Q_H = 'line one
                line two
                line three'
                Q_I='It\\'s fine!'
                Q_J = "the end"
                """);
        assertEquals("7", env.get("Q_A"));
        assertEquals("", env.get("Q_B"));
        assertEquals("\\n", env.get("Q_C"), "single quotes keep \\n as two characters");
        assertEquals("7", env.get("Q_D"));
        assertEquals("", env.get("Q_E"));
        assertEquals("\n", env.get("Q_F"));
        assertEquals("say 'hi'", env.get("Q_G"));
        assertEquals("line one\nline two\nline three", env.get("Q_H"));
        assertEquals("It's fine!", env.get("Q_I"), "\\' inside single quotes is a quote");
        assertEquals("the end", env.get("Q_J"));
    }

    /** unquoted.env: quoted and unquoted values after "KEY = ", non-ASCII text. */
    @Test
    void unquotedPhrases() {
        Map<String, String> env = parse("""
                U_A = "a quoted phrase"
                U_B=one unquoted phrase
                U_C = another unquoted phrase
                U_D = with a special ñ char
                U_E = "quoted again"
                """);
        assertEquals("a quoted phrase", env.get("U_A"));
        assertEquals("one unquoted phrase", env.get("U_B"));
        assertEquals("another unquoted phrase", env.get("U_C"));
        assertEquals("with a special ñ char", env.get("U_D"));
        assertEquals("quoted again", env.get("U_E"));
    }

    /** exported.env, equals.env, special.env. */
    @Test
    void exportEqualsInValuesAndSpecialKeyCharacters() {
        same("export DB_URL='postgres://h:5432/app?sslmode=require'", "DB_URL", "postgres://h:5432/app?sslmode=require");
        same("export NUM=9", "NUM", "9");
        same("export LIT='\\n'", "LIT", "\\n");
        Map<String, String> special = parse("A.B.C=dots\nA_B_C=underscores\nA-B-C=dashes\nm[0]=bracket\n");
        assertEquals(Map.of("A.B.C", "dots", "A_B_C", "underscores", "A-B-C", "dashes", "m[0]", "bracket"), special);
    }

    /** godotenv_test.go TestParsing: the table of single lines. */
    @Test
    void singleLines() {
        same("K=v", "K", "v");
        same("K =v", "K", "v");
        same("K= v", "K", "v");
        same("K=\"v\"", "K", "v");
        same("K='v'", "K", "v");
        same("K=\"esc\\\"aped\"", "K", "esc\"aped");
        same("K=\"\\\"q\\\"\"", "K", "\"q\"");
        same("K=\"'s'\"", "K", "'s'");
        same("YAML_K: 7", "YAML_K", "7");
        same("YAML_K: X=y", "YAML_K", "X=y");
        same("K=7:Z", "K", "7:Z");
        same("export exportK=3", "exportK", "3");
        same("exportK=3", "exportK", "3");
        same("export_K =3", "export_K", "3");
        same("export.K= 3", "export.K", "3");
        same("export\tK=3", "K", "3");
        same("  export K=3", "K", "3");
        same("\texport K=3", "K", "3");
        same("export K=\"export B\"", "K", "export B");
        same("K=\"one\\ntwo\"", "K", "one\ntwo");
        same("K=x\\ty", "K", "x\\ty");
        same("K=\"x\\ty\"", "K", "x\ty");
        same("K=\"Y\\aY\\bY\\fY\\nY\\rY\\tY\\vY\\\\Y\\0101Y\"", "K", "Y\u0007Y\bY\fY\nY\rY\tY\u000BY\\YAY");
        same("K.L=dotted", "K.L", "dotted");
        same("K=val=", "K", "val=");
        same("K=val ", "K", "val");
        same("K=val # comment", "K", "val");
        same("K=val #comment", "K", "val");
        same("K=val #", "K", "val");
        same("K=42#no-comment", "K", "42#no-comment");
        same("K=\"a#b\"", "K", "a#b");
        same("K=\"a#b\"#", "K", "a#b");
        same("K=\"a#b\" # c", "K", "a#b");
        same("K='a#b' # c", "K", "a#b");
        same("K=\"a#b#c\" # c", "K", "a#b#c");
        same("K=\"x\\n\\ y\\az\"", "K", "x\n\\ y\u0007z");
        same("K=\"x\\\\\\n\\ y\"", "K", "x\\\n\\ y");
        same("K=\"x\\\\r\\ y\"", "K", "x\\r\\ y");
        same("K=\"x\\ny\\\\\"", "K", "x\ny\\");
        same(" K =v", "K", "v");
        same("   K=v", "K", "v");
        same("\tK=v", "K", "v");
        same("K=\"\\0102\"", "K", "B");
        same("K=\"\\x41\"", "K", "\\x41");
        same("K=\"\\u0041\"", "K", "\\u0041");
        same("K=\"\\U00010041\"", "K", "\\U00010041");
        same("K=\"two\nlines\"", "K", "two\nlines");
    }

    /** A line compose-go refuses: one file:line error that quotes no value. */
    @Test
    void refusedLines() {
        ComposeException bad = assertThrows(ComposeException.class, () -> parse("bad$key"));
        assertTrue(bad.getMessage().startsWith(".env:1: "), bad.getMessage());
        ComposeException space = assertThrows(ComposeException.class, () -> parse("""
                # comment
                A="
                  spread
                  over lines
                "
                A KEY WITH SPACES
                B=c"""));
        assertEquals(".env:6: expected KEY=VALUE, found the key \"A KEY WITH SPACES\", which contains a space",
                space.getMessage());
        for (String unterminated : new String[] {"K=\"", "K=\"hunter2", "K=\"hunter2\\\"", "K=\"hunter2'", "K='", "K='hunter2",
                "K='hunter2\\'", "K='hunter2\""}) {
            ComposeException e = assertThrows(ComposeException.class, () -> parse(unterminated), unterminated);
            assertTrue(e.getMessage().contains("never closed"), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), "the value is not quoted back: " + e.getMessage());
        }
    }

    /** substitutions.env, substitutions-default.env and their precedence tests. */
    @Test
    void substitutionsSeeTheEnvironmentBeforeEarlierLines() {
        String text = "S_A=1\nS_B=${S_A}\nS_C=$S_B\nS_D=${S_A}_${S_B}\nS_E=${S_UNDEFINED}\n";
        assertEquals(Map.of("S_A", "1", "S_B", "1", "S_C", "1", "S_D", "1_1", "S_E", ""), parse(text));
        assertEquals(Map.of("S_A", "1", "S_B", "5", "S_C", "5", "S_D", "5_5", "S_E", ""),
                parse(text, Map.of("S_A", "5")), "the environment wins over an earlier line, as in compose-go");
        String defaults = "S_A=${S_A:-1}\nS_B=${S_A}\nS_C=$S_B\nS_D=${S_A}_${S_B}\nS_E=${S_UNDEFINED}\n";
        assertEquals(Map.of("S_A", "5", "S_B", "5", "S_C", "5", "S_D", "5_5", "S_E", ""),
                parse(defaults, Map.of("S_A", "5")));
        assertEquals(Map.of("S_A", "1", "S_B", "1", "S_C", "1", "S_D", "1_1", "S_E", ""), parse(defaults));
    }

    /** TestExpanding, godotenv_var_expansion_test.go. */
    @Test
    void expansionForms() {
        assertEquals("t", parse("F=t\nB=$F").get("B"));
        assertEquals("tbar", parse("F=t\nB=${F}bar").get("B"));
        assertEquals("", parse("B=$F").get("B"));
        assertEquals("quote t", parse("F=t\nB=\"quote $F\"").get("B"));
        assertEquals("quote $F", parse("B='quote $F'").get("B"));
        assertEquals("x$B", parse("F=\"x\\$B\"").get("F"));
        assertEquals("x${B}", parse("F=\"x\\${B}\"").get("F"));
        assertEquals("x${F} t", parse("F=t\nB=\"x\\${F} ${F}\"").get("B"));
        Map<String, String> env = Map.of("EMPTY", "", "SET", "v");
        assertEquals("d", parse("R=${UNSET:-d}", env).get("R"));
        assertEquals("d", parse("R=${EMPTY:-d}", env).get("R"));
        assertEquals("v", parse("R=${SET:-d}", env).get("R"));
        assertEquals("d", parse("R=${UNSET-d}", env).get("R"));
        assertEquals("", parse("R=${EMPTY-d}", env).get("R"));
        assertEquals("", parse("R=${EMPTY?err}", env).get("R"));
        assertEquals("v", parse("R=${SET:?err}", env).get("R"));
        assertEquals("alt", parse("R=${SET:+alt}", env).get("R"));
        assertEquals("", parse("R=${EMPTY:+alt}", env).get("R"));
        assertEquals("alt", parse("R=${EMPTY+alt}", env).get("R"));
        ComposeException required = assertThrows(ComposeException.class, () -> parse("R=${EMPTY:?needed}", env));
        assertTrue(required.getMessage().startsWith(".env:1: R: "), required.getMessage());
    }

    /** TestVariableStringValueSeparator, inherited-*.env, utf8-bom.env, TestLinesToIgnore. */
    @Test
    void multiLineInheritedBomAndIgnoredLines() {
        assertEquals("tcp://a:1\ntcp://b:2", parse("URLS=\"tcp://a:1\ntcp://b:2\"").get("URLS"));
        Map<String, String> env = Map.of("FROM_OS", "os value");
        assertEquals(Map.of("x", "y", "FROM_OS", "os value", "z", "w"), parse("x=y\nFROM_OS\nz=w\n", env));
        assertEquals(Map.of("FROM_OS", "os value"), parse("FROM_OS\n", env));
        assertEquals(Map.of("FROM_OS", "os value"), parse("FROM_OS", env), "also as the last line without line end");
        assertEquals(Map.of(), parse("NOT_FOUND\n"));
        assertEquals(Map.of("B_A", "1", "B_B", "2"), parse("\uFEFFB_A=1\nB_B=2\n"));
        for (String ignored : new String[] {"\n", "\r\n", "\t\t ", "# comment", "\t # comment"}) {
            assertEquals(Map.of(), parse(ignored), ignored);
        }
        assertEquals(Map.of("FOO", "BAR", "ZOT", "QIX"), parse("FOO:BAR\nZOT:QIX"), "custom.format: KEY:VALUE");
        assertEquals(Map.of("a", "b", "a[1]", "c", "a.propertyKey", "d", "árvíz-TÜKÖR", "ÁRVÍZ-tükör"),
                parse("\na=b\na[1]=c\na.propertyKey=d\nárvíz-TÜKÖR=ÁRVÍZ-tükör\n"), "parser_test.go TestParseBytes");
    }

    @Test
    void aThousandLinesAreRead() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            b.append("KEY").append(i).append("=VALUE").append(i).append('\n');
        }
        assertEquals(1000, parse(b.toString()).size());
    }
}
