package dev.sancho.maven.mojo;

import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import org.apache.maven.plugins.annotations.Mojo;

/** Prints the infrastructure containers and every deploy (the current one marked *). Read-only. */
@Mojo(name = "status", threadSafe = true)
public class StatusMojo extends AbstractEngineMojo {

    @Override
    protected void run() {
        Stack stack = loadStack();
        try (DockerEngine engine = connect()) {
            target().status(engine, stack, log()).forEach(getLog()::info);
        }
    }
}
