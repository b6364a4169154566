package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.common.ShutdownHooks;
import dev.sancho.maven.docker.DockerEngine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Ctrl-C (SIGINT) or SIGTERM while a deploy or a rollback changes the engine. The JVM then runs its shutdown hooks
 * and exits without unwinding the thread that deploys: no catch block, no undo runs there. This guard's hook does
 * what the run says must happen on the way out at the point it has reached ({@link #phase}): before the cutover the
 * new containers are removed (a failed deploy's undo), once the cutover has begun it is finished. Meanwhile the
 * deploying thread changes nothing more: every change goes through {@link #engine()}, which refuses once the hook
 * has started, and the hook waits for a change already in flight. SIGKILL runs no hook at all: the next run heals
 * what is left (pre-deploy-cleanup, the cutover stopping stray containers, the repair of lost aliases).
 */
public final class Interruption implements AutoCloseable {
    /** The {@link DockerEngine} methods that change something; every other call is a read and passes freely. */
    private static final Set<String> CHANGES = Set.of("createContainer", "copyToContainer", "startContainer",
            "stopContainer", "updateRestartPolicy", "removeContainer", "renameContainer", "connectNetwork", "disconnectNetwork",
            "replaceAliases", "createVolume", "createNetwork", "removeImage", "tagImage", "pullImage", "pushImage",
            "buildImage");
    /** How long the hook waits for a change in flight (a graceful stop takes up to its grace period). */
    private static final Duration IN_FLIGHT = Duration.ofMinutes(2);
    private static final Set<Interruption> ACTIVE = ConcurrentHashMap.newKeySet();

    private final DockerEngine raw;
    private final DockerEngine guarded;
    private final String what;
    private final Log log;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final CountDownLatch done = new CountDownLatch(1);
    private final ShutdownHooks.Registration hook;
    private volatile boolean interrupted;
    private volatile Consumer<DockerEngine> onExit = e -> {};

    private Interruption(DockerEngine engine, String what, Log log, boolean jvmHook) {
        this.raw = engine;
        this.what = what;
        this.log = log;
        this.guarded = (DockerEngine) Proxy.newProxyInstance(DockerEngine.class.getClassLoader(),
                new Class<?>[] {DockerEngine.class}, (proxy, method, args) -> {
                    boolean change = CHANGES.contains(method.getName());
                    if (change) {
                        lock.readLock().lock();
                    }
                    try {
                        if (change && interrupted) {
                            throw new CheckFailedException("interrupted: " + what + " changes nothing more");
                        }
                        return method.invoke(raw, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (change) {
                            lock.readLock().unlock();
                        }
                    }
                });
        // the undo runs in the shutdown hook's first stage: before the deploy lock is released and the transports
        // (ssh) are closed, which it still needs
        this.hook = jvmHook ? ShutdownHooks.register(ShutdownHooks.Stage.UNDO, this::runExit) : () -> { };
        ACTIVE.add(this);
    }

    /**
     * Guards one run against Ctrl-C.
     *
     * @param what e.g. {@code deploy 42}, for the messages
     */
    public static Interruption install(DockerEngine engine, String what, Log log) {
        return new Interruption(engine, what, log, true);
    }

    /** A guard without a JVM hook, for tests: {@link #interruptNow()} plays the hook's part. */
    static Interruption forTest(DockerEngine engine, String what, Log log) {
        return new Interruption(engine, what, log, false);
    }

    /** The engine the guarded run changes things through. */
    public DockerEngine engine() {
        return guarded;
    }

    /**
     * What the hook does from now on, with the unguarded engine. Set while no hook runs: throws when the run was
     * interrupted already, so a phase never starts after the hook decided what to do.
     */
    public void phase(Consumer<DockerEngine> exitAction) {
        lock.readLock().lock();
        try {
            if (interrupted) {
                throw new CheckFailedException("interrupted: " + what + " stops here");
            }
            onExit = exitAction;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** True once Ctrl-C came: the hook does the undo, the run itself must not. */
    public boolean interrupted() {
        return interrupted;
    }

    /** What the JVM's hook does, on another thread (tests). */
    Thread interruptNow() {
        interrupted = true;
        Thread t = new Thread(this::runExit, "sancho-interrupted-test");
        t.start();
        return t;
    }

    private void runExit() {
        interrupted = true;
        try {
            if (!lock.writeLock().tryLock(IN_FLIGHT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Interrupted: " + what + " is still busy with the engine after " + IN_FLIGHT.toSeconds()
                        + " s; exiting without its undo (the next deploy heals what is left)");
                return;
            }
            try {
                onExit.accept(raw);
            } finally {
                lock.writeLock().unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Interrupted: the undo of " + what + " failed (" + e.getMessage() + "); the next deploy heals"
                    + " what is left");
        } finally {
            done.countDown();
        }
    }

    /**
     * Waits until the exit actions of interrupted runs have finished, at most {@code max}: the deploy lock is
     * released only after them, so no other deploy starts while an undo still changes the engine.
     */
    public static void awaitExitActions(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (Interruption i : ACTIVE) {
            if (i.interrupted) {
                try {
                    i.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Once interrupted, waits for the hook's exit action before returning: the caller closes the engine next (the
     * goal's try-with-resources), and the hook still needs it.
     */
    @Override
    public void close() {
        if (interrupted) {
            try {
                done.await(IN_FLIGHT.toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            ACTIVE.remove(this); // an interrupted one stays until the JVM exits: the lock release waits for it
        }
        hook.remove(); // the staged hook runs (or ran) its copy of the task list anyway
    }
}
