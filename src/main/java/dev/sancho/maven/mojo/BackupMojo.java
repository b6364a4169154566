package dev.sancho.maven.mojo;

import dev.sancho.maven.core.BackupRecord;
import dev.sancho.maven.core.Backups;
import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Takes a backup now of each infrastructure service with {@code x-sancho-backup} (or of those named by
 * {@code sancho.services}): the dump runs in the service's container, is stored in the volume
 * {@code <project>_backups} on the engine's host, and counts only once restored into a throwaway copy of the
 * database and checked. Keeps the newest {@code keep} per service. Runs under the deploy lock.
 */
@Mojo(name = "backup", threadSafe = true)
public class BackupMojo extends AbstractLockingMojo {

    /** The services to back up, comma-separated (e.g. {@code db}); default: every one with {@code x-sancho-backup}. */
    @Parameter(property = "sancho.services")
    protected String services;

    /**
     * How long one dump, one restore into the throwaway copy or one check may run (seconds or a duration, e.g.
     * {@code 2h}).
     */
    @Parameter(property = "sancho.backupTimeout", defaultValue = "2h")
    protected String backupTimeout;

    @Override
    protected void run() {
        validateLocking();
        Backups.Options options = options(backupTimeout);
        List<String> names = services == null || services.isBlank() ? List.of()
                : Arrays.stream(services.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        Stack stack = loadStack();
        try (DockerEngine engine = connect()) {
            List<BackupRecord> taken;
            try {
                taken = target().backup(engine, stack, names, options, lockOptions(), dryRun, log());
            } catch (RuntimeException e) {
                writeResult(BackupsMojo.result("backup", target().name(), stack.project(), "failed", List.of(),
                        e.getMessage()));
                throw e;
            }
            writeResult(BackupsMojo.result("backup", target().name(), stack.project(), dryRun ? "dry-run" : "proven",
                    taken, null));
        }
    }

    Backups.Options options(String timeout) {
        return new Backups.Options(duration("backupTimeout", timeout, java.time.Duration.ofSeconds(1)),
                Backups.Options.DEFAULTS.readyTimeout(), new ArrayList<>(maskedVariables()));
    }
}
