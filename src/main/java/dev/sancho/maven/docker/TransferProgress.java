package dev.sancho.maven.docker;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Sums the engine's per-layer pull or push answers into one line per image every few seconds, for a CI log:
 * {@code   127.0.0.1:5000/team/app:1: 12.3 MB / 45.6 MB, 2/5 layers}. Layers the registry or the engine already
 * has count as done and add no bytes.
 */
final class TransferProgress {
    static final long INTERVAL_NANOS = 5_000_000_000L;

    private static final Set<String> KNOWN = Set.of("pulling fs layer", "waiting", "preparing");
    private static final Set<String> MOVING = Set.of("downloading", "pushing");
    private static final Set<String> TRANSFERRED = Set.of("verifying checksum", "download complete", "extracting");
    private static final Set<String> DONE = Set.of("pull complete", "pushed");
    private static final Set<String> PRESENT = Set.of("already exists", "layer already exists");

    private record Layer(long current, long total, boolean done) {}

    private final String image;
    private final Consumer<String> out;
    private final LongSupplier clock;
    private final long started;
    private final Map<String, Layer> layers = new LinkedHashMap<>();
    private long lastLine;

    TransferProgress(String image, Consumer<String> out, LongSupplier clock) {
        this.image = image;
        this.out = out == null ? line -> { } : out;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastLine = started;
    }

    /** One answer of the engine; writes a line when the last one is {@link #INTERVAL_NANOS} old. */
    void item(String id, String status, Long current, Long total) {
        if (id == null || status == null) {
            return;
        }
        String s = status.toLowerCase(Locale.ROOT);
        Layer old = layers.getOrDefault(id, new Layer(0, 0, false));
        Layer now;
        if (KNOWN.contains(s)) {
            now = old;
        } else if (MOVING.contains(s)) {
            long t = total != null && total > 0 ? total : old.total();
            now = new Layer(current == null ? old.current() : Math.min(current, t > 0 ? t : current), t, false);
        } else if (TRANSFERRED.contains(s)) {
            now = new Layer(old.total(), old.total(), old.done());
        } else if (DONE.contains(s)) {
            now = new Layer(old.total(), old.total(), true);
        } else if (PRESENT.contains(s) || s.startsWith("mounted from")) {
            now = new Layer(0, 0, true);
        } else {
            return; // "Pulling from ...", "Digest: ...", the tag's own status lines
        }
        layers.put(id, now);
        long t = clock.getAsLong();
        if (t - lastLine >= INTERVAL_NANOS) {
            lastLine = t;
            out.accept(line());
        }
    }

    /** The progress line as of now. */
    String line() {
        long done = 0;
        long total = 0;
        int layersDone = 0;
        for (Layer l : layers.values()) {
            done += l.current();
            total += l.total();
            layersDone += l.done() ? 1 : 0;
        }
        return "  " + image + ": " + bytes(done) + " / " + bytes(total) + ", " + layersDone + "/" + layers.size()
                + " layers";
    }

    /** For the final line: {@code 3.0 MB, 2 of 3 layers new} (what was already there counts as not new). */
    String summary() {
        long present = layers.values().stream().filter(l -> l.done() && l.total() == 0).count();
        return bytes(totalBytes()) + ", " + (layers.size() - present) + " of " + layers.size() + " layers new";
    }

    /** Bytes moved in total (layers that were already there add nothing). */
    long totalBytes() {
        return layers.values().stream().mapToLong(Layer::total).sum();
    }

    /** Whole seconds since the transfer started. */
    long seconds() {
        return (clock.getAsLong() - started) / 1_000_000_000L;
    }

    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
