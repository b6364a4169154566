package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What a stack is deployed onto, chosen once from {@code sancho.target}: the port every engine goal goes through.
 * Two implementations: {@link EngineTarget} (containers on one Docker engine) and {@code swarm.SwarmTarget} (services
 * on a Swarm). A target honours every parameter a goal hands it or refuses it in one line naming the parameter, and
 * refuses a goal it has no meaning for in one line naming the goal ({@link #requireGoal}, before anything connects).
 */
public interface Target {

    /** The value of {@code sancho.target} that chose it. */
    String name();

    /**
     * Whether the compose file is read with the swarm's rules ({@code deploy:} keys apply to services). A value the
     * compose layer takes as a boolean today.
     */
    boolean readsComposeForSwarm();

    /** Fails in one line, before anything connects, when this target cannot run the goal ({@code build}, ...). */
    void requireGoal(String goal);

    /** {@code sancho:deploy}: its steps, under the deploy lock; a dry run prints them and changes nothing. */
    DeployRun.Result deploy(DockerEngine engine, DeployRun.Request request, Log log);

    /** {@code sancho:verify}: the report, logged as a table; the caller decides what a failed check means. */
    Verifier.Report verify(DockerEngine engine, Stack stack, VerifyOptions options, Log log);

    /** {@code sancho:rollback}: to {@code options.targetId()}, else the newest kept deploy older than the current. */
    Rollback.Result rollback(DockerEngine engine, Stack stack, Rollback.Options options, LockOptions lock, Log log);

    /** {@code sancho:recover}: the infrastructure recreated, empty when every piece exists. */
    List<String> recover(DockerEngine engine, Stack stack, Recovery.Options options, Log log);

    /**
     * {@code sancho:upgrade}: applies infrastructure drift on purpose, reverts or confirms an upgrade, under the deploy
     * lock; a dry run prints the plan.
     */
    Upgrade.Result upgrade(DockerEngine engine, Stack stack, Upgrade.Options options, LockOptions lock, Log log);

    /** {@code sancho:status}: the lines to print (a warning about the engine goes to the log). */
    List<String> status(DockerEngine engine, Stack stack, Log log);

    /** Who holds the project's deploy lock, if anyone. */
    Optional<DeployLock.Holder> lockHolder(DockerEngine engine, String project);

    /** {@code sancho:unlock}: releases the lock by hand; the holder it had. */
    Optional<DeployLock.Holder> unlock(DockerEngine engine, String project, String identity);

    /** {@code sancho:pre-deploy-cleanup}. */
    PreDeployCleanup.Result preDeployCleanup(DockerEngine engine, Stack stack, int keep, LockOptions lock, boolean dryRun, Log log);

    /**
     * {@code sancho:backup}: one proven backup of each named service (empty: every service with
     * {@code x-sancho-backup}), under the deploy lock, each copied to a local file when {@code copy} says so (null:
     * none), or only an existing one copied; a dry run prints what it would do and returns none.
     */
    Backups.Result backup(DockerEngine engine, Stack stack, List<String> services, Backups.Options options,
            LockOptions lock, BackupCopy.Request copy, boolean dryRun, Log log);

    /** {@code sancho:backups}: the proven backups, newest first. */
    List<BackupRecord> backups(DockerEngine engine, Stack stack, Log log);

    /** {@code sancho:restore}: a backup back into its service, with the deploy that was current when it was taken. */
    Restore.Result restore(DockerEngine engine, Stack stack, Restore.Options options, LockOptions lock, Log log);

    /**
     * Appends a goal's record ({@link AuditTrail#record}) to the project's audit trail, adding what the target knows
     * (the images a deploy or rollback put in service); warns, never fails, when it cannot.
     */
    void audit(DockerEngine engine, String project, String identity, Map<String, Object> record,
            UnaryOperator<String> scrub, Log log);

    /** Where the project's audit trail is kept, for the history's header ({@code volume shop_sancho_audit}). */
    String auditStore(String project);

    /** {@code sancho:history}: the project's audit trail, newest first. */
    List<Map<String, Object>> history(DockerEngine engine, String project, String identity, Log log);

    /** {@code sancho:logs}: the current deploy's log lines, each prefixed, scrubbed, handed to {@code out}. */
    void logs(DockerEngine engine, Stack stack, Logs.Options options, UnaryOperator<String> scrub,
            Consumer<String> out, Log log);

    /** {@code sancho:build} and {@code sancho:push}: the stack with the built (or pushed) references. */
    Stack build(DockerEngine engine, Stack stack, Map<String, String> processEnv, Collection<String> masked,
            boolean push, boolean dryRun, Log log);
}
