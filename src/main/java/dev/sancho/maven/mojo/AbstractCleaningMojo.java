package dev.sancho.maven.mojo;

import org.apache.maven.plugins.annotations.Parameter;

/** The goals that remove old deploys (deploy, pre-deploy-cleanup), and so take {@code keep}. */
abstract class AbstractCleaningMojo extends AbstractLockingMojo {

    /** Stopped deploys kept for rollback; older ones are removed. */
    @Parameter(property = "sancho.keep", defaultValue = "2")
    protected int keep;

    /** Refuses a bad keep, lockTimeout or staleLockAfter before anything connects to the engine. */
    @Override
    protected void validateLocking() {
        atLeast("keep", keep, 0);
        super.validateLocking();
    }
}
