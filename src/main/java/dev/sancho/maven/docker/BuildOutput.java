package dev.sancho.maven.docker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns the engine's build stream (text chunks that split or join lines at random, with ANSI colours and
 * {@code \r}-redrawn progress bars from the commands the Dockerfile runs) into clean lines, and remembers the
 * current step and its last lines for the error message of a failing build.
 */
final class BuildOutput {
    static final int KEPT_LINES = 20;
    private static final Pattern ANSI = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)|\u001B[@-Z\\\\-_]");
    private static final Pattern STEP = Pattern.compile("^Step \\d+/\\d+ : .*");

    private final Consumer<String> sink;
    private final StringBuilder pending = new StringBuilder();
    private final Deque<String> stepLines = new ArrayDeque<>();
    private String step;

    BuildOutput(Consumer<String> sink) {
        this.sink = sink == null ? line -> {} : sink;
    }

    void accept(String chunk) {
        if (chunk == null) {
            return;
        }
        pending.append(chunk);
        int nl;
        while ((nl = pending.indexOf("\n")) >= 0) {
            String raw = pending.substring(0, nl);
            pending.delete(0, nl + 1);
            emit(raw);
        }
    }

    /** Emits what is left without a final newline. */
    void flush() {
        if (pending.length() > 0) {
            String rest = pending.toString();
            pending.setLength(0);
            emit(rest);
        }
    }

    private void emit(String raw) {
        String line = clean(raw);
        if (line.isBlank()) {
            return;
        }
        if (STEP.matcher(line).matches()) {
            step = line;
            stepLines.clear();
        } else {
            stepLines.addLast(line);
            if (stepLines.size() > KEPT_LINES) {
                stepLines.removeFirst();
            }
        }
        sink.accept(line);
    }

    static String clean(String raw) {
        String s = ANSI.matcher(raw).replaceAll("");
        // a progress bar redraws its line with \r: only the last drawing is the line's content
        int cr = s.stripTrailing().lastIndexOf('\r');
        if (cr >= 0) {
            s = s.substring(cr + 1);
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().filter(c -> c == '\t' || !Character.isISOControl(c)).forEach(out::appendCodePoint);
        return out.toString().stripTrailing();
    }

    String step() {
        return step;
    }

    /** The current step's last output lines, without the engine's own bookkeeping lines. */
    List<String> lastLines() {
        return stepLines.stream()
                .filter(l -> !l.startsWith(" ---> ") && !l.startsWith("Removing intermediate container "))
                .toList();
    }
}
