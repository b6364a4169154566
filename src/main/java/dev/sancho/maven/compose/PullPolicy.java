package dev.sancho.maven.compose;

import java.time.Duration;
import java.util.Locale;

/**
 * A service's {@code pull_policy}, as the Compose Specification defines it: {@code always} pulls on every deploy,
 * {@code missing} (the default; {@code if_not_present} is its old name) only when the image is absent, {@code never}
 * refuses to pull, {@code build} builds instead, and {@code daily}, {@code weekly} and {@code every_<duration>} pull
 * when the image is absent or was last pulled longer ago than that.
 *
 * @param maxAge only for {@link Kind#REFRESH}
 * @param written the value as written, for messages
 */
public record PullPolicy(Kind kind, Duration maxAge, String written) {
    public enum Kind { ALWAYS, MISSING, NEVER, BUILD, REFRESH }

    public static final PullPolicy MISSING = new PullPolicy(Kind.MISSING, null, "missing");

    /** Null when {@code text} is no pull policy. */
    static PullPolicy parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "always":
                return new PullPolicy(Kind.ALWAYS, null, t);
            case "missing":
            case "if_not_present":
                return new PullPolicy(Kind.MISSING, null, t);
            case "never":
                return new PullPolicy(Kind.NEVER, null, t);
            case "build":
                return new PullPolicy(Kind.BUILD, null, t);
            case "daily":
                return new PullPolicy(Kind.REFRESH, Duration.ofDays(1), t);
            case "weekly":
                return new PullPolicy(Kind.REFRESH, Duration.ofDays(7), t);
            default:
                if (t.startsWith("every_")) {
                    try {
                        Duration d = Durations.parse(t.substring("every_".length()));
                        if (d != null && !d.isZero() && !d.isNegative()) {
                            return new PullPolicy(Kind.REFRESH, d, t);
                        }
                    } catch (RuntimeException e) {
                        return null;
                    }
                }
                return null;
        }
    }

    /**
     * Whether a deploy pulls the image first.
     *
     * @param present    the image is on the engine
     * @param lastPulled when it was last pulled or tagged there (null = unknown)
     * @param now        the deploy's clock
     */
    public boolean pulls(boolean present, java.time.Instant lastPulled, java.time.Instant now) {
        return switch (kind) {
            case ALWAYS -> true;
            case MISSING -> !present;
            case NEVER, BUILD -> false;
            case REFRESH -> !present || lastPulled == null || lastPulled.plus(maxAge).isBefore(now);
        };
    }
}
