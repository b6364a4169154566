package dev.sancho.maven.swarm;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.core.DeployLock;
import dev.sancho.maven.core.DeployRun;
import dev.sancho.maven.core.LockOptions;
import dev.sancho.maven.core.PreDeployCleanup;
import dev.sancho.maven.core.Logs;
import dev.sancho.maven.core.ProxyWaits;
import dev.sancho.maven.core.Recovery;
import dev.sancho.maven.core.Rollback;
import dev.sancho.maven.core.Target;
import dev.sancho.maven.core.Upgrade;
import dev.sancho.maven.core.Verifier;
import dev.sancho.maven.core.VerifyOptions;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code <target>swarm</target>}: the stack as services on a Swarm, through the manager sancho talks to. The swarm's
 * rolling update is the cutover, so the parameters of sancho's own cutover (minReadySeconds, drainSeconds, proxy,
 * proxyResolveInterval) are refused at any value but their default, as are the goals that have nothing to do on a
 * swarm; every other parameter is honoured.
 */
public final class SwarmTarget implements Target {
    public static final SwarmTarget INSTANCE = new SwarmTarget();

    private SwarmTarget() {}

    @Override
    public String name() {
        return "swarm";
    }

    @Override
    public boolean readsComposeForSwarm() {
        return true;
    }

    @Override
    public void requireGoal(String goal) {
        String why = switch (goal) {
            case "build", "push" -> ": on a swarm sancho:deploy -Dsancho.push builds and pushes the images itself, so"
                    + " every node can pull them; an image built on the manager alone reaches no other node";
            case "pre-deploy-cleanup" -> ": on a swarm there is nothing for it to remove (the swarm replaces and"
                    + " prunes old tasks itself, and each sancho:deploy removes its deploy records beyond keep);"
                    + " leave this goal out of a swarm build";
            case "upgrade" -> ": a swarm replaces an infrastructure service's task itself when its spec changes;"
                    + " sancho reports the drift and never updates it (see the Swarm page)";
            case "backup", "backups", "restore" -> ": backups and restores work through one engine's containers"
                    + " (exec into the database's container); on a swarm back up with the database's own tools";
            default -> null;
        };
        if (why != null) {
            throw new ConfigException("sancho:" + goal + " does not support <target>swarm</target> (sancho.target)"
                    + why);
        }
    }

    @Override
    public DeployRun.Result deploy(DockerEngine engine, DeployRun.Request r, Log log) {
        List<String> refused = unhonoured(r.options().minReady(), r.waits());
        if (!r.steps().build()) {
            refused.add("parameter skipBuild (sancho.skipBuild): on a swarm sancho:deploy -Dsancho.push builds and"
                    + " pushes the images itself (sancho:build is refused there)");
        }
        if (r.createExternalVolumes()) {
            refused.add("parameter createExternalVolumes (sancho.createExternalVolumes): on a swarm a missing external"
                    + " volume must be created on the node its service is pinned to (docker volume create there)");
        }
        if (r.backup() != dev.sancho.maven.core.BackupMode.AUTO) {
            refused.add("parameter backup (sancho.backup): a swarm deploy takes no backups (x-sancho-backup works on"
                    + " one engine)");
        }
        refuse(refused);
        if (!dev.sancho.maven.core.Backups.defined(r.declared()).isEmpty() && !r.declared().jobs().isEmpty()) {
            log.warn("x-sancho-backup is not applied on a swarm: no backup is taken before the one-shot jobs "
                    + String.join(", ", r.declared().jobs()));
        }
        VerifyOptions verify = r.steps().verify() ? new VerifyOptions(null, false, r.probes(),
                List.copyOf(r.maskedVariables())) : null;
        SwarmDeployRun.Result done = SwarmDeployRun.run(engine, new SwarmDeployRun.Request(r.declared(),
                r.options().keep(), r.options().healthTimeout(), r.lock(), r.push(), r.dryRun(), r.processEnv(),
                r.maskedVariables(), verify, r.steps().ensureVolume() ? r.pomVolumes() : List.of()), log);
        List<DeployRun.Taken> taken = new ArrayList<>();
        done.created().forEach(n -> taken.add(new DeployRun.Taken("create-service", n)));
        done.updated().forEach(n -> taken.add(new DeployRun.Taken("update-service", n)));
        done.adopted().forEach(n -> taken.add(new DeployRun.Taken("adopt-service", n)));
        return new DeployRun.Result(done.deployId(), null, taken, done.timeline());
    }

    @Override
    public Verifier.Report verify(DockerEngine engine, Stack stack, VerifyOptions options, Log log) {
        if (options.backupMaxAge() != null) {
            refuse(List.of("parameter backupMaxAge (sancho.backupMaxAge): a swarm has no backups (x-sancho-backup"
                    + " works on one engine)"));
        }
        return SwarmVerify.verify(engine, stack, options, log);
    }

    @Override
    public Rollback.Result rollback(DockerEngine engine, Stack stack, Rollback.Options options, LockOptions lock,
            Log log) {
        refuse(unhonoured(options.minReady(), options.waits()));
        return SwarmRollback.run(engine, stack, options.targetId(), lock, options.healthTimeout(), options.dryRun(), log);
    }

    @Override
    public List<String> recover(DockerEngine engine, Stack stack, Recovery.Options options, Log log) {
        List<String> refused = unhonoured(options.minReady(), ProxyWaits.DEFAULT);
        if (options.allowEmptyCertificates()) {
            refused.add("parameter allowEmptyCertificates (sancho.allowEmptyCertificates): on a swarm sancho:recover"
                    + " does not check a proxy's certificate store, so there is no refusal for it to lift");
        }
        refuse(refused);
        return SwarmRecovery.recover(engine, stack, options, log);
    }

    @Override
    public Upgrade.Result upgrade(DockerEngine engine, Stack stack, Upgrade.Options options, LockOptions lock,
            Log log) {
        requireGoal("upgrade");
        throw new IllegalStateException("unreachable");
    }

    @Override
    public List<String> status(DockerEngine engine, Stack stack, Log log) {
        return SwarmStatus.render(engine, stack);
    }

    @Override
    public Optional<DeployLock.Holder> lockHolder(DockerEngine engine, String project) {
        return SwarmLock.holder(engine.swarm(), project);
    }

    @Override
    public Optional<DeployLock.Holder> unlock(DockerEngine engine, String project, String identity) {
        return SwarmLock.forceRelease(engine.swarm(), project, identity);
    }

    @Override
    public PreDeployCleanup.Result preDeployCleanup(DockerEngine engine, Stack stack, int keep, LockOptions lock,
            boolean dryRun, Log log) {
        requireGoal("pre-deploy-cleanup");
        throw new IllegalStateException("requireGoal refuses pre-deploy-cleanup on a swarm");
    }

    @Override
    public dev.sancho.maven.core.Backups.Result backup(DockerEngine engine, Stack stack, List<String> services,
            dev.sancho.maven.core.Backups.Options options, LockOptions lock, dev.sancho.maven.core.BackupCopy.Request copy,
            boolean dryRun, Log log) {
        requireGoal("backup");
        throw new IllegalStateException("requireGoal refuses backup on a swarm");
    }

    @Override
    public List<dev.sancho.maven.core.BackupRecord> backups(DockerEngine engine, Stack stack, Log log) {
        requireGoal("backups");
        return List.of();
    }

    @Override
    public dev.sancho.maven.core.Restore.Result restore(DockerEngine engine, Stack stack,
            dev.sancho.maven.core.Restore.Options options, LockOptions lock, Log log) {
        requireGoal("restore");
        return null;
    }

    /** As on one engine, in swarm configs every manager sees ({@link SwarmAudit}). */
    @Override
    public void audit(DockerEngine engine, String project, String identity, Map<String, Object> record,
            UnaryOperator<String> scrub, Log log) {
        Object outcome = record.get("outcome");
        if (("deployed".equals(outcome) || "rolled-back".equals(outcome)) && record.get("deployId") != null) {
            try {
                record.put("images", SwarmAudit.images(engine.swarm(), project, (String) record.get("deployId")));
            } catch (RuntimeException e) {
                log.debug("audit: images of deploy " + record.get("deployId") + " not read: " + e.getMessage());
            }
        }
        SwarmAudit.append(engine.swarm(), project, identity, record, scrub, log);
    }

    @Override
    public List<Map<String, Object>> history(DockerEngine engine, String project, String identity, Log log) {
        return SwarmAudit.read(engine.swarm(), project, identity, log);
    }

    @Override
    public String auditStore(String project) {
        return "swarm configs " + SwarmAudit.name(project, 1).replaceFirst("1$", "<n>");
    }

    @Override
    public void logs(DockerEngine engine, Stack stack, Logs.Options options, UnaryOperator<String> scrub,
            Consumer<String> out, Log log) {
        SwarmLogs.run(engine, stack, options, scrub, out, log);
    }

    @Override
    public Stack build(DockerEngine engine, Stack stack, Map<String, String> processEnv, Collection<String> masked,
            boolean push, boolean dryRun, Log log) {
        requireGoal(push ? "push" : "build");
        return stack;
    }

    /** The readiness and cutover parameters set to anything but their default: the swarm's update does that job. */
    static List<String> unhonoured(Duration minReady, ProxyWaits waits) {
        List<String> out = new ArrayList<>();
        if (!ProxyWaits.DEFAULT_MIN_READY.equals(minReady)) {
            out.add("parameter minReadySeconds (sancho.minReadySeconds): on a swarm a task is ready when its"
                    + " healthcheck passes (give the image or the compose service a healthcheck)");
        }
        if (waits.proxy() != ProxyWaits.DEFAULT.proxy()) {
            out.add("parameter proxy (sancho.proxy): on a swarm the tasks are replaced by the swarm's rolling update"
                    + " (deploy.update_config), which sancho does not time for a proxy");
        }
        if (!ProxyWaits.DEFAULT.resolveInterval().equals(waits.resolveInterval())) {
            out.add("parameter proxyResolveInterval (sancho.proxyResolveInterval): on a swarm the swarm's rolling"
                    + " update replaces the tasks (deploy.update_config.delay spaces them)");
        }
        if (!ProxyWaits.DEFAULT.maxDrain().equals(waits.maxDrain())) {
            out.add("parameter drainSeconds (sancho.drainSeconds): on a swarm the swarm stops a replaced task"
                    + " (deploy.stop_grace_period bounds its shutdown)");
        }
        return out;
    }

    private static void refuse(List<String> refused) {
        if (!refused.isEmpty()) {
            throw new ConfigException(String.join("; ", refused) + " — not honoured with <target>swarm</target>"
                    + " (sancho.target): leave it at its default; nothing was changed");
        }
    }
}
