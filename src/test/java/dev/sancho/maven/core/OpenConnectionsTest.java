package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What the drain counts in an old container's /proc/net/tcp{,6}: inbound connections from outside it. */
class OpenConnectionsTest {
    static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    /** One row of the kernel's table: addresses as hex words, e.g. 172.20.0.3:8080 = 030014AC:1F90. */
    static String row(int sl, String local, String remote, String state) {
        return "   " + sl + ": " + local + " " + remote + " " + state
                + " 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n";
    }

    @Test
    void aRequestFromTheProxyIsOpenWhileTheHealthcheckAndOutboundConnectionsAreNot() {
        String tcp = HEADER
                + row(0, "00000000:1F90", "00000000:0000", "0A") // listening on 8080
                + row(1, "030014AC:1F90", "020014AC:C350", "01") // 172.20.0.2 (the proxy) -> us: open
                + row(2, "0100007F:1F90", "0100007F:A000", "01") // our own healthcheck over loopback
                + row(3, "030014AC:D000", "040014AC:1538", "01") // us -> the database on 5432: outbound
                + row(4, "030014AC:1F90", "020014AC:C351", "06"); // TIME_WAIT: closed
        assertEquals(OptionalInt.of(1), OpenConnections.parse(tcp));
    }

    @Test
    void tcp6RowsCountTooAndAFinishedDrainReadsZero() {
        String tcp6 = HEADER
                + row(0, "00000000000000000000000000000000:1F90", "00000000000000000000000000000000:0000", "0A")
                + row(1, "0000000000000000FFFF0000030014AC:1F90", "0000000000000000FFFF0000020014AC:C350", "01")
                + row(2, "00000000000000000000000001000000:1F90", "00000000000000000000000001000000:A001", "01");
        assertEquals(OptionalInt.of(1), OpenConnections.parse(tcp6));
        assertEquals(OptionalInt.of(0), OpenConnections.parse(HEADER + row(0, "00000000:1F90", "00000000:0000", "0A")
                + "cat: can't open '/proc/net/tcp6': No such file or directory\n"));
    }

    @Test
    void withoutTheTableTheCountIsUnknown() {
        assertEquals(OptionalInt.empty(), OpenConnections.parse(""));
        assertEquals(OptionalInt.empty(), OpenConnections.parse("OCI runtime exec failed: exec: \"cat\": executable"
                + " file not found in $PATH"));
    }

    @Test
    void loopbackInTheKernelsNotation() {
        assertTrue(OpenConnections.loopback("0100007F"));
        assertTrue(OpenConnections.loopback("00000000000000000000000001000000"));
        assertTrue(OpenConnections.loopback("0000000000000000FFFF00000100007F"));
        assertFalse(OpenConnections.loopback("020014AC"));
        assertFalse(OpenConnections.loopback("0000000000000000FFFF0000020014AC"));
    }
}
