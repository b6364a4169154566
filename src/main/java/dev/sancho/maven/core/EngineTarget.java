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

/** {@code <target>engine</target>}: the stack as containers on one Docker engine (the default). */
public final class EngineTarget implements Target {
    public static final EngineTarget INSTANCE = new EngineTarget();

    private EngineTarget() {}

    @Override
    public String name() {
        return "engine";
    }

    @Override
    public boolean readsComposeForSwarm() {
        return false;
    }

    @Override
    public void requireGoal(String goal) {
        // every goal runs on one engine
    }

    @Override
    public DeployRun.Result deploy(DockerEngine engine, DeployRun.Request request, Log log) {
        return DeployRun.run(engine, request, log);
    }

    @Override
    public Verifier.Report verify(DockerEngine engine, Stack stack, VerifyOptions options, Log log) {
        Ownership.require(engine, stack, false, log);
        return Verifier.verify(engine, stack, options, log);
    }

    @Override
    public Rollback.Result rollback(DockerEngine engine, Stack stack, Rollback.Options options, LockOptions lock,
            Log log) {
        return Rollback.run(engine, stack, options, lock, log);
    }

    @Override
    public List<String> recover(DockerEngine engine, Stack stack, Recovery.Options options, Log log) {
        return Recovery.recover(engine, stack, options, log);
    }

    @Override
    public Upgrade.Result upgrade(DockerEngine engine, Stack stack, Upgrade.Options options, LockOptions lock,
            Log log) {
        return Upgrade.run(engine, stack, options, lock, log);
    }

    @Override
    public List<String> status(DockerEngine engine, Stack stack, Log log) {
        Ownership.foreign(engine, stack).ifPresent(log::warn); // read-only: said, then shown as it is
        return Status.render(engine, stack);
    }

    @Override
    public Optional<DeployLock.Holder> lockHolder(DockerEngine engine, String project) {
        return DeployLock.holder(engine, project);
    }

    @Override
    public Optional<DeployLock.Holder> unlock(DockerEngine engine, String project, String identity) {
        return DeployLock.forceRelease(engine, project, identity);
    }

    @Override
    public PreDeployCleanup.Result preDeployCleanup(DockerEngine engine, Stack stack, int keep, LockOptions lock,
            boolean dryRun, Log log) {
        return PreDeployCleanup.run(engine, stack, keep, lock, dryRun, log);
    }

    @Override
    public Backups.Result backup(DockerEngine engine, Stack stack, List<String> services,
            Backups.Options options, LockOptions lock, BackupCopy.Request copy, boolean dryRun, Log log) {
        return Backups.run(engine, stack, services, options, lock, copy, dryRun, log);
    }

    @Override
    public List<BackupRecord> backups(DockerEngine engine, Stack stack, Log log) {
        Ownership.foreign(engine, stack).ifPresent(log::warn);
        return Backups.list(engine, stack, log);
    }

    @Override
    public Restore.Result restore(DockerEngine engine, Stack stack, Restore.Options options, LockOptions lock,
            Log log) {
        return Restore.run(engine, stack, options, lock, log);
    }

    @Override
    public void audit(DockerEngine engine, String project, String identity, Map<String, Object> record,
            UnaryOperator<String> scrub, Log log) {
        Object outcome = record.get("outcome");
        if (("deployed".equals(outcome) || "rolled-back".equals(outcome)) && record.get("deployId") != null) {
            try {
                record.put("images", AuditTrail.images(engine, project, identity, (String) record.get("deployId")));
            } catch (RuntimeException e) {
                log.debug("audit: images of deploy " + record.get("deployId") + " not read: " + e.getMessage());
            }
        }
        AuditTrail.append(engine, project, identity, record, scrub, log);
    }

    @Override
    public String auditStore(String project) {
        return "volume " + AuditTrail.volumeName(project);
    }

    @Override
    public List<Map<String, Object>> history(DockerEngine engine, String project, String identity, Log log) {
        return AuditTrail.read(engine, project, identity, log);
    }

    @Override
    public void logs(DockerEngine engine, Stack stack, Logs.Options options, UnaryOperator<String> scrub,
            Consumer<String> out, Log log) {
        Logs.run(engine, stack, options, scrub, out, log);
    }

    @Override
    public Stack build(DockerEngine engine, Stack stack, Map<String, String> processEnv, Collection<String> masked,
            boolean push, boolean dryRun, Log log) {
        return ImageBuilder.build(engine, stack, processEnv, masked, false, push, dryRun, log);
    }
}
