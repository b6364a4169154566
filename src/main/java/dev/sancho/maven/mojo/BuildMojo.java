package dev.sancho.maven.mojo;

import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.ImageBuilds;
import dev.sancho.maven.plan.Stack;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the images of the compose file's application services that have {@code build:}, for one deploy id, and
 * tags them {@code <project>/<service>:<deployId>} (plus the service's {@code image:}). Changes no container.
 * {@code sancho:deploy} does the same as its first step; run this goal alone to build ahead of time (then
 * {@code mvn sancho:deploy -Dsancho.deployId=SAME -Dsancho.skipBuild} deploys exactly these images).
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BuildMojo extends AbstractChangingMojo {

    /**
     * After the build, push each built image to the registry its {@code image:} names: the per-deploy tag
     * ({@code image:}'s repository with the deploy id as tag) and the {@code image:} tag. The deploy then runs the
     * pushed reference, so an engine that did not build it pulls it. A failed push stops before any container
     * changes. Docker Hub only for a name with an account ({@code user/app}).
     */
    @Parameter(property = "sancho.push", defaultValue = "false")
    protected boolean push;

    @Override
    protected String goal() {
        return "build";
    }

    /** Whether this goal pushes what it built ({@code sancho:push} always does). */
    protected boolean pushes() {
        return push;
    }

    @Override
    protected void run() {
        Stack stack = loadStack();
        List<ImageBuilds.ImageBuild> builds = ImageBuilds.plan(stack, System.getenv());
        int count = builds.size();
        if (count == 0) {
            getLog().info("sancho:" + goal() + ": no application service of " + stack.compose().file() + " has build:;"
                    + " nothing to build");
            writeResult(ResultFile.build(goal(), target().name(), stack.project(), "nothing-to-build",
                    stack.deployId(), Map.of()));
            return;
        }
        Stack built;
        try (DockerEngine engine = connect()) {
            built = target().build(engine, stack, System.getenv(), maskedVariables(), pushes(), dryRun, log());
        }
        getLog().info("sancho:" + goal() + ": " + (dryRun ? "would build " : "built ")
                + (pushes() ? "and push " : "") + count + " image" + (count == 1 ? "" : "s") + " for deploy "
                + stack.deployId());
        // the reference each built service's containers will run (the pushed one after a push)
        Map<String, String> images = new LinkedHashMap<>();
        builds.forEach(b -> images.put(b.service(), built.service(b.service())
                .map(s -> s.service().image()).orElse(b.tag())));
        writeResult(ResultFile.build(goal(), target().name(), stack.project(), dryRun ? "dry-run"
                : pushes() ? "pushed" : "built", stack.deployId(), images));
    }
}
