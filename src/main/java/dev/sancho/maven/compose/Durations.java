package dev.sancho.maven.compose;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compose durations, which are Go durations: {@code 1m30s}, {@code 10s}, {@code 1.5h}, {@code 500ms}, {@code 0}. */
public final class Durations {
    private Durations() {}

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    /** @throws IllegalArgumentException with a message fit for the user */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty() || !s.matches("(" + PART.pattern() + ")+")) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration; write it like 30s, 1m30s, 500ms or 2h"
                    + (s.matches("\\d+") ? " (a unit is required)" : ""));
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(s);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) { // Go's time.Duration is 64-bit nanoseconds too
            throw new IllegalArgumentException("\"" + text + "\" is longer than a duration can be (about 292 years)");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
