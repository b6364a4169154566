package dev.sancho.maven.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where a deploy's time goes, for the one line every deploy ends with ({@code deployed 42 in 3.9 s: build 0.0,
 * lock 0.1, plan 0.1, start 0.4, ready 0.9, dns 0.2, drain 0.6, stop 0.1, verify 0.1}). Each {@link #mark} gives the
 * time since the previous mark to one step, on {@link Time}'s clock (virtual in unit tests). A step that did not
 * happen in this deploy (nothing to drain on a first deploy, verify left to its own goal) is never marked and is left
 * out of the line; a step that ran but took less than 50 ms shows as 0.0.
 */
public final class Timeline {
    /** For callers that do not report a timeline (rollback, tests): every mark is dropped. */
    public static final Timeline NONE = new Timeline(false);

    private final boolean recording;
    private final long start = Time.nanoTime();
    private long last = start;
    private final Map<String, Long> steps = new LinkedHashMap<>();

    public Timeline() {
        this(true);
    }

    private Timeline(boolean recording) {
        this.recording = recording;
    }

    /** The time since the previous mark (or the start) was spent in {@code step}; a step marked again adds up. */
    public synchronized void mark(String step) {
        if (!recording) {
            return;
        }
        long now = Time.nanoTime();
        steps.merge(step, now - last, Long::sum);
        last = now;
    }

    /** Time since the previous mark that belongs to no step (it still counts in the total). */
    public synchronized void skip() {
        last = Time.nanoTime();
    }

    /** e.g. {@code deployed 42 in 3.9 s: build 0.0, lock 0.1, ...}, with {@code what} = {@code deployed 42}. */
    public String line(String what) {
        return line(what, "in");
    }

    /** @param in the word before the total: {@code deploy 42 failed after 3.9 s: ...} */
    public synchronized String line(String what, String in) {
        String head = what + " " + in + " " + seconds(last - start) + " s";
        StringJoiner j = new StringJoiner(", ", head + ": ", "");
        j.setEmptyValue(head);
        steps.forEach((step, nanos) -> j.add(step + " " + seconds(nanos)));
        return j.toString();
    }

    /** Seconds per step, in the order the steps first happened (for tests and the benchmark). */
    public synchronized Map<String, Double> steps() {
        Map<String, Double> out = new LinkedHashMap<>();
        steps.forEach((k, v) -> out.put(k, v / 1e9));
        return out;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
