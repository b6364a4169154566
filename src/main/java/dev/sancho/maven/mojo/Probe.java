package dev.sancho.maven.mojo;

import dev.sancho.maven.compose.ShellWords;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.core.VerifyOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code <probe>} of {@code sancho:verify}: exactly one of {@code <exec>} or {@code <http>}.
 * <pre>{@code
 * <probes>
 *   <probe>
 *     <name>db accepts connections</name>          <!-- optional, shown in the table -->
 *     <exec>
 *       <service>db</service>                       <!-- compose service -->
 *       <command>pg_isready -U maestro -d maestro_inventario</command>
 *       <timeoutSeconds>10</timeoutSeconds>         <!-- optional, default 10 -->
 *     </exec>
 *   </probe>
 *   <probe>
 *     <http>
 *       <port>8080</port>                           <!-- published port on 127.0.0.1 -->
 *       <path>/health</path>                        <!-- default / -->
 *       <status>200</status>                        <!-- default 200 -->
 *     </http>
 *   </probe>
 * </probes>
 * }</pre>
 */
public class Probe {
    static final int DEFAULT_TIMEOUT_SECONDS = 10;

    /** Label shown in the table; default: the service and command, or the URL. */
    String name;

    Exec exec;

    Http http;

    /** Runs a command in the service's container (exec form, split like a shell would, no shell). */
    public static class Exec {
        String service;
        String command;
        /** Seconds or a duration ({@code 10}, {@code 10s}, {@code 1500ms}). */
        String timeoutSeconds;
    }

    /** GET on a port published on 127.0.0.1. */
    public static class Http {
        Integer port;
        String path;
        Integer status;
        /** Seconds or a duration. */
        String timeoutSeconds;
    }

    /** The pom's {@code <probes>} in order; null (none configured) is none. */
    static List<VerifyOptions.Probe> toProbes(List<Probe> probes) {
        List<VerifyOptions.Probe> checks = new ArrayList<>();
        if (probes != null) {
            for (int i = 0; i < probes.size(); i++) {
                checks.add(probes.get(i).toProbe(i + 1));
            }
        }
        return checks;
    }

    /** @param index 1-based position in {@code <probes>}, for messages */
    VerifyOptions.Probe toProbe(int index) {
        String where = "<probes> probe " + index + (name == null ? "" : " (" + name + ")");
        if ((exec == null) == (http == null)) {
            throw new ConfigException(where + ": give exactly one of <exec> or <http>");
        }
        if (exec != null) {
            if (exec.service == null || exec.service.isBlank()) {
                throw new ConfigException(where + ": <exec> needs <service> (a compose service name)");
            }
            List<String> command = words(exec.command == null ? "" : exec.command, where);
            if (command.isEmpty()) {
                throw new ConfigException(where + ": <exec> needs <command>, e.g. pg_isready -U maestro");
            }
            return new VerifyOptions.ExecProbe(name, exec.service.trim(), command, timeout(exec.timeoutSeconds, where));
        }
        if (http.port == null || http.port < 1 || http.port > 65535) {
            throw new ConfigException(where + ": <http> needs <port>, the port published on 127.0.0.1 (1-65535)");
        }
        String path = http.path == null || http.path.isBlank() ? "/" : http.path.trim();
        if (!path.startsWith("/")) {
            throw new ConfigException(where + ": <path> must start with / (got " + path + ")");
        }
        int status = http.status == null ? 200 : http.status;
        if (status < 100 || status > 599) {
            throw new ConfigException(where + ": <status> " + status + " is not an HTTP status");
        }
        return new VerifyOptions.HttpProbe(name, http.port, path, status, timeout(http.timeoutSeconds, where));
    }

    private static Duration timeout(String value, String where) {
        if (value == null) {
            return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        }
        try {
            return DurationParameter.parse("probes", value, Duration.ofSeconds(1));
        } catch (ConfigException e) {
            throw new ConfigException(where + ": <timeoutSeconds> '" + value.strip() + "' must be at least 1s, in "
                    + DurationParameter.FORMS);
        }
    }

    /** Splits like a POSIX shell splits words (the same rule as a compose {@code command:} string). */
    static List<String> words(String text, String where) {
        try {
            return ShellWords.split(text);
        } catch (ShellWords.UnclosedQuote e) {
            throw new ConfigException(where + ": unterminated " + e.quote() + " quote in <command>");
        }
    }
}
