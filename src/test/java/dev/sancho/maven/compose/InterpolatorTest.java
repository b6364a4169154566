package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every form of the Compose Spec, with SET=value, EMPTY= (set but empty) and UNSET absent. */
class InterpolatorTest {

    private final List<String> unset = new ArrayList<>();
    private final Map<String, String> vars = Map.of("SET", "value", "EMPTY", "", "DEPLOY_ID", "42", "B", "bee");
    private final Interpolator interpolator =
            new Interpolator(vars::get, Map.of("project.version", "1.4.0", "spring-boot.version", "3.3.1"), unset::add);

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "plain text                | plain text",
        "$SET                      | value",
        "${SET}                    | value",
        "a$SET.b                   | avalue.b",
        "${SET}suffix              | valuesuffix",
        "${SET:-default}           | value",
        "${EMPTY:-default}         | default",
        "${UNSET:-default}         | default",
        "${SET-default}            | value",
        "${EMPTY-default}          | ''",
        "${UNSET-default}          | default",
        "${SET:?must be set}       | value",
        "${EMPTY?may be empty}     | ''",
        "${SET:+alternative}       | alternative",
        "${EMPTY:+alternative}     | ''",
        "${UNSET:+alternative}     | ''",
        "${SET+alternative}        | alternative",
        "${EMPTY+alternative}      | alternative",
        "${UNSET+alternative}      | ''",
        "${UNSET:-${B}}            | bee",
        "${UNSET:-${ALSO_UNSET:-deep}} | deep",
        "${UNSET:-x_${B}_y}        | x_bee_y",
        "${SET:+[${B}]}            | [bee]",
        "${UNSET:-}                | ''",
        "$$SET                     | $SET",
        "$${SET}                   | ${SET}",
        "cost: $$5                 | cost: $5",
        "${UNSET:-$$literal}       | $literal",
        "${project.version}        | 1.4.0",
        "${spring-boot.version}    | 3.3.1",
        "${project.missing:-dev}   | dev",
        "${UNSET-example.com}      | example.com",
        "${SET-example.com}        | value",
        "app:${project.version}-${SET} | app:1.4.0-value",
        "sancho_backend_${DEPLOY_ID:-$(date +%s)} | sancho_backend_42",
    })
    void composeSpecForms(String template, String expected) {
        assertEquals(expected.equals("''") ? "" : expected, interpolator.apply(template));
    }

    @Test
    void anUnsetPlainVariableBecomesEmptyAndIsReported() {
        assertEquals("a[][]b", interpolator.apply("a[$UNSET][${ALSO_UNSET}]b"));
        assertEquals(List.of("UNSET", "ALSO_UNSET"), unset);
    }

    @Test
    void aDefaultThatIsNotUsedIsNeverInterpolated() {
        assertEquals("value", interpolator.apply("${SET:-${REQUIRED:?not evaluated}}"));
        assertEquals(List.of(), unset);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "${UNSET:?set it in .env}  | required variable UNSET is missing a value: set it in .env",
        "${EMPTY:?set it in .env}  | required variable EMPTY is missing a value: set it in .env",
        "${UNSET?}                 | required variable UNSET is missing a value",
        "${UNSET:-${NESTED:?the nested one}} | required variable NESTED is missing a value: the nested one",
        "${UNSET:-$(date +%s)}     | UNSET is not set and its default is a shell command ($( at character 10 of the"
                + " value); Compose never runs commands. Set UNSET, or use ${DEPLOY_ID}, which sancho always sets to the"
                + " deploy id (choose it with -Dsancho.deployId=...)",
        "echo $(hostname)          | a shell command substitution $( at character 6 of the value; Compose never runs"
                + " commands. Write $$( to pass a literal $( to the container",
        "${SET                     | invalid interpolation at character 1 of the value: a ${ without its closing }",
        "${}                       | invalid interpolation at character 1 of the value: expected ${VAR}, ${VAR:-default},"
                + " ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alternative} or ${VAR+alternative}",
        "x ${SET:x}                | invalid interpolation at character 3 of the value: expected ${VAR}, ${VAR:-default},"
                + " ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alternative} or ${VAR+alternative}",
        "${1ABC}                   | invalid interpolation at character 1 of the value: expected ${VAR}, ${VAR:-default},"
                + " ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alternative} or ${VAR+alternative}",
        "price: $5                 | invalid interpolation at character 8 of the value: a $ must start a variable ($VAR"
                + " or ${VAR}); write $$ for a literal $",
        "trailing $                | invalid interpolation at character 10 of the value: a $ must start a variable ($VAR"
                + " or ${VAR}); write $$ for a literal $",
        "${UNSET:-ab${X}cd$5}      | invalid interpolation at character 18 of the value: a $ must start a variable ($VAR"
                + " or ${VAR}); write $$ for a literal $",
        "${project.nope}           | ${project.nope} is not a Maven project property (known: project.groupId,"
                + " project.artifactId, project.version, project.name and the pom's <properties>)",
    })
    void problemsNameTheVariable(String template, String message) {
        assertEquals(message, assertThrows(Interpolator.Problem.class, () -> interpolator.apply(template)).getMessage());
    }

    @Test
    void aProblemNamesAPositionButNoPartOfTheValue() {
        // a password with a $( in it: the message must not quote any of it
        Interpolator.Problem p = assertThrows(Interpolator.Problem.class,
                () -> interpolator.apply("Xy7$(cat)Qz-s3cr3t"));
        assertEquals("a shell command substitution $( at character 4 of the value; Compose never runs commands."
                + " Write $$( to pass a literal $( to the container", p.getMessage());
        for (String value : List.of("Xy7${oops-s3cr3t", "Xy7$-s3cr3t", "Xy7${:s3cr3t}")) {
            String message = assertThrows(Interpolator.Problem.class, () -> interpolator.apply(value)).getMessage();
            assertFalse(message.contains("s3cr3t") || message.contains("Xy7"), message);
        }
    }

    @Test
    void variablesInFindsEveryReferenceButNotEscapedOnes() {
        assertEquals(Set.of("DEPLOY_ID"), Interpolator.variablesIn("sancho_backend_${DEPLOY_ID:-$(date +%s)}"));
        assertEquals(Set.of("DEPLOY_ID"), Interpolator.variablesIn("app_$DEPLOY_ID"));
        assertEquals(Set.of("A", "DEPLOY_ID"), Interpolator.variablesIn("${A:-x_${DEPLOY_ID}}"));
        assertEquals(Set.of(), Interpolator.variablesIn("app_$$DEPLOY_ID and $${DEPLOY_ID}"));
        assertEquals(Set.of(), Interpolator.variablesIn("sancho_db_v2"));
        assertEquals(Set.of("project.version"), Interpolator.variablesIn("x:${project.version}"));
    }
}
