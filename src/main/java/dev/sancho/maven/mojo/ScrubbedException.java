package dev.sancho.maven.mojo;

import dev.sancho.maven.common.SecretScrubber;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A copy of a throwable and its causes with every message scrubbed, for what Maven prints with {@code -e} and
 * {@code -X}: the stack trace, the original class name (in {@link #toString()}) and the chain are kept, the
 * secret values in any message (an engine error echoing a container's argv or mount options) are not.
 */
final class ScrubbedException extends RuntimeException {
    private final String type;

    private ScrubbedException(String type, String message) {
        super(message);
        this.type = type;
    }

    /** The type of the throwable this copies. */
    String type() {
        return type;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? type : type + ": " + message;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // the original's trace is set instead
    }

    /** The scrubbed copy; null for null. */
    static ScrubbedException copy(Throwable t, SecretScrubber scrubber) {
        return copy(t, scrubber, Collections.newSetFromMap(new IdentityHashMap<>()), new IdentityHashMap<>());
    }

    private static ScrubbedException copy(Throwable t, SecretScrubber scrubber, java.util.Set<Throwable> seen,
            Map<Throwable, ScrubbedException> done) {
        if (t == null) {
            return null;
        }
        if (done.containsKey(t)) {
            return done.get(t);
        }
        String type = t instanceof ScrubbedException s ? s.type() : t.getClass().getName();
        ScrubbedException copy = new ScrubbedException(type, scrubber.scrub(t.getMessage()));
        copy.setStackTrace(t.getStackTrace());
        done.put(t, copy);
        if (seen.add(t)) {
            ScrubbedException cause = copy(t.getCause(), scrubber, seen, done);
            if (cause != null) {
                copy.initCause(cause);
            }
            for (Throwable suppressed : t.getSuppressed()) {
                copy.addSuppressed(copy(suppressed, scrubber, seen, done));
            }
        }
        return copy;
    }
}
