package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Instant;
import java.util.Set;

/**
 * The runbook's {@code pre-deploy-cleanup.sh} as a use case: this project's app containers beyond the kept deploys
 * and leftovers of failed or interrupted deploys ({@link Cleanup}), then the images sancho built for deploys that
 * are gone ({@link ImageCleanup}). The goal runs it under the deploy lock; {@link DeployRun} runs {@link #step} inside
 * its own lock.
 */
public final class PreDeployCleanup {
    private PreDeployCleanup() {}

    /** What was removed (in a dry run: would be): the containers, then the built images of deploys now gone. */
    public record Result(Cleanup.Result containers, ImageCleanup.Result images) {}

    /** The goal: breaks a stale lock, then cleans up holding the lock (a deploy in progress has fresh leftovers). */
    public static Result run(DockerEngine engine, Stack stack, int keep, LockOptions lock, boolean dryRun, Log log) {
        Set<String> protectedIds = Set.of(stack.deployId());
        Ownership.require(engine, stack, false, log);
        if (dryRun) {
            DeployLock.holder(engine, stack.project()).ifPresent(h ->
                    log.info("  deploy lock held by " + h.describe(Instant.now())));
            Result r = step(engine, stack, keep, protectedIds, lock, true, log);
            log.info("[dry-run] nothing was changed");
            return r;
        }
        DeployLock.breakIfStale(engine, stack.project(), stack.identity(), lock.staleAfter(), log);
        if (Locked.lockImage(engine, stack).isEmpty()) {
            // nothing of the stack was ever deployed here, so there is nothing a deploy could be creating
            return step(engine, stack, keep, protectedIds, lock, false, log);
        }
        return Locked.run(engine, stack, lock, "build or load the stack's images first", log,
                () -> step(engine, stack, keep, protectedIds, lock, false, log));
    }

    /**
     * Containers, then the built images of deploys that are gone. Call it holding the deploy lock, or with dryRun.
     *
     * @param protectedDeployIds deploys whose built images stay although they have no container yet
     */
    public static Result step(DockerEngine engine, Stack stack, int keep, Set<String> protectedDeployIds,
            LockOptions lock, boolean dryRun, Log log) {
        Cleanup.Result containers = Cleanup.run(engine, stack.project(), stack.identity(), stack.infrastructureNames(), keep,
                dryRun, log);
        log.info(containers.summary(dryRun));
        // a dry run removed nothing: count the containers it would remove as gone, so it lists the same images
        ImageCleanup.Result images = ImageCleanup.run(engine, stack.project(), protectedDeployIds,
                containers.removedDeploys(), lock.pendingBuildWindow(), dryRun, log);
        log.info(images.summary(dryRun));
        return new Result(containers, images);
    }
}
