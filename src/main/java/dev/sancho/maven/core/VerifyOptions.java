package dev.sancho.maven.core;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Verifier} checks beyond what the compose file implies.
 *
 * @param expectedDeployId the deploy that must be current (the deploy goal passes its own id); null = whichever runs
 * @param checkBindSources false when the engine is remote: bind sources then live on the engine's host, not here
 * @param probes           user-configured exec and HTTP probes, run after the built-in checks
 * @param maskedVariables  more variable names whose values probe output hides ({@code sancho.maskedVariables})
 * @param backupMaxAge     when set, each infrastructure service with {@code x-sancho-backup} must have a proven
 *                         backup at most this old ({@code sancho.backupMaxAge}); null = backups are not checked
 */
public record VerifyOptions(String expectedDeployId, boolean checkBindSources, List<Probe> probes,
        List<String> maskedVariables, Duration backupMaxAge) {

    public VerifyOptions {
        probes = probes == null ? List.of() : List.copyOf(probes);
        maskedVariables = maskedVariables == null ? List.of() : List.copyOf(maskedVariables);
    }

    public VerifyOptions(String expectedDeployId, boolean checkBindSources, List<Probe> probes,
            List<String> maskedVariables) {
        this(expectedDeployId, checkBindSources, probes, maskedVariables, null);
    }

    public VerifyOptions(String expectedDeployId, boolean checkBindSources, List<Probe> probes) {
        this(expectedDeployId, checkBindSources, probes, List.of());
    }

    /** The same checks, with {@code deployId} as the deploy that must be current (a deploy's own verify step). */
    public VerifyOptions expecting(String deployId) {
        return new VerifyOptions(deployId, checkBindSources, probes, maskedVariables, backupMaxAge);
    }

    public static VerifyOptions defaults() {
        return new VerifyOptions(null, true, List.of());
    }

    public sealed interface Probe permits ExecProbe, HttpProbe {
        /** What the table shows in its subject column. */
        String label();
    }

    /**
     * Runs {@code command} (exec form, no shell) in the service's container; passes on exit code 0.
     *
     * @param service a compose service: infrastructure by its fixed name, an app service in the current deploy
     */
    public record ExecProbe(String name, String service, List<String> command, Duration timeout) implements Probe {
        public ExecProbe {
            command = List.copyOf(command);
        }

        @Override
        public String label() {
            return name != null ? name : service + ": " + String.join(" ", command);
        }
    }

    /** GET {@code http://127.0.0.1:port path}; passes when the answer has {@code status}. Redirects are not followed. */
    public record HttpProbe(String name, int port, String path, int status, Duration timeout) implements Probe {
        @Override
        public String label() {
            return name != null ? name : "GET 127.0.0.1:" + port + path;
        }
    }
}
