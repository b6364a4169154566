package dev.sancho.maven.core;

import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.ExecResult;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How many inbound TCP connections a running container still has: what the drain waits for. Read from inside the
 * container ({@code cat /proc/net/tcp /proc/net/tcp6} through the engine's exec), so it works on a remote engine too
 * and with any image that has {@code cat} (busybox, Debian, Alpine); without one the count is unknown and the drain
 * waits its full bound.
 *
 * <p>Counted: sockets ESTABLISHED (or SYN_RECV) whose local port is one the container listens on, from a peer that is
 * not the container itself (its own healthcheck connects over loopback every interval and must not keep the drain
 * open). Connections the container opened (to the database, say) have a local port nobody listens on and are not
 * counted.
 */
final class OpenConnections {
    static final List<String> COMMAND = List.of("cat", "/proc/net/tcp", "/proc/net/tcp6");
    /** The longest one reading may take: a stalled exec must not hold the drain much beyond its bound. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private OpenConnections() {}

    /** Empty when it cannot be read (no {@code cat}, exec refused, container gone, slower than {@code timeout}). */
    static OptionalInt of(DockerEngine engine, String containerId, Duration timeout) {
        try {
            ExecResult r = engine.exec(containerId, COMMAND, timeout);
            return r.timedOut() ? OptionalInt.empty() : parse(r.output());
        } catch (RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** The count from the text of {@code /proc/net/tcp} and/or {@code tcp6}; empty when neither table is in it. */
    static OptionalInt parse(String text) {
        boolean table = false;
        Set<String> listening = new HashSet<>();
        List<String[]> rows = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[0].equals("sl") && f[1].equals("local_address")) {
                table = true;
            } else if (f.length > 3 && f[0].endsWith(":") && f[1].indexOf(':') > 0 && f[2].indexOf(':') > 0) {
                rows.add(f);
                if (f[3].equalsIgnoreCase("0A")) {
                    listening.add(port(f[1]));
                }
            }
        }
        if (!table) {
            return OptionalInt.empty();
        }
        int open = 0;
        for (String[] f : rows) {
            boolean connected = f[3].equals("01") || f[3].equals("03");
            if (connected && listening.contains(port(f[1])) && !loopback(address(f[2]))) {
                open++;
            }
        }
        return OptionalInt.of(open);
    }

    private static String port(String addressAndPort) {
        return addressAndPort.substring(addressAndPort.lastIndexOf(':') + 1).toUpperCase(java.util.Locale.ROOT);
    }

    private static String address(String addressAndPort) {
        return addressAndPort.substring(0, addressAndPort.lastIndexOf(':')).toUpperCase(java.util.Locale.ROOT);
    }

    /** 127.x.x.x, ::1 and ::ffff:127.x.x.x, in the kernel's notation (32-bit words in host order, little-endian). */
    static boolean loopback(String hex) {
        if (hex.length() == 8) {
            return hex.endsWith("7F");
        }
        return hex.equals("00000000000000000000000001000000")
                || (hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F"));
    }
}
