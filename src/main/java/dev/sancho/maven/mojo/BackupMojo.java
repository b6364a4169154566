package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.core.BackupCopy;
import dev.sancho.maven.core.Backups;
import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

    /**
     * Also copies each backup taken to this machine, for off-site storage: a directory (an existing one, or a path
     * ending in {@code /}) receives {@code <id>.dump}, any other path is the file to write; a relative path is taken
     * from the project's directory. Read through the engine
     * (so over {@code ssh://} too), streamed, its SHA-256 checked against the record, written under a temporary name
     * and renamed; an existing file is never replaced. With {@code sancho.backup}, copies that existing backup instead
     * of taking one.
     */
    @Parameter(property = "sancho.backupCopyTo")
    protected String backupCopyTo;

    /**
     * The id of an existing proven backup ({@code sancho:backups} lists them) to copy with {@code sancho.backupCopyTo}
     * instead of taking a new one.
     */
    @Parameter(property = "sancho.backup")
    protected String backup;

    @Override
    protected void run() {
        validateLocking();
        Backups.Options options = options(backupTimeout);
        List<String> names = services == null || services.isBlank() ? List.of()
                : Arrays.stream(services.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        boolean copying = backupCopyTo != null && !backupCopyTo.isBlank();
        if (!copying && backup != null && !backup.isBlank()) {
            throw new ConfigException("parameter backup (sancho.backup=" + backup.strip() + ") names a backup to"
                    + " copy, but sancho.backupCopyTo is not set: add -Dsancho.backupCopyTo=DIR/ to copy it, or leave"
                    + " sancho.backup out to take a new one; nothing was changed");
        }
        BackupCopy.Request copy = copying ? BackupCopy.Request.of(basedir(), backupCopyTo, backup) : null;
        Stack stack = loadStack();
        try (DockerEngine engine = connect()) {
            Backups.Result done;
            try {
                done = target().backup(engine, stack, names, options, lockOptions(), copy, dryRun, log());
            } catch (RuntimeException e) {
                writeResult(BackupsMojo.result("backup", target().name(), stack.project(), "failed", List.of(),
                        e.getMessage()));
                throw e;
            }
            Map<String, Object> result = BackupsMojo.result("backup", target().name(), stack.project(),
                    dryRun ? "dry-run" : done.taken() ? "proven" : "copied", done.backups(), null);
            result.put("copies", done.copies().stream().map(Object::toString).toList());
            writeResult(result);
        }
    }

    Backups.Options options(String timeout) {
        return new Backups.Options(duration("backupTimeout", timeout, java.time.Duration.ofSeconds(1)),
                Backups.Options.DEFAULTS.readyTimeout(), new ArrayList<>(maskedVariables()));
    }
}
