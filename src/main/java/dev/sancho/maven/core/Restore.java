package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.BackupDef;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.ExecResult;
import dev.sancho.maven.docker.StreamedFile;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code sancho:restore}: data and code back to the same moment. Under the deploy lock: the application stops (so
 * nothing writes), the backup is replayed into the infrastructure container by its restore command, then the deploy
 * that was current when the backup was taken starts again from its kept containers, health-gated like a rollback.
 * A restore that fails leaves the application stopped and says what state the database is in.
 */
public final class Restore {
    private Restore() {}

    /** @param backupId null: the newest proven backup */
    public record Options(String backupId, boolean dryRun, Backups.Options backups, Rollback.Options start) {}

    /** @param started the deploy started after the restore (null in a dry run) */
    public record Result(BackupRecord backup, String stopped, String started) {}

    public static Result run(DockerEngine engine, Stack stack, Options options, LockOptions lock, Log log) {
        Ownership.require(engine, stack, false, log);
        if (options.dryRun()) {
            return restore(engine, stack, options, log);
        }
        return Locked.run(engine, stack, lock, "deploy the stack first", log, () -> restore(engine, stack, options,
                log));
    }

    private static Result restore(DockerEngine engine, Stack stack, Options options, Log log) {
        List<BackupRecord> all = Backups.list(engine, stack, log);
        BackupRecord b = pick(stack, all, options.backupId());
        StackService s = stack.service(b.service()).filter(StackService::infra)
                .filter(x -> x.service().backup() != null).orElseThrow(() -> new ConfigException("backup " + b.id()
                        + " is of service " + b.service() + ", which the compose file no longer declares as"
                        + " infrastructure with x-sancho-backup: nothing to restore it into; nothing was changed"));
        BackupDef def = s.service().backup();
        ContainerInfo db = engine.findContainer(s.containerName()).filter(ContainerInfo::running)
                .orElseThrow(() -> new CheckFailedException("cannot restore backup " + b.id() + ": container "
                        + s.containerName() + " of service " + b.service() + " is not running (mvn sancho:deploy or"
                        + " sancho:recover brings it back); nothing was changed"));
        DeployHistory history = StateReader.history(engine, stack.project());
        Optional<DeployHistory.Deploy> current = history.current();
        String targetId = b.deployId() != null ? b.deployId() : current.map(DeployHistory.Deploy::id).orElse(null);
        DeployHistory.Deploy target = targetId == null ? null : history.find(targetId).orElseThrow(() ->
                new CheckFailedException("backup " + b.id() + " was taken while deploy " + b.deployId() + " was"
                        + " current, and that deploy is no longer kept, so data and code cannot go back together;"
                        + " nothing was changed (sancho.keep keeps more deploys)"));
        if (target != null && !target.missingServices().isEmpty()) {
            throw new CheckFailedException("deploy " + target.id() + " (current when backup " + b.id() + " was taken)"
                    + " is incomplete (no " + String.join(", ", target.missingServices()) + "); nothing was changed");
        }
        List<ContainerInfo> running = history.deploys().stream().flatMap(d -> d.containers().stream())
                .filter(ContainerInfo::running).toList();

        log.info("sancho:restore — project " + stack.project() + ": backup " + b.id() + " of " + b.service() + " ("
                + b.takenAt() + ", " + b.humanSize() + ", sha256 " + b.sha256().substring(0, 12) + ")");
        Table t = new Table();
        reversed(Rollback.ordered(stack, running)).forEach(c -> t.row("stop", c.name(), "application (deploy "
                + c.label(Labels.DEPLOY_ID) + "): nothing writes during the restore"));
        t.row("restore", db.name(), String.join(" ", def.restore()) + " < " + b.id() + ".dump");
        if (target != null) {
            t.row("start", "deploy " + target.id(), "its kept containers, health-gated (current when " + b.id()
                    + " was taken)");
        }
        t.lines().forEach(l -> log.info("  " + l));
        if (options.dryRun()) {
            log.info("Dry run: nothing changed.");
            return new Result(b, current.map(DeployHistory.Deploy::id).orElse(null), null);
        }

        for (ContainerInfo c : reversed(Rollback.ordered(stack, running))) {
            Duration grace = Rollback.stopTimeout(stack, c);
            log.info("  stopping " + c.name() + " (grace " + grace.toSeconds() + " s)");
            Executor.retire(engine, c.id(), grace);
            Executor.restoreAliases(engine, c.id(), log);
        }
        replay(engine, stack, s, def, db, b, options.backups(), log);
        if (target == null) {
            log.info("Restored " + b.id() + " into " + db.name() + "; no deploy was current when it was taken, so"
                    + " none is started");
            return new Result(b, current.map(DeployHistory.Deploy::id).orElse(null), null);
        }
        try {
            Rollback.rollback(engine, stack, new Rollback.Options(target.id(), false, options.start().healthTimeout(),
                    options.start().minReady(), options.start().drain(), options.start().maskedVariables(),
                    options.start().waits()), log);
        } catch (RuntimeException e) {
            throw new CheckFailedException("backup " + b.id() + " was restored into " + db.name() + ", but deploy "
                    + target.id() + " did not start: " + e.getMessage() + ". The application is stopped; fix the"
                    + " cause, then mvn sancho:rollback -Dsancho.rollbackTo=" + target.id() + " (or deploy)");
        }
        log.info("Restored: " + db.name() + " holds backup " + b.id() + " and deploy " + target.id() + " serves.");
        return new Result(b, current.map(DeployHistory.Deploy::id).orElse(null), target.id());
    }

    /** The dump into the database container (checked against its SHA-256), then the restore command reading it. */
    private static void replay(DockerEngine engine, Stack stack, StackService s, BackupDef def, ContainerInfo db,
            BackupRecord b, Backups.Options options, Log log) {
        SecretMask mask = SecretMask.of(stack, options.maskedVariables());
        String name = "sancho-restore-" + b.id() + ".dump";
        String file = "/tmp/" + name;
        String stopped = " The application is stopped (its containers are kept); ";
        try {
            StreamedFile copied;
            try {
                copied = Backups.withReader(engine, stack, log, reader -> engine.streamFile(reader, b.dumpFile(),
                        db.id(), "/tmp", name));
            } catch (DockerOperationException e) {
                throw new CheckFailedException("restore of " + b.id() + " failed before it touched the database:"
                        + " the dump could not be copied into " + db.name() + " (" + mask.apply(e.getMessage())
                        + ")." + stopped + "the database is unchanged: fix the cause and run sancho:restore again,"
                        + " or mvn sancho:rollback to start the application on the data as it is");
            }
            if (!copied.sha256().equals(b.sha256())) {
                throw new CheckFailedException("restore of " + b.id() + " refused: its file's SHA-256 is "
                        + copied.sha256().substring(0, 12) + ", recorded " + b.sha256().substring(0, 12)
                        + " (the file changed since it was proven)." + stopped + "the database is unchanged:"
                        + " restore another backup (mvn sancho:backups lists them), or mvn sancho:rollback");
            }
            log.info("  restoring " + b.id() + " (" + b.humanSize() + ") into " + db.name());
            ExecResult r = engine.exec(db.id(), Backups.redirectIn(file, def.restore()), options.timeout());
            if (r.exitCode() != 0) {
                throw new CheckFailedException("restore of " + b.id() + " into " + db.name() + " failed: "
                        + def.restore().get(0) + " " + Backups.outcome(r, options.timeout())
                        + Backups.lastLine(mask, r) + "." + stopped + (def.atomicRestore()
                                ? "the database is unchanged (the restore runs in one transaction)"
                                : "the database may be partly restored")
                        + ": fix the cause and run mvn sancho:restore -Dsancho.backup=" + b.id() + " again, or"
                        + " mvn sancho:rollback to start the application on the data as it is");
            }
        } finally {
            Backups.removeQuietly(engine, db.id(), file);
        }
    }

    private static List<ContainerInfo> reversed(List<ContainerInfo> list) {
        List<ContainerInfo> r = new java.util.ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }

    private static BackupRecord pick(Stack stack, List<BackupRecord> all, String id) {
        if (id == null || id.isBlank()) {
            return all.stream().findFirst().orElseThrow(() -> new ConfigException("project " + stack.project()
                    + " has no proven backup (volume " + Backups.volumeName(stack.project()) + "); mvn sancho:backup"
                    + " takes one; nothing was changed"));
        }
        return all.stream().filter(r -> r.id().equals(id.strip())).findFirst().orElseThrow(() ->
                new ConfigException("sancho.backup=" + id + ": no proven backup has this id (" + (all.isEmpty()
                        ? "there is none" : "newest: " + all.stream().limit(5).map(BackupRecord::id)
                                .collect(Collectors.joining(", "))) + "; mvn sancho:backups lists them); nothing was"
                        + " changed"));
    }
}
