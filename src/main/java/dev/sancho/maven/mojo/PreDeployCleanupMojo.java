package dev.sancho.maven.mojo;

import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * The clean-up before a deploy (the runbook's {@code pre-deploy-cleanup.sh}): removes this project's exited/dead app
 * containers beyond the kept deploys, leftovers of failed or interrupted deploys (created but never started), a stale
 * deploy lock, and then the images sancho built for deploys that no longer exist. Never infrastructure, never a
 * container without this project's labels, never a volume.
 */
@Mojo(name = "pre-deploy-cleanup", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class PreDeployCleanupMojo extends AbstractCleaningMojo {

    @Override
    protected void run() {
        validateLocking();
        Stack stack = loadStack();
        try (DockerEngine engine = connect()) {
            writeResult(ResultFile.preDeployCleanup(target().name(), stack.project(), dryRun,
                    target().preDeployCleanup(engine, stack, keep, lockOptions(), dryRun, log())));
        }
    }
}
