package dev.sancho.maven.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The frames of a log stream (a container's or a service's) cut into whole lines: a frame may hold part of a line, or
 * several, so the text is buffered per stream (stdout, stderr) and a line is handed on at its newline; what is left
 * without one goes out at {@link #flush()}.
 */
final class LineFrames extends ResultCallback.Adapter<Frame> {
    private final Map<Object, StringBuilder> partial = new HashMap<>();
    private final Consumer<String> line;

    LineFrames(Consumer<String> line) {
        this.line = line;
    }

    @Override
    public void onNext(Frame frame) {
        StringBuilder buf = partial.computeIfAbsent(frame.getStreamType(), k -> new StringBuilder());
        buf.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        int nl;
        while ((nl = buf.indexOf("\n")) >= 0) {
            String l = buf.substring(0, nl);
            buf.delete(0, nl + 1);
            line.accept(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        }
    }

    /** The last line of each stream when it had no newline. */
    void flush() {
        partial.values().stream().filter(b -> b.length() > 0).forEach(b -> line.accept(b.toString()));
        partial.clear();
    }
}
