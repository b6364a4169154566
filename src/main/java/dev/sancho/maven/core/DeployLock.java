package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.ImageInfo;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.NameConflictException;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Safety;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deploy lock of one project, held on the engine itself so it works across machines and CI runners: a
 * container named {@code <project>_sancho_lock}, created and never started. Creating a container with a taken
 * name fails atomically (409), which is the whole mutual exclusion. The labels record who holds it.
 *
 * <p>A lock is broken (with a warning) when it is older than {@code staleAfter}, or when its holder ran on this
 * host and its process is gone (a {@code kill -9}ed build). Release removes exactly the container this holder
 * created, by id, through {@link Safety#requireRemovableLock}.
 */
public final class DeployLock implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);

    private final DockerEngine engine;
    private final String project;
    private final String containerId;
    private final Log log;
    private final Thread shutdownHook;
    private boolean released;

    /** Who holds a lock, read back from its labels. */
    public record Holder(String containerId, String user, String host, Long pid, Instant since) {
        static Holder of(ContainerInfo c) {
            Long pid = null;
            try {
                pid = c.label(Labels.LOCK_PID) == null ? null : Long.valueOf(c.label(Labels.LOCK_PID));
            } catch (NumberFormatException ignored) {
                // unreadable pid: treated as unknown
            }
            Instant since = null;
            try {
                since = c.label(Labels.LOCK_SINCE) == null ? null : Instant.parse(c.label(Labels.LOCK_SINCE));
            } catch (DateTimeParseException ignored) {
                since = c.created();
            }
            return new Holder(c.id(), c.label(Labels.LOCK_HOLDER), c.label(Labels.LOCK_HOST), pid,
                    since != null ? since : c.created());
        }

        public String describe(Instant now) {
            String age = since == null ? "" : " since " + since + " (" + Duration.between(since, now).toSeconds()
                    + " s ago)";
            return user + "@" + host + " pid " + pid + age;
        }
    }

    private DeployLock(DockerEngine engine, String project, String containerId, Log log) {
        this.engine = engine;
        this.project = project;
        this.containerId = containerId;
        this.log = log;
        // Ctrl-C ends Maven through shutdown hooks: release there too, so only kill -9 leaves a lock behind.
        this.shutdownHook = new Thread(this::releaseQuietly, "sancho-lock-release");
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    /**
     * Takes the lock, waiting up to {@code timeout} while another live deploy holds it.
     *
     * @param image an image present on the engine (the lock container is created, never started)
     * @throws CheckFailedException naming the holder when the wait times out
     */
    public static DeployLock acquire(DockerEngine engine, String project, String image, Duration timeout,
            Duration staleAfter, Log log) {
        String name = Safety.lockName(project);
        List<String> imageVolumes = engine.findImage(image).map(ImageInfo::volumes).orElse(List.of());
        ContainerSpec spec = spec(project, image, imageVolumes, Instant.now());
        long deadline = Time.nanoTime() + timeout.toNanos();
        boolean announced = false;
        while (true) {
            try {
                String id = engine.createContainer(spec);
                log.debug("deploy lock " + name + " taken (" + id + ")");
                return new DeployLock(engine, project, id, log);
            } catch (NameConflictException taken) {
                Optional<ContainerInfo> found = engine.findContainer(name);
                if (found.isEmpty()) {
                    continue; // released in between
                }
                ContainerInfo c = found.get();
                if (!Safety.removableLock(c, project)) {
                    throw new ConfigException("container " + name + " exists but is not a sancho deploy lock of "
                            + "project " + project + ": rename or remove it yourself, sancho will not touch it");
                }
                Holder h = Holder.of(c);
                Optional<String> stale = staleReason(h, staleAfter, Instant.now());
                if (stale.isPresent()) {
                    log.warn("Breaking the deploy lock held by " + h.describe(Instant.now()) + ": " + stale.get());
                    removeLockContainer(engine, c, project);
                    continue;
                }
                if (Time.nanoTime() > deadline) {
                    throw new CheckFailedException("the deploy lock of project " + project + " is held by "
                            + h.describe(Instant.now()) + "; waited " + timeout.toSeconds() + " s"
                            + " (sancho.lockTimeout). If that deploy is no longer running: mvn sancho:unlock");
                }
                if (!announced) {
                    log.info("Waiting up to " + timeout.toSeconds() + " s for the deploy lock held by "
                            + h.describe(Instant.now()));
                    announced = true;
                }
                sleep();
            }
        }
    }

    /** Why a lock may be broken, or empty when its holder may still be working. */
    static Optional<String> staleReason(Holder h, Duration staleAfter, Instant now) {
        if (h.since() != null && Duration.between(h.since(), now).compareTo(staleAfter) > 0) {
            return Optional.of("it is older than " + staleAfter.toMinutes() + " min (sancho.staleLockAfter)");
        }
        if (h.pid() != null && thisHost().equals(h.host()) && h.pid() != ProcessHandle.current().pid()
                && ProcessHandle.of(h.pid()).map(p -> !p.isAlive()).orElse(true)) {
            return Optional.of("its process " + h.pid() + " on this host is gone");
        }
        return Optional.empty();
    }

    /** The current holder, if any. */
    public static Optional<Holder> holder(DockerEngine engine, String project) {
        return engine.findContainer(Safety.lockName(project)).filter(c -> Safety.removableLock(c, project))
                .map(Holder::of);
    }

    /** Releases the lock whoever holds it ({@code sancho:unlock}); returns who held it. */
    public static Optional<Holder> forceRelease(DockerEngine engine, String project) {
        Optional<ContainerInfo> found = engine.findContainer(Safety.lockName(project));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ContainerInfo c = found.get();
        if (!Safety.removableLock(c, project)) {
            throw new ConfigException("container " + c.name() + " exists but is not a sancho deploy lock of project "
                    + project + ": sancho will not remove it");
        }
        removeLockContainer(engine, c, project);
        return Optional.of(Holder.of(c));
    }

    /** Breaks the lock only when it is stale; returns the broken holder. Used by pre-deploy-cleanup. */
    public static Optional<Holder> breakIfStale(DockerEngine engine, String project, Duration staleAfter, Log log) {
        Optional<ContainerInfo> found = engine.findContainer(Safety.lockName(project))
                .filter(c -> Safety.removableLock(c, project));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Holder h = Holder.of(found.get());
        Optional<String> stale = staleReason(h, staleAfter, Instant.now());
        if (stale.isEmpty()) {
            return Optional.empty();
        }
        log.warn("Breaking the deploy lock held by " + h.describe(Instant.now()) + ": " + stale.get());
        removeLockContainer(engine, found.get(), project);
        return Optional.of(h);
    }

    /** By id, so a lock someone else took meanwhile under the same name is never removed by mistake. */
    private static void removeLockContainer(DockerEngine engine, ContainerInfo c, String project) {
        Safety.requireRemovableLock(c, project);
        try {
            engine.removeContainer(c.id());
        } catch (DockerOperationException gone) {
            if (engine.inspectContainer(c.id()).isPresent()) {
                throw gone;
            }
            // someone else removed it first: fine
        }
    }

    /**
     * @param imageVolumes the image's VOLUME paths: each gets a tmpfs mount, because otherwise creating the lock
     *                     container makes an anonymous volume per deploy, which sancho would then leave behind (it
     *                     never removes volumes). A never-started container's tmpfs mount costs nothing.
     */
    static ContainerSpec spec(String project, String image, List<String> imageVolumes, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, project);
        labels.put(Labels.ROLE, Labels.ROLE_LOCK);
        labels.put(Labels.LOCK_HOLDER, System.getProperty("user.name", "unknown"));
        labels.put(Labels.LOCK_HOST, thisHost());
        labels.put(Labels.LOCK_PID, String.valueOf(ProcessHandle.current().pid()));
        labels.put(Labels.LOCK_SINCE, now.toString());
        return new ContainerSpec(Safety.lockName(project), image, List.of("sancho-deploy-lock-never-started"),
                List.of(), Map.of(), labels, List.of(),
                imageVolumes.stream().map(path -> new ContainerSpec.Mount("tmpfs", null, path, false)).toList(),
                Map.of(), null, null, null, null, null, List.of(), null, null);
    }

    private static String cachedHost;

    static synchronized String thisHost() {
        if (cachedHost == null) {
            String h = System.getenv("HOSTNAME");
            if (h == null || h.isBlank()) {
                try {
                    h = InetAddress.getLocalHost().getHostName();
                } catch (Exception e) {
                    h = "unknown";
                }
            }
            cachedHost = h;
        }
        return cachedHost;
    }

    private static void sleep() {
        Time.sleep(POLL, "the deploy lock");
    }

    private synchronized void releaseQuietly() {
        if (released) {
            return;
        }
        Interruption.awaitExitActions(Duration.ofMinutes(3)); // Ctrl-C: the undo first, then another deploy may run
        released = true;
        try {
            engine.inspectContainer(containerId).ifPresent(c -> removeLockContainer(engine, c, project));
        } catch (RuntimeException e) {
            log.warn("Could not release the deploy lock " + Safety.lockName(project) + ": " + e.getMessage()
                    + " (run mvn sancho:unlock)");
        }
    }

    /** Releases the lock (idempotent). */
    @Override
    public void close() {
        releaseQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // JVM shutting down: the hook runs (or ran) anyway
        }
    }
}
