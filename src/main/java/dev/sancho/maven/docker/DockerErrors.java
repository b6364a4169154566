package dev.sancho.maven.docker;

import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns whatever docker-java throws into one of our three exceptions with one line for the user. docker-java's
 * raw errors name no address (e.g. {@code RuntimeException: SocketException: No such file or directory}), which
 * tells the person on call nothing.
 */
final class DockerErrors {
    private DockerErrors() {}

    private static final String SET_HOST = "Set DOCKER_HOST or -Dsancho.dockerHost.";
    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * @param address the engine address, for unreachable messages
     * @param subject what was addressed, e.g. {@code container sancho_db}, for 404 messages
     *                ({@code no such container: sancho_db}); null = use the engine's own message
     */
    static RuntimeException translate(String address, String subject, Throwable e) {
        if (e instanceof EngineUnreachableException || e instanceof DockerOperationException) {
            return (RuntimeException) e;
        }
        if (e instanceof DockerException de) {
            if (de.getHttpStatus() == 404 && subject != null) {
                return new DockerOperationException("no such " + subject.replaceFirst(" ", ": "), e);
            }
            return new DockerOperationException(engineMessage(de), e);
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransportException ssh) {
                return new EngineUnreachableException(address, "Cannot reach Docker at " + address + ": "
                        + ssh.getMessage(), e);
            }
        }
        String cause = connectionCause(e);
        if (cause != null) {
            return new EngineUnreachableException(address, "Cannot reach Docker at " + address + ": " + cause, e);
        }
        return new DockerOperationException(oneLine(rootMessage(e)), e);
    }

    /** The reason the engine gave, without docker-java's {@code Status 500: {"message":...}} wrapping. */
    static String engineMessage(DockerException e) {
        String raw = String.valueOf(e.getMessage());
        Matcher m = JSON_MESSAGE.matcher(raw);
        String text = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\n", " ").replace("\\\\", "\\") : raw;
        text = text.replaceFirst("^(Status \\d+:\\s*)+", "");
        return oneLine(text.isBlank() ? "HTTP " + e.getHttpStatus() : text);
    }

    /** The reason the engine gave in an error answer ({@code {"message":...}}) to a raw call. */
    static String engineMessage(int status, String body) {
        Matcher m = JSON_MESSAGE.matcher(String.valueOf(body));
        String text = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\n", " ").replace("\\\\", "\\")
                : String.valueOf(body);
        return oneLine(text.isBlank() ? "HTTP " + status : text);
    }

    /** Null when {@code e} is not a connection-level problem. */
    static String connectionCause(Throwable e) {
        boolean io = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (msg.contains("no such file or directory")) {
                return "no such socket. Is dockerd running? " + SET_HOST;
            }
            if (msg.contains("permission denied") || msg.contains("access denied")) {
                return "permission denied on the socket. Add your user to the docker group"
                        + " (sudo usermod -aG docker $USER, then log in again) or use sudo. " + SET_HOST;
            }
            if (t instanceof ConnectException || msg.contains("connection refused")) {
                return "connection refused. Is dockerd running and listening there? " + SET_HOST;
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + String.valueOf(t.getMessage()).split(":")[0] + ". " + SET_HOST;
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host. " + SET_HOST;
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException
                    || t.getClass().getSimpleName().contains("Timeout") || msg.contains("timed out")) {
                return "timed out waiting for the engine. Is the address right and the engine up? " + SET_HOST;
            }
            if (msg.contains("connection reset") || msg.contains("broken pipe")) {
                return "the connection was closed by the other side (is it a Docker engine?). " + SET_HOST;
            }
            io |= t instanceof IOException;
        }
        return io ? oneLine(rootMessage(e)) + ". " + SET_HOST : null;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg;
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
