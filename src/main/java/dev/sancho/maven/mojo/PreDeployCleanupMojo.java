package dev.sancho.maven.mojo;

import dev.sancho.maven.core.Cleanup;
import dev.sancho.maven.core.DeployLock;
import dev.sancho.maven.core.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Instant;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * The runbook's {@code pre-deploy-cleanup.sh}: removes this project's exited/dead app containers beyond the
 * kept deploys, leftovers of failed or interrupted deploys (created but never started) and a stale deploy lock.
 * Never infrastructure, never a container without this project's labels, never a volume.
 */
@Mojo(name = "pre-deploy-cleanup", threadSafe = true)
public class PreDeployCleanupMojo extends AbstractLockingMojo {

    @Override
    protected void run() {
        validateKeep();
        Stack stack = loadStack();
        Log log = log();
        try (DockerEngine engine = connect()) {
            if (dryRun) {
                DeployLock.holder(engine, stack.project()).ifPresent(h ->
                        log.info("  deploy lock held by " + h.describe(Instant.now())));
                log.info(Cleanup.run(engine, stack.project(), stack.infrastructureNames(), keep, true, log)
                        .summary(true));
                log.info("[dry-run] nothing was changed");
                return;
            }
            DeployLock.breakIfStale(engine, stack.project(), staleLockAfterDuration(), log);
            String image = lockImage(engine, stack);
            if (image == null) {
                // nothing of the stack was ever deployed here, so there is nothing a deploy could be creating
                log.info(Cleanup.run(engine, stack.project(), stack.infrastructureNames(), keep, false, log)
                        .summary(false));
                return;
            }
            try (DeployLock lock = DeployLock.acquire(engine, stack.project(), image, lockTimeoutDuration(),
                    staleLockAfterDuration(), log)) {
                log.info(Cleanup.run(engine, stack.project(), stack.infrastructureNames(), keep, false, log)
                        .summary(false));
            }
        }
    }
}
