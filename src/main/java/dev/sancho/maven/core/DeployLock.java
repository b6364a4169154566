package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.common.ShutdownHooks;
import dev.sancho.maven.docker.BuildRequest;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerOptions;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.ImageInfo;
import dev.sancho.maven.docker.NameConflictException;
import dev.sancho.maven.docker.StdinStream;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Safety;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The deploy lock of one project, held on the engine itself so it works across machines, CI runners and PID
 * namespaces: a container named {@code <project>_sancho_lock}. Creating a container with a taken name fails
 * atomically (409), which is the whole mutual exclusion.
 *
 * <p><b>Liveness.</b> The holder keeps the container alive through a connection of its own: the container runs
 * {@link LockProgram} (an image built once per engine, {@code FROM scratch}), the holder attaches to its stdin before
 * starting it and sends a heartbeat byte every {@link #HEARTBEAT}. The process ends when its stdin ends (the holder's
 * connection closed: {@code kill -9}, a crash, a dropped ssh or tcp connection; the engine closes a
 * {@code StdinOnce} container's stdin when its client goes) or when nothing arrived for
 * {@link LockProgram#SILENCE_SECONDS} (a holder whose machine vanished without closing anything). So a lock whose
 * container runs has a live holder, whatever its host name, PID namespace or clock, and however long its deploy takes;
 * a lock whose container stopped is taken over at once, with one line saying so. Nothing compares clocks.
 *
 * <p>An engine of another architecture than amd64/arm64 gets the lock of earlier versions: a container created from
 * one of the stack's images and never started, whose liveness is unknown; it is broken when older than
 * {@code staleAfter} by the engine's clock. Locks of earlier versions are judged the same way.
 *
 * <p>Release removes exactly the container this holder created, by id, through {@link Safety#requireRemovableLock};
 * Ctrl-C releases it from a shutdown hook that runs before the transports close ({@link ShutdownHooks}).
 */
public final class DeployLock implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    /** A lock created but not started for this long (as this waiter saw it): its holder ended while taking it. */
    static final Duration START_GRACE = Duration.ofSeconds(10);
    /** {@link Labels#LOCK_LIVENESS} of a lock whose process lives as long as its holder's connection. */
    static final String LIVENESS_STDIN = "stdin";

    private final DockerEngine engine;
    private final String project;
    private final String identity;
    private final String containerId;
    private final StdinStream stdin;
    private final Log log;
    private final ShutdownHooks.Registration hook;
    private final Thread heartbeat;
    private volatile boolean released;
    private volatile String lost;

    /** Who holds a lock, read back from its labels; {@code since} is when the engine created it. */
    public record Holder(String containerId, String user, String host, Long pid, Instant since) {
        static Holder of(ContainerInfo c) {
            Long pid = null;
            try {
                pid = c.label(Labels.LOCK_PID) == null ? null : Long.valueOf(c.label(Labels.LOCK_PID));
            } catch (NumberFormatException ignored) {
                // unreadable pid: treated as unknown
            }
            Instant since = c.created();
            if (since == null) {
                try {
                    since = c.label(Labels.LOCK_SINCE) == null ? null : Instant.parse(c.label(Labels.LOCK_SINCE));
                } catch (DateTimeParseException ignored) {
                    // unknown
                }
            }
            return new Holder(c.id(), c.label(Labels.LOCK_HOLDER), c.label(Labels.LOCK_HOST), pid, since);
        }

        /** @param now on the clock {@code since} was taken with (the engine's, for a container) */
        public String describe(Instant now) {
            String age = since == null ? "" : " since " + since + " (" + Math.max(0, Duration.between(since, now)
                    .toSeconds()) + " s ago)";
            return user + "@" + host + " pid " + pid + age;
        }
    }

    private DeployLock(DockerEngine engine, String project, String identity, String containerId, StdinStream stdin,
            Log log) {
        this.engine = engine;
        this.project = project;
        this.identity = identity;
        this.containerId = containerId;
        this.stdin = stdin;
        this.log = log;
        // Ctrl-C ends Maven through shutdown hooks: release there too, before the ssh processes are ended
        this.hook = ShutdownHooks.register(ShutdownHooks.Stage.RELEASE_LOCKS, this::releaseQuietly);
        this.heartbeat = stdin == null ? null : new Thread(this::beat, "sancho-lock-heartbeat");
        if (heartbeat != null) {
            heartbeat.setDaemon(true);
            heartbeat.start();
        }
    }

    /**
     * Takes the lock, waiting up to {@code opts.timeout()} while another live deploy holds it; a lock whose holder is
     * gone is taken over with a warning.
     *
     * @param identity      the project's identity ({@code sancho.identity} label); null when unknown
     * @param fallbackImage an image of the stack on the engine, for an engine whose architecture has no lock program
     * @throws CheckFailedException naming the holder when the wait times out
     * @throws ConfigException      when the lock's name is taken by something that is not this project's lock
     */
    public static DeployLock acquire(DockerEngine engine, String project, String identity, LockOptions opts,
            Supplier<Optional<String>> fallbackImage, Log log) {
        String name = Safety.lockName(project);
        Optional<String> image = lockImage(engine, log);
        ContainerSpec spec;
        if (image.isPresent()) {
            spec = spec(project, identity, image.get());
        } else {
            String stackImage = fallbackImage.get().orElseThrow(() -> new ConfigException("no image of " + project
                    + " is on the engine to create the deploy lock from (the engine's architecture "
                    + engine.architecture() + " has no lock program): build or load the stack's images first"));
            log.warn("The engine at " + engine.address() + " is " + engine.architecture() + ", for which sancho has no"
                    + " lock program: the deploy lock cannot tell a live holder from a dead one, and is broken only"
                    + " when older than sancho.staleLockAfter");
            spec = legacySpec(project, identity, stackImage,
                    engine.findImage(stackImage).map(ImageInfo::volumes).orElse(List.of()), Instant.now());
        }
        long deadline = Time.nanoTime() + opts.timeout().toNanos();
        Map<String, Long> seenCreated = new HashMap<>();
        boolean announced = false;
        while (true) {
            String id;
            try {
                id = engine.createContainer(spec);
            } catch (NameConflictException taken) {
                Optional<ContainerInfo> found = engine.findContainer(name);
                if (found.isEmpty()) {
                    // released in between, or a name the engine has not freed yet: again, with a pause and a bound
                    if (Time.nanoTime() > deadline) {
                        throw new CheckFailedException("the engine at " + engine.address() + " refuses the name "
                                + name + " (409, taken) although no container has it; waited "
                                + opts.timeout().toSeconds() + " s (sancho.lockTimeout). Check docker ps -a"
                                + " --filter name=" + name);
                    }
                    sleep();
                    continue;
                }
                ContainerInfo c = found.get();
                requireOurLock(c, project, identity);
                Holder h = Holder.of(c);
                Optional<String> dead = deadReason(c, seenCreated, () -> engine.clock(), opts.staleAfter());
                if (dead.isPresent()) {
                    log.warn("Taking over the deploy lock of project " + project + ": its holder "
                            + h.describe(engine.clock()) + " is gone (" + dead.get() + ")");
                    removeLockContainer(engine, c, project, identity);
                    continue;
                }
                if (Time.nanoTime() > deadline) {
                    throw new CheckFailedException("the deploy lock of project " + project + " is held by "
                            + h.describe(engine.clock()) + ", which is still running; waited "
                            + opts.timeout().toSeconds() + " s (sancho.lockTimeout). If that deploy is really gone:"
                            + " mvn sancho:unlock");
                }
                if (!announced) {
                    log.info("Waiting up to " + opts.timeout().toSeconds() + " s for the deploy lock held by "
                            + h.describe(engine.clock()));
                    announced = true;
                }
                sleep();
                continue;
            }
            if (image.isEmpty()) {
                log.debug("deploy lock " + name + " taken (" + id + ", never started)");
                return new DeployLock(engine, project, identity, id, null, log);
            }
            StdinStream held = null;
            try {
                // attached before it starts: the process never runs without its holder's connection
                held = engine.attachStdin(id);
                engine.startContainer(id);
            } catch (RuntimeException e) {
                if (held != null) {
                    held.close();
                }
                try {
                    engine.inspectContainer(id).ifPresent(c -> removeLockContainer(engine, c, project, identity));
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            log.debug("deploy lock " + name + " taken (" + id + ")");
            return new DeployLock(engine, project, identity, id, held, log);
        }
    }

    /**
     * Why a lock's holder is gone, or empty while it may be working.
     *
     * @param seenCreated when this waiter first saw each lock in state {@code created} ({@link Time#nanoTime})
     * @param engineClock the engine's clock, asked only for a lock without liveness
     */
    static Optional<String> deadReason(ContainerInfo c, Map<String, Long> seenCreated, Supplier<Instant> engineClock,
            Duration staleAfter) {
        if (!LIVENESS_STDIN.equals(c.label(Labels.LOCK_LIVENESS))) {
            Instant created = c.created();
            if (created != null && Duration.between(created, engineClock.get()).compareTo(staleAfter) > 0) {
                return Optional.of("the lock is older than " + staleAfter.toMinutes() + " min by the engine's clock"
                        + " (sancho.staleLockAfter), and a lock of this kind cannot tell whether its holder lives");
            }
            return Optional.empty();
        }
        String state = c.state() == null ? "" : c.state();
        switch (state) {
            case "exited", "dead" -> {
                Integer code = c.exitCode();
                if (code != null && code == 0) {
                    return Optional.of("its connection to the engine closed without a release: the build was killed,"
                            + " or its connection dropped");
                }
                if (code != null && code == 2) {
                    return Optional.of("no heartbeat for " + LockProgram.SILENCE_SECONDS + " s: its machine or its"
                            + " connection to the engine went away");
                }
                return Optional.of("the lock's process ended with exit code " + code + ": an engine restart, or"
                        + " docker stop/kill");
            }
            case "created" -> {
                long first = seenCreated.computeIfAbsent(c.id(), k -> Time.nanoTime());
                long seen = Time.nanoTime() - first;
                if (seen > START_GRACE.toNanos()) {
                    return Optional.of("its lock was created but not started within " + START_GRACE.toSeconds()
                            + " s: its holder ended while taking it");
                }
                return Optional.empty();
            }
            default -> {
                return Optional.empty(); // running, paused, restarting, removing: alive, or about to be gone
            }
        }
    }

    /** The current holder, if any. */
    public static Optional<Holder> holder(DockerEngine engine, String project) {
        return engine.findContainer(Safety.lockName(project)).filter(c -> isLock(c, project)).map(Holder::of);
    }

    /** The project's lock container, whichever identity holds it. */
    private static boolean isLock(ContainerInfo c, String project) {
        return Safety.lockName(project).equals(c.name()) && Labels.ROLE_LOCK.equals(c.label(Labels.ROLE))
                && project.equals(c.label(Labels.PROJECT));
    }

    /**
     * Releases the lock whoever holds it ({@code sancho:unlock}); returns who held it.
     *
     * @param identity this project's identity; null (unknown: only the project's name was given) releases a lock of
     *                 any identity of that name
     */
    public static Optional<Holder> forceRelease(DockerEngine engine, String project, String identity) {
        Optional<ContainerInfo> found = engine.findContainer(Safety.lockName(project));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ContainerInfo c = found.get();
        String owner = identity != null ? identity : c.label(Labels.IDENTITY);
        requireOurLock(c, project, owner);
        removeLockContainer(engine, c, project, owner);
        return Optional.of(Holder.of(c));
    }

    /**
     * Breaks the lock only when its holder is gone (a lock that was never started counts as alive here: one look
     * cannot tell); returns the broken holder. Used by pre-deploy-cleanup.
     */
    public static Optional<Holder> breakIfStale(DockerEngine engine, String project, String identity,
            Duration staleAfter, Log log) {
        Optional<ContainerInfo> found = engine.findContainer(Safety.lockName(project))
                .filter(c -> Safety.removableLock(c, project, identity));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Holder h = Holder.of(found.get());
        Optional<String> dead = deadReason(found.get(), new HashMap<>(), engine::clock, staleAfter);
        if (dead.isEmpty()) {
            return Optional.empty();
        }
        log.warn("Taking over the deploy lock of project " + project + ": its holder " + h.describe(engine.clock())
                + " is gone (" + dead.get() + ")");
        removeLockContainer(engine, found.get(), project, identity);
        return Optional.of(h);
    }

    /** The name is this project's lock of this identity, or the goal stops here with one line. */
    private static void requireOurLock(ContainerInfo c, String project, String identity) {
        if (!isLock(c, project)) {
            throw new ConfigException("container " + c.name() + " exists but is not a sancho deploy lock of project "
                    + project + ": rename or remove it yourself, sancho will not touch it");
        }
        if (!Safety.removableLock(c, project, identity)) {
            throw new ConfigException("the deploy lock " + c.name() + " is held by a deploy of another project of the"
                    + " same name (" + Labels.IDENTITY + "=" + c.label(Labels.IDENTITY) + ", this build is "
                    + identity + "): give this project its own name (name: in the compose file or -Dsancho.project)");
        }
    }

    /** By id, so a lock someone else took meanwhile under the same name is never removed by mistake. */
    private static void removeLockContainer(DockerEngine engine, ContainerInfo c, String project, String identity) {
        Safety.requireRemovableLock(c, project, identity);
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
     * The lock program's image for the engine's architecture, built on the engine the first time (a few hundred
     * bytes, {@code FROM scratch}: no registry, no base image); empty for an architecture without a program.
     */
    static Optional<String> lockImage(DockerEngine engine, Log log) {
        Optional<byte[]> program = LockProgram.elf(engine.architecture(), LockProgram.SILENCE_SECONDS);
        if (program.isEmpty()) {
            return Optional.empty();
        }
        String tag = LockProgram.imageTag(program.get());
        if (engine.findImage(tag).isPresent()) {
            return Optional.of(tag);
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("sancho-lock-");
            Files.writeString(dir.resolve("Dockerfile"), LockProgram.dockerfile());
            Path exe = Files.write(dir.resolve("sancho-lock"), program.get());
            try {
                Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException notPosix) {
                // the build context keeps what the file system has
            }
            engine.buildImage(new BuildRequest(dir, null, Map.of(), null, Map.of(Labels.ROLE, Labels.ROLE_LOCK), null,
                    List.of(), null, List.of(tag)), log::debug);
            log.info("Built the deploy lock's image " + tag + " on the engine (" + program.get().length + " bytes,"
                    + " once per engine)");
            return Optional.of(tag);
        } catch (IOException e) {
            throw new ConfigException("cannot write the deploy lock's image context: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temp dir left behind is harmless
                }
            }
        }
    }

    /** The lock container: the lock program, its stdin open for one client, no network, no restart. */
    static ContainerSpec spec(String project, String identity, String image) {
        Map<String, String> labels = holderLabels(project, identity, Instant.now());
        labels.put(Labels.LOCK_LIVENESS, LIVENESS_STDIN);
        return new ContainerSpec(Safety.lockName(project), image, null, List.of(), Map.of(), labels, List.of(),
                List.of(), Map.of(), null, null, null, null, null, List.of(), null, null, ContainerOptions.STDIN_ONCE);
    }

    /**
     * The lock of an engine without a lock program: created from a stack image, never started.
     *
     * @param imageVolumes the image's VOLUME paths: each gets a tmpfs mount, because otherwise creating the lock
     *                     container makes an anonymous volume per deploy, which sancho would then leave behind (it
     *                     never removes volumes). A never-started container's tmpfs mount costs nothing.
     */
    static ContainerSpec legacySpec(String project, String identity, String image, List<String> imageVolumes,
            Instant now) {
        return new ContainerSpec(Safety.lockName(project), image, List.of("sancho-deploy-lock-never-started"),
                List.of(), Map.of(), holderLabels(project, identity, now), List.of(),
                imageVolumes.stream().map(path -> new ContainerSpec.Mount("tmpfs", null, path, false)).toList(),
                Map.of(), null, null, null, null, null, List.of(), null, null);
    }

    private static Map<String, String> holderLabels(String project, String identity, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, project);
        if (identity != null) {
            labels.put(Labels.IDENTITY, identity);
        }
        labels.put(Labels.ROLE, Labels.ROLE_LOCK);
        labels.put(Labels.LOCK_HOLDER, System.getProperty("user.name", "unknown"));
        labels.put(Labels.LOCK_HOST, thisHost());
        labels.put(Labels.LOCK_PID, String.valueOf(ProcessHandle.current().pid()));
        labels.put(Labels.LOCK_SINCE, now.toString()); // for people: the holder's clock, never compared
        return labels;
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

    /** Sends the heartbeat; notices when the stream ended while the lock is still meant to be held. */
    private void beat() {
        byte[] dot = {'.'};
        while (!released) {
            try {
                if (stdin.ended()) {
                    throw new DockerOperationException("the engine ended the lock's stream");
                }
                stdin.write(dot);
            } catch (RuntimeException e) {
                if (!released && lost == null) {
                    lost = e.getMessage();
                    log.warn("Lost the deploy lock of project " + project + " (" + lost + "): another deploy may take"
                            + " it; this one stops before it stops any container");
                }
                return;
            }
            try {
                Thread.sleep(HEARTBEAT.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Fails when this holder no longer holds the lock (its connection to the engine dropped, or the lock was removed
     * by hand): called right before anything of another deploy is stopped.
     */
    public void requireHeld() {
        if (stdin == null) {
            return; // a lock without liveness cannot be lost
        }
        String why = lost != null ? lost : stdin.ended() ? "the engine ended the lock's stream" : null;
        if (why == null) {
            Optional<ContainerInfo> now = engine.inspectContainer(containerId);
            if (now.isEmpty() || !now.get().running()) {
                why = "the lock container " + Safety.lockName(project) + " is " + now.map(ContainerInfo::state)
                        .orElse("gone");
            }
        }
        if (why != null) {
            throw new CheckFailedException("the deploy lock of project " + project + " was lost before the cutover ("
                    + why + "): another deploy may hold it now, so this one stopped no container of it");
        }
    }

    private synchronized void releaseQuietly() {
        if (released) {
            return;
        }
        Interruption.awaitExitActions(Duration.ofMinutes(3)); // Ctrl-C: the undo first, then another deploy may run
        released = true;
        try {
            engine.inspectContainer(containerId).ifPresent(c -> removeLockContainer(engine, c, project, identity));
        } catch (RuntimeException e) {
            log.warn("Could not release the deploy lock " + Safety.lockName(project) + ": " + e.getMessage()
                    + (stdin == null ? " (run mvn sancho:unlock)" : " (the next deploy takes it over: its process"
                    + " ends with this build)"));
        } finally {
            if (stdin != null) {
                stdin.close();
            }
            if (heartbeat != null) {
                heartbeat.interrupt();
            }
        }
    }

    /** Releases the lock (idempotent). */
    @Override
    public void close() {
        releaseQuietly();
        hook.remove();
    }
}
