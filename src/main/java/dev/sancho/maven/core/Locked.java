package dev.sancho.maven.core;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a step under the project's deploy lock: the one way deploy, rollback and pre-deploy-cleanup take it (find
 * an image to create the lock container from, acquire, run, release on every exit path).
 */
public final class Locked {
    private Locked() {}

    /**
     * @param noImageHint what the user is told when the engine has no image of the stack to create the lock from,
     *                    e.g. {@code build or load the stack's images first}
     */
    public static <T> T run(DockerEngine engine, Stack stack, LockOptions lock, String noImageHint, Log log,
            Supplier<T> step) {
        return run(engine, stack, lock, noImageHint, log, held -> step.get());
    }

    /** The same, for a step that checks it still holds the lock before it stops anything ({@link DeployLock#requireHeld}). */
    public static <T> T run(DockerEngine engine, Stack stack, LockOptions lock, String noImageHint, Log log,
            java.util.function.Function<DeployLock, T> step) {
        // never wait for, nor take, the lock of another project that has this name
        Ownership.require(engine, stack, false, log);
        try (DeployLock held = DeployLock.acquire(engine, stack.project(), stack.identity(), lock,
                () -> lockImage(engine, stack), log)) {
            Ownership.require(engine, stack, true, log); // under the lock, nothing of the project changes meanwhile
            return step.apply(held);
        }
    }

    /**
     * The lock container is created (never started) from an image the stack already has on the engine; for a stack
     * whose app services only have {@code build:}, the image one of its app containers runs (in use anyway, so
     * image cleanup never needs to remove it while the lock holds it). Empty when nothing of the stack is there.
     */
    static Optional<String> lockImage(DockerEngine engine, Stack stack) {
        return stack.services().stream().map(StackService::service).map(s -> s.image()).filter(Objects::nonNull)
                .distinct().filter(i -> engine.findImage(i).isPresent()).findFirst()
                .or(() -> engine.listContainers(Labels.appSelector(stack.project())).stream()
                        .map(ContainerInfo::imageId).filter(Objects::nonNull)
                        .filter(i -> engine.findImage(i).isPresent()).findFirst());
    }
}
