package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.common.ConfigException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogsMojoTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void sinceIsADurationBackFromNowOrATime() {
        assertEquals(Instant.parse("2026-03-01T11:50:00Z"), LogsMojo.since("10m", NOW));
        assertEquals(Instant.parse("2026-03-01T11:59:30Z"), LogsMojo.since("30", NOW));
        assertEquals(Instant.parse("2026-02-28T09:00:00Z"), LogsMojo.since("2026-02-28T10:00:00+01:00", NOW));
        assertEquals(Instant.parse("2026-02-28T00:00:00Z"), LogsMojo.since("2026-02-28", NOW));
        assertNull(LogsMojo.since(null, NOW));
        ConfigException bad = assertThrows(ConfigException.class, () -> LogsMojo.since("yesterday", NOW));
        assertEquals("parameter since (sancho.since): 'yesterday' is not a duration; write seconds (30) or a duration"
                + " like 500ms, 30s, 2m, 1m30s", bad.getMessage());
    }

    @Test
    void tailIsANumberOrAll() {
        assertNull(LogsMojo.tail("all"));
        assertEquals(50, LogsMojo.tail("50"));
        assertEquals("parameter tail (sancho.tail): '-3' is not a number of lines (0 or more) or all",
                assertThrows(ConfigException.class, () -> LogsMojo.tail("-3")).getMessage());
    }
}
