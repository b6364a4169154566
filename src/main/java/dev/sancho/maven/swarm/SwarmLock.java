package dev.sancho.maven.swarm;

import dev.sancho.maven.core.DeployLock;
import dev.sancho.maven.core.LockOptions;
import dev.sancho.maven.core.Time;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.NameConflictException;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.plan.Labels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The deploy lock of one project on a swarm: a swarm config named {@code sancho-lock-<project>}. Creating a config
 * whose name is taken fails atomically in the swarm's raft store, on every manager alike: that is the mutual
 * exclusion. Labels and data record the holder and the project's identity (a lock of another identity of the same
 * name is refused, not waited for). A config has no liveness: a lock is broken only when older than
 * {@code staleAfter} (a killed swarm deploy leaves its lock until then, or {@code sancho:unlock}).
 */
final class SwarmLock implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);

    private final SwarmEngine swarm;
    private final String id;
    private final dev.sancho.maven.common.ShutdownHooks.Registration hook;
    private boolean released;

    private SwarmLock(SwarmEngine swarm, String id) {
        this.swarm = swarm;
        this.id = id;
        this.hook = dev.sancho.maven.common.ShutdownHooks.register(
                dev.sancho.maven.common.ShutdownHooks.Stage.RELEASE_LOCKS, this::releaseQuietly);
    }

    static String name(String project) {
        return "sancho-lock-" + project;
    }

    static SwarmLock acquire(SwarmEngine swarm, String project, LockOptions opts, Log log) {
        return acquire(swarm, project, null, opts, log);
    }

    /** @param identity the project's identity ({@code sancho.identity}); null when unknown */
    static SwarmLock acquire(SwarmEngine swarm, String project, String identity, LockOptions opts, Log log) {
        String name = name(project);
        long deadline = Time.nanoTime() + opts.timeout().toNanos();
        while (true) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(Labels.PROJECT, project);
            if (identity != null) {
                labels.put(Labels.IDENTITY, identity);
            }
            labels.put(Labels.ROLE, Labels.ROLE_LOCK);
            labels.put(Labels.LOCK_HOLDER, System.getProperty("user.name", "unknown"));
            labels.put(Labels.LOCK_HOST, DeployLock.thisHost());
            labels.put(Labels.LOCK_PID, String.valueOf(ProcessHandle.current().pid()));
            labels.put(Labels.LOCK_SINCE, Instant.now().toString());
            String data = labels.get(Labels.LOCK_HOLDER) + "@" + labels.get(Labels.LOCK_HOST) + " pid "
                    + labels.get(Labels.LOCK_PID) + " since " + labels.get(Labels.LOCK_SINCE) + "\n";
            try {
                String id = swarm.createConfig(name, labels, data.getBytes(StandardCharsets.UTF_8));
                log.debug("swarm deploy lock " + name + " taken (" + id + ")");
                return new SwarmLock(swarm, id);
            } catch (NameConflictException taken) {
                Optional<SwarmInfos.Config> found = swarm.findConfig(name);
                if (found.isEmpty()) {
                    if (Time.nanoTime() > deadline) {
                        throw new CheckFailedException("the swarm refuses the config name " + name + " (taken)"
                                + " although no config has it; waited " + opts.timeout().toSeconds() + " s");
                    }
                    Time.sleep(POLL, "the swarm deploy lock");
                    continue;
                }
                String owner = found.get().labels().get(Labels.IDENTITY);
                if (!dev.sancho.maven.plan.ProjectIdentity.belongs(owner, identity)) {
                    throw new dev.sancho.maven.common.ConfigException("the swarm deploy lock " + name + " is held by a"
                            + " deploy of another project of the same name (" + Labels.IDENTITY + "=" + owner
                            + ", this build is " + identity + "): give this project its own name (name: in the"
                            + " compose file or -Dsancho.project)");
                }
                DeployLock.Holder h = holder(found.get());
                Optional<String> stale = staleReason(h, opts.staleAfter(), Instant.now());
                if (stale.isPresent()) {
                    log.warn("Breaking the swarm deploy lock held by " + h.describe(Instant.now()) + ": "
                            + stale.get());
                    swarm.removeConfig(found.get().id());
                    continue;
                }
                if (Time.nanoTime() > deadline) {
                    throw new CheckFailedException("the swarm deploy lock of project " + project + " (config " + name
                            + ") is held by " + h.describe(Instant.now()) + "; waited " + opts.timeout().toSeconds()
                            + " s (sancho.lockTimeout)");
                }
                Time.sleep(POLL, "the swarm deploy lock");
            }
        }
    }

    /** A swarm lock older than {@code staleAfter} is broken; its creation time is the swarm manager's. */
    static Optional<String> staleReason(DeployLock.Holder h, Duration staleAfter, Instant now) {
        if (h.since() != null && Duration.between(h.since(), now).compareTo(staleAfter) > 0) {
            return Optional.of("it is older than " + staleAfter.toMinutes() + " min (sancho.staleLockAfter)");
        }
        return Optional.empty();
    }

    /** Who holds the project's swarm deploy lock, if anyone ({@code sancho:unlock -Dsancho.dryRun}). */
    static Optional<DeployLock.Holder> holder(SwarmEngine swarm, String project) {
        return lockConfig(swarm, project).map(SwarmLock::holder);
    }

    /** Releases the project's swarm deploy lock whoever holds it ({@code sancho:unlock}); returns who held it. */
    static Optional<DeployLock.Holder> forceRelease(SwarmEngine swarm, String project) {
        return forceRelease(swarm, project, null);
    }

    /**
     * As on one engine ({@code DeployLock.forceRelease}): with the build's identity known, a lock of another identity
     * of the same name is refused in one line, untouched; given only the project's name, any identity is released.
     */
    static Optional<DeployLock.Holder> forceRelease(SwarmEngine swarm, String project, String identity) {
        Optional<SwarmInfos.Config> found = lockConfig(swarm, project);
        found.ifPresent(c -> {
            String owner = c.labels().get(Labels.IDENTITY);
            if (identity != null && !dev.sancho.maven.plan.ProjectIdentity.belongs(owner, identity)) {
                throw new dev.sancho.maven.common.ConfigException("the swarm deploy lock " + c.name() + " is held by"
                        + " a deploy of another project of the same name (" + Labels.IDENTITY + "=" + owner
                        + ", this build is " + identity + "): give this project its own name (name: in the compose"
                        + " file or -Dsancho.project)");
            }
        });
        found.ifPresent(c -> swarm.removeConfig(c.id()));
        return found.map(SwarmLock::holder);
    }

    /** The config named as the lock; one of that name that does not carry the lock's labels is refused, untouched. */
    private static Optional<SwarmInfos.Config> lockConfig(SwarmEngine swarm, String project) {
        Optional<SwarmInfos.Config> found = swarm.findConfig(name(project));
        found.ifPresent(c -> {
            if (!project.equals(c.labels().get(Labels.PROJECT)) || !Labels.ROLE_LOCK.equals(c.labels().get(Labels.ROLE))) {
                throw new dev.sancho.maven.common.ConfigException("swarm config " + c.name() + " exists but is not a"
                        + " sancho deploy lock of project " + project + ": sancho will not remove it");
            }
        });
        return found;
    }

    static DeployLock.Holder holder(SwarmInfos.Config c) {
        Map<String, String> l = c.labels();
        Long pid = null;
        try {
            pid = l.get(Labels.LOCK_PID) == null ? null : Long.valueOf(l.get(Labels.LOCK_PID));
        } catch (NumberFormatException ignored) {
            // unknown pid
        }
        Instant since = c.createdAt();
        try {
            since = l.get(Labels.LOCK_SINCE) == null ? since : Instant.parse(l.get(Labels.LOCK_SINCE));
        } catch (DateTimeParseException ignored) {
            // the config's creation time
        }
        return new DeployLock.Holder(c.id(), l.get(Labels.LOCK_HOLDER), l.get(Labels.LOCK_HOST), pid, since);
    }

    private void releaseQuietly() {
        try {
            release();
        } catch (RuntimeException ignored) {
            // the next deploy breaks it by the stale-lock rules
        }
    }

    private synchronized void release() {
        if (!released) {
            swarm.removeConfig(id);
            released = true;
        }
    }

    @Override
    public void close() {
        release();
        hook.remove();
    }
}
