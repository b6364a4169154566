package dev.sancho.maven.mojo;

import dev.sancho.maven.core.DeployLock;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Instant;
import java.util.Set;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * The runbook's {@code pre-deploy-cleanup.sh}: removes this project's exited/dead app containers beyond the
 * kept deploys, leftovers of failed or interrupted deploys (created but never started), a stale deploy lock, and
 * then the images sancho built for deploys that no longer exist ({@link dev.sancho.maven.core.ImageCleanup}).
 * Never infrastructure, never a container without this project's labels, never a volume.
 */
@Mojo(name = "pre-deploy-cleanup", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class PreDeployCleanupMojo extends AbstractCleaningMojo {

    @Override
    protected void run() {
        validateLocking();
        Stack stack = loadStack();
        Log log = log();
        try (DockerEngine engine = connect()) {
            if (dryRun) {
                DeployLock.holder(engine, stack.project()).ifPresent(h ->
                        log.info("  deploy lock held by " + h.describe(Instant.now())));
                cleanup(engine, stack, Set.of(stack.deployId()), true, log);
                log.info("[dry-run] nothing was changed");
                return;
            }
            DeployLock.breakIfStale(engine, stack.project(), staleLockAfterDuration(), log);
            String image = lockImage(engine, stack);
            if (image == null) {
                // nothing of the stack was ever deployed here, so there is nothing a deploy could be creating
                cleanup(engine, stack, Set.of(stack.deployId()), false, log);
                return;
            }
            try (DeployLock lock = DeployLock.acquire(engine, stack.project(), image, lockTimeoutDuration(),
                    staleLockAfterDuration(), log)) {
                cleanup(engine, stack, Set.of(stack.deployId()), false, log);
            }
        }
    }
}
