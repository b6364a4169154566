package dev.sancho.maven.mojo;

import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.core.Verifier;
import dev.sancho.maven.core.VerifyOptions;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The runbook's verification commands as a check that fails the build: infrastructure running (and healthy) by
 * exact name, volumes present and mounted where the compose file says, bind-mounted directories present
 * ({@code acme.json} mode 600), the current deploy running and healthy, and the configured probes. Read-only.
 * With {@code -Dsancho.expectedDeployId=X}, deploy X must be the one running.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractEngineMojo {

    /** Extra checks: {@code <probe><exec>} runs a command in a service's container, {@code <probe><http>} a GET. */
    @Parameter
    protected List<Probe> probes;

    /**
     * The deploy that must be the current one; default: the one this build deployed when {@code sancho:deploy} ran
     * before in the same build, else whichever runs. ({@code sancho.deployId} named it before and still does, with a
     * deprecation warning.)
     */
    @Parameter(property = "sancho.expectedDeployId")
    protected String expectedDeployId;

    /**
     * When set, each infrastructure service with {@code x-sancho-backup} must have a proven backup at most this old
     * ({@code 24h}, {@code 7d}, {@code 1d12h}, or seconds): one row per service, failed when the newest proven
     * backup is older or there is none. Unset: backups are not checked.
     */
    @Parameter(property = "sancho.backupMaxAge")
    protected String backupMaxAge;

    @Override
    protected void run() {
        List<VerifyOptions.Probe> checks = Probe.toProbes(probes);
        String deployedHere = recalledFromThisBuild(DEPLOYED_IN_THIS_BUILD);
        if (DRY_RUN_DEPLOY.equals(deployedHere)) {
            getLog().info("sancho:verify: the deploy of this build was a dry run and changed nothing; nothing to verify");
            // a verify.json of an earlier build must not be read as this build's
            writeResult(ResultFile.skipped("verify", target().name(), projectNameHint(),
                    "the deploy of this build was a dry run"));
            return;
        }
        java.time.Duration maxAge = backupMaxAge == null || backupMaxAge.isBlank() ? null
                : duration("backupMaxAge", backupMaxAge, java.time.Duration.ofSeconds(1));
        Stack stack = loadStack();
        // Bound after sancho:deploy in the same build, verify expects the deploy that build just made.
        String expected = expectedDeployId != null && !expectedDeployId.isBlank() ? expectedDeployId.trim()
                : deployedHere != null ? deployedHere
                : deprecatedAlias("expectedDeployId", null, "deployId", deployId, "names the deploy that must be current");
        try (DockerEngine engine = connect()) {
            VerifyOptions options = new VerifyOptions(expected, Verifier.bindSourcesAreLocal(engine.address()), checks,
                    maskedVariables(), maxAge);
            Verifier.Report report = target().verify(engine, stack, options, log());
            writeResult(ResultFile.verify(target().name(), stack.project(), expected, report));
            report.requireOk();
        }
    }
}
