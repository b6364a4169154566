package dev.sancho.maven.mojo;

import dev.sancho.maven.core.ImageBuilder;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.ImageBuilds;
import dev.sancho.maven.plan.Stack;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Builds the images of the compose file's application services that have {@code build:}, for one deploy id, and
 * tags them {@code <project>/<service>:<deployId>} (plus the service's {@code image:}). Changes no container.
 * {@code sancho:deploy} does the same as its first step; run this goal alone to build ahead of time (then
 * {@code mvn sancho:deploy -Dsancho.deployId=SAME -Dsancho.skipBuild} deploys exactly these images).
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildMojo extends AbstractChangingMojo {

    @Override
    protected void run() {
        Stack stack = loadStack();
        int count = ImageBuilds.plan(stack, System.getenv()).size();
        if (count == 0) {
            getLog().info("sancho:build: no application service of " + stack.compose().file() + " has build:;"
                    + " nothing to build");
            return;
        }
        try (DockerEngine engine = connect()) {
            ImageBuilder.build(engine, stack, System.getenv(), maskedVariables(), false, dryRun, log());
        }
        getLog().info("sancho:build: " + (dryRun ? "would build " : "built ") + count + " image"
                + (count == 1 ? "" : "s") + " for deploy " + stack.deployId());
    }
}
