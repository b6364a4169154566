package dev.sancho.maven.mojo;

import dev.sancho.maven.core.Ownership;
import dev.sancho.maven.core.Status;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import org.apache.maven.plugins.annotations.Mojo;

/** Prints the infrastructure containers and every deploy (the current one marked *). Read-only. */
@Mojo(name = "status", threadSafe = true)
public class StatusMojo extends AbstractEngineMojo {

    @Override
    protected void run() {
        Stack stack = loadStack();
        if (swarmTarget()) {
            try (DockerEngine engine = connect()) {
                dev.sancho.maven.core.SwarmStatus.render(engine, stack).forEach(getLog()::info);
            }
            return;
        }
        try (DockerEngine engine = connect()) {
            Ownership.foreign(engine, stack).ifPresent(getLog()::warn); // read-only: said, then shown as it is
            Status.render(engine, stack).forEach(getLog()::info);
        }
    }

    @Override
    protected boolean supportsSwarm() {
        return true;
    }
}
