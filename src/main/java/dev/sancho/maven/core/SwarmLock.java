package dev.sancho.maven.core;

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
 * exclusion. Labels and data record the holder; the stale-lock rules are {@link DeployLock}'s.
 */
public final class SwarmLock implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);

    private final SwarmEngine swarm;
    private final String id;
    private final Thread hook;
    private boolean released;

    private SwarmLock(SwarmEngine swarm, String id) {
        this.swarm = swarm;
        this.id = id;
        this.hook = new Thread(this::releaseQuietly, "sancho-swarm-lock-release");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
    }

    static String name(String project) {
        return "sancho-lock-" + project;
    }

    static SwarmLock acquire(SwarmEngine swarm, String project, LockOptions opts, Log log) {
        String name = name(project);
        long deadline = Time.nanoTime() + opts.timeout().toNanos();
        while (true) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(Labels.PROJECT, project);
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
                    continue;
                }
                DeployLock.Holder h = holder(found.get());
                Optional<String> stale = DeployLock.staleReason(h, opts.staleAfter(), Instant.now());
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

    /** Who holds the project's swarm deploy lock, if anyone ({@code sancho:unlock -Dsancho.dryRun}). */
    public static Optional<DeployLock.Holder> holder(SwarmEngine swarm, String project) {
        return lockConfig(swarm, project).map(SwarmLock::holder);
    }

    /** Releases the project's swarm deploy lock whoever holds it ({@code sancho:unlock}); returns who held it. */
    public static Optional<DeployLock.Holder> forceRelease(SwarmEngine swarm, String project) {
        Optional<SwarmInfos.Config> found = lockConfig(swarm, project);
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
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down
        }
    }
}
