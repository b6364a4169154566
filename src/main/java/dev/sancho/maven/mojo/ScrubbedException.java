package dev.sancho.maven.mojo;

import dev.sancho.maven.common.SecretScrubber;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A copy of a throwable and its causes with every message scrubbed, for what Maven prints with {@code -e} and
 * {@code -X}: the stack trace and the chain are kept, the original class name leads the message ({@code
 * [java.lang.IllegalStateException] ...}, as Maven prints the class of the throwable itself), the secret values in
 * any message (an engine error echoing a container's argv or mount options) are not.
 */
final class ScrubbedException extends RuntimeException {
    private final String type;
    private final String detail;

    private ScrubbedException(String type, String detail) {
        super(detail == null ? "[" + type + "]" : "[" + type + "] " + detail);
        this.type = type;
        this.detail = detail;
    }

    /** The type of the throwable this copies. */
    String type() {
        return type;
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
        ScrubbedException copy = t instanceof ScrubbedException s
                ? new ScrubbedException(s.type(), scrubber.scrub(s.detail))
                : new ScrubbedException(t.getClass().getName(), scrubber.scrub(t.getMessage()));
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
