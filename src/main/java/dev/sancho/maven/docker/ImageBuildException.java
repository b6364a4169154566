package dev.sancho.maven.docker;

import java.util.List;

/**
 * A build the engine ran and that failed in the Dockerfile (a {@code RUN} exiting non-zero, a missing {@code COPY}
 * source, an unknown base image...). Carries what the person on call needs: the failing step as the engine printed
 * it ({@code Step 3/5 : RUN make}) and the last lines of its output.
 *
 * @see DockerEngine#buildImage
 */
public class ImageBuildException extends DockerOperationException {
    private final String step;
    private final String reason;
    private final List<String> lastLines;

    public ImageBuildException(String step, String reason, List<String> lastLines) {
        super((step == null ? "build failed" : "build failed at " + step) + ": " + reason);
        this.step = step;
        this.reason = reason;
        this.lastLines = List.copyOf(lastLines);
    }

    /** e.g. {@code Step 3/5 : RUN make}; null when the build failed before its first step (e.g. a bad context). */
    public String step() {
        return step;
    }

    /** The engine's one-line error, e.g. {@code The command '/bin/sh -c make' returned a non-zero code: 2}. */
    public String reason() {
        return reason;
    }

    /** The failing step's last output lines (without ANSI escapes), oldest first. */
    public List<String> lastLines() {
        return lastLines;
    }
}
