package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.common.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Time parameters accept what users write in a compose file as well as the plain seconds of earlier releases. */
class DurationParameterTest {

    private static Duration parse(String text) {
        return DurationParameter.parse("healthTimeout", text, Duration.ZERO);
    }

    @Test
    void plainNumbersAreSeconds() {
        assertEquals(Duration.ofSeconds(30), parse("30"));
        assertEquals(Duration.ofMillis(1500), parse("1.5"));
        assertEquals(Duration.ZERO, parse("0"));
        assertEquals(Duration.ofSeconds(30), parse(" 30 "));
    }

    @Test
    void goDurationsAsInTheComposeFile() {
        assertEquals(Duration.ofMillis(500), parse("500ms"));
        assertEquals(Duration.ofSeconds(30), parse("30s"));
        assertEquals(Duration.ofMinutes(2), parse("2m"));
        assertEquals(Duration.ofSeconds(90), parse("1m30s"));
        assertEquals(Duration.ofMinutes(90), parse("1.5h"));
    }

    @Test
    void wholeDaysForAgesOfBackups() {
        assertEquals(Duration.ofDays(7), parse("7d"));
        assertEquals(Duration.ofHours(36), parse("1d12h"));
        assertThrows(ConfigException.class, () -> parse("1.5d"));
        assertThrows(ConfigException.class, () -> parse("d"));
    }

    @Test
    void aBadValueNamesTheParameterItsPropertyAndTheAcceptedForms() {
        for (String bad : new String[] {"30x", "s", "1m30", "thirty", "1,5"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(bad));
            assertEquals("parameter healthTimeout (sancho.healthTimeout): '" + bad + "' is not a duration; write"
                    + " seconds (30) or a duration like 500ms, 30s, 2m, 1m30s", e.getMessage(), bad);
        }
        assertEquals("parameter healthTimeout (sancho.healthTimeout) is empty; write seconds (30) or a duration like"
                + " 500ms, 30s, 2m, 1m30s", assertThrows(ConfigException.class, () -> parse(" ")).getMessage());
    }

    @Test
    void theMinimumIsSaidInTheSameUnitsUsersWrite() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DurationParameter.parse("healthTimeout", "500ms", Duration.ofSeconds(1)));
        assertEquals("parameter healthTimeout (sancho.healthTimeout) must be at least 1s, was 500ms", e.getMessage());
        e = assertThrows(ConfigException.class, () -> DurationParameter.parse("drainSeconds", "-2", Duration.ZERO));
        assertEquals("parameter drainSeconds (sancho.drainSeconds) must be 0 or more, was -2", e.getMessage());
        assertEquals(Duration.ofSeconds(1), DurationParameter.parse("healthTimeout", "1s", Duration.ofSeconds(1)));
    }

    @Test
    void formatPicksTheShortestExactUnit() {
        assertEquals("1s", DurationParameter.format(Duration.ofSeconds(1)));
        assertEquals("500ms", DurationParameter.format(Duration.ofMillis(500)));
        assertEquals("2m", DurationParameter.format(Duration.ofMinutes(2)));
        assertEquals("90s", DurationParameter.format(Duration.ofSeconds(90)));
        assertEquals("1h", DurationParameter.format(Duration.ofHours(1)));
        assertEquals("0s", DurationParameter.format(Duration.ZERO));
    }
}
