package dev.sancho.maven.mojo;

import dev.sancho.maven.core.Verifier;
import dev.sancho.maven.core.VerifyOptions;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The runbook's verification commands as a check that fails the build: infrastructure running (and healthy) by
 * exact name, volumes present and mounted where the compose file says, bind-mounted directories present
 * ({@code acme.json} mode 600), the current deploy running and healthy, and the configured probes. Read-only.
 * With {@code -Dsancho.deployId=X}, deploy X must be the one running.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractEngineMojo {

    /** Extra checks: {@code <probe><exec>} runs a command in a service's container, {@code <probe><http>} a GET. */
    @Parameter
    protected List<Probe> probes;

    @Override
    protected void run() {
        List<VerifyOptions.Probe> checks = new ArrayList<>();
        if (probes != null) {
            for (int i = 0; i < probes.size(); i++) {
                checks.add(probes.get(i).toProbe(i + 1));
            }
        }
        String deployedHere = recalledFromThisBuild(DEPLOYED_IN_THIS_BUILD);
        if (DRY_RUN_DEPLOY.equals(deployedHere)) {
            getLog().info("sancho:verify: the deploy of this build was a dry run and changed nothing; nothing to verify");
            return;
        }
        Stack stack = loadStack();
        // Bound after sancho:deploy in the same build, verify expects the deploy that build just made.
        String expected = deployId != null && !deployId.isBlank() ? deployId.trim() : deployedHere;
        try (DockerEngine engine = connect()) {
            VerifyOptions options = new VerifyOptions(expected, isLocal(engine.address()), checks);
            Verifier.verify(engine, stack, options, log()).requireOk();
        }
    }

    /** Bind sources can only be checked when they are on this machine's file system. */
    static boolean isLocal(String address) {
        return address == null || address.startsWith("unix://") || address.startsWith("npipe://");
    }
}
