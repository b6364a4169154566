package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExactNamesTest {
    private static final List<String> DECOYS = List.of(
            "/sancho_db_v2_old", "/xsancho_db_v2", "/sancho_db_v", "/sancho_db_v22", "/sancho-db_v2", "/sancho_db_v2.1");

    /** Docker applies the filter as an unanchored regex search; Java's find() has the same semantics here. */
    private static boolean engineFilterKeeps(String filter, String engineName) {
        return Pattern.compile(filter).matcher(engineName).find();
    }

    @Test
    void theAnchoredFilterKeepsOnlyTheExactName() {
        String filter = ExactNames.anchoredFilter("sancho_db_v2");
        assertEquals("^/sancho_db_v2$", filter);
        assertTrue(engineFilterKeeps(filter, "/sancho_db_v2"));
        for (String decoy : DECOYS) {
            assertFalse(engineFilterKeeps(filter, decoy), decoy);
        }
    }

    @Test
    void aDotInTheNameIsLiteralNotAnyCharacter() {
        String filter = ExactNames.anchoredFilter("sancho.db");
        assertEquals("^/sancho\\.db$", filter);
        assertTrue(engineFilterKeeps(filter, "/sancho.db"));
        assertFalse(engineFilterKeeps(filter, "/sanchoXdb"));
        assertFalse(engineFilterKeeps(filter, "/sancho_db"));
    }

    @Test
    void theUnanchoredFilterDockerUsesWouldHaveReturnedTheDecoys() {
        // Why all of this exists: a plain name filter selects every decoy.
        for (String decoy : List.of("/sancho_db_v2_old", "/xsancho_db_v2")) {
            assertTrue(engineFilterKeeps("sancho_db_v2", decoy), decoy);
        }
    }

    @Test
    void theLiteralCheckAcceptsOnlyTheExactName() {
        assertTrue(ExactNames.matches(List.of("/sancho_db_v2"), "sancho_db_v2"));
        assertTrue(ExactNames.matches(List.of("/other/link", "/sancho_db_v2"), "sancho_db_v2"));
        for (String decoy : DECOYS) {
            assertFalse(ExactNames.matches(List.of(decoy), "sancho_db_v2"), decoy);
        }
        assertFalse(ExactNames.matches(List.of("sancho_db_v2"), "sancho_db_v2"), "engine names carry a slash");
        assertFalse(ExactNames.matches(null, "sancho_db_v2"));
        assertFalse(ExactNames.matches(List.of("/sancho_db_v2"), "sancho_db_v"));
    }

    @Test
    void stripRemovesDockersLeadingSlash() {
        assertEquals("sancho_db", ExactNames.strip("/sancho_db"));
        assertEquals("sancho_db", ExactNames.strip("sancho_db"));
    }
}
