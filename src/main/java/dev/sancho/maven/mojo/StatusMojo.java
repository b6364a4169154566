package dev.sancho.maven.mojo;

import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints the infrastructure containers and every deploy (the current one marked *, with the commit it was deployed
 * from and who deployed it). Read-only. The table is the goal's product: under {@code mvn -q} it goes to standard
 * output.
 */
@Mojo(name = "status", threadSafe = true)
public class StatusMojo extends AbstractEngineMojo {

    @Override
    protected void run() {
        Stack stack = loadStack();
        try (DockerEngine engine = connect()) {
            printProduct(target().status(engine, stack, log()));
        }
    }
}
