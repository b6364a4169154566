package dev.sancho.maven.mojo;

import dev.sancho.maven.compose.Durations;
import dev.sancho.maven.common.ConfigException;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Time parameters as users write them: a plain number of seconds ({@code 30}, {@code 0.5}) as the first releases took
 * them, or a Compose/Go duration ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1m30s}) like the compose file's
 * {@code healthcheck.interval}. Maven injects the raw text; every goal converts it here so all time parameters accept
 * the same forms and fail with the same one line.
 */
final class DurationParameter {
    private DurationParameter() {}

    static final String FORMS = "seconds (30) or a duration like 500ms, 30s, 2m, 1m30s";
    /** Whole days before a Go duration ({@code 7d}, {@code 1d12h}): ages of backups are counted in days. */
    private static final java.util.regex.Pattern DAYS = java.util.regex.Pattern.compile("(\\d{1,5})d(.*)");

    /**
     * @param name the parameter's name; its user property is {@code sancho.<name>}
     * @param min  the smallest value allowed
     */
    static Duration parse(String name, String value, Duration min) {
        String where = "parameter " + name + " (sancho." + name + ")";
        if (value == null || value.isBlank()) {
            throw new ConfigException(where + " is empty; write " + FORMS);
        }
        Duration d;
        String s = value.strip();
        try {
            java.util.regex.Matcher days = DAYS.matcher(s);
            d = s.matches("-?\\d+(\\.\\d+)?")
                    ? Duration.ofNanos(new BigDecimal(s).movePointRight(9).longValueExact())
                    : days.matches() ? Duration.ofDays(Long.parseLong(days.group(1)))
                            .plus(days.group(2).isEmpty() ? Duration.ZERO : Durations.parse(days.group(2)))
                    : Durations.parse(s);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigException(where + ": '" + value + "' is not a duration; write " + FORMS);
        }
        if (d.compareTo(min) < 0) {
            throw new ConfigException(where + " must be " + (min.isZero() ? "0 or more" : "at least " + format(min))
                    + ", was " + value.strip());
        }
        return d;
    }

    /** {@code 1s}, {@code 500ms}, {@code 2m}: the shortest exact form, for messages. */
    static String format(Duration d) {
        if (d.toNanosPart() % 1_000_000 != 0 || d.toMillisPart() != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }
}
