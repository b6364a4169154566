package dev.sancho.maven.mojo;

import dev.sancho.maven.core.ProxyWaits;
import dev.sancho.maven.core.Restore;
import dev.sancho.maven.core.Rollback;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Restores a proven backup (default: the newest) into its service's container and brings back the deploy that was
 * current when it was taken: under the deploy lock, the application stops (nothing writes during the restore), the
 * restore command replays the dump, then that deploy's kept containers start, health-gated. A restore that fails
 * leaves the application stopped and says what state the database is in. {@code -Dsancho.dryRun} prints the plan.
 */
@Mojo(name = "restore", threadSafe = true)
public class RestoreMojo extends AbstractLockingMojo {

    /** The backup to restore, as {@code sancho:backups} lists it (e.g. {@code db-20261207-151200-123}); default: the newest. */
    @Parameter(property = "sancho.backup")
    protected String backup;

    /** How long the restore command may run (seconds or a duration, e.g. {@code 2h}). */
    @Parameter(property = "sancho.backupTimeout", defaultValue = "2h")
    protected String backupTimeout;

    /** How long the restored deploy may take to become healthy (seconds or a duration). */
    @Parameter(property = "sancho.healthTimeout", defaultValue = Readiness.HEALTH_TIMEOUT)
    protected String healthTimeout;

    /** Without a healthcheck: how long a container must stay running to count as ready (seconds or a duration). */
    @Parameter(property = "sancho.minReadySeconds", defaultValue = Readiness.MIN_READY)
    protected String minReadySeconds;

    @Override
    protected void run() {
        validateLocking();
        Duration timeout = duration("backupTimeout", backupTimeout, Duration.ofSeconds(1));
        Rollback.Options start = new Rollback.Options(null, false, Readiness.healthTimeout(healthTimeout),
                Readiness.minReady(minReadySeconds), Duration.ZERO, maskedVariables(), ProxyWaits.DEFAULT);
        Restore.Options options = new Restore.Options(backup, dryRun, new dev.sancho.maven.core.Backups.Options(
                timeout, dev.sancho.maven.core.Backups.Options.DEFAULTS.readyTimeout(), maskedVariables()), start);
        Stack stack = loadStack();
        try (DockerEngine engine = connect()) {
            Restore.Result r;
            try {
                r = target().restore(engine, stack, options, lockOptions(), log());
            } catch (RuntimeException e) {
                writeResult(result(target().name(), stack.project(), "failed", backup, null, null, e.getMessage()));
                throw e;
            }
            writeResult(result(target().name(), stack.project(), dryRun ? "dry-run" : "restored", r.backup().id(),
                    r.stopped(), r.started(), null));
        }
    }

    private static Map<String, Object> result(String target, String project, String outcome, String backup,
            String stopped, String started, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("goal", "restore");
        m.put("target", target);
        m.put("project", project);
        m.put("outcome", outcome);
        m.put("backup", backup);
        m.put("stopped", stopped);
        m.put("started", started);
        m.put("error", error);
        return m;
    }
}
