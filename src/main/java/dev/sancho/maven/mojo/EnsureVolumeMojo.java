package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.ComposeFiles;
import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.core.VolumeEnsurer;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Creates the named volumes the deployment needs (the pom's {@code <volumes>} and the compose file's top-level
 * volumes) and the bind-mount directories its services declare, when missing. Never removes or changes a volume.
 * Running it twice changes nothing the second time.
 */
@Mojo(name = "ensure-volume", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class EnsureVolumeMojo extends AbstractChangingMojo {

    /** Named volumes to ensure besides the compose file's (comma-separated on the command line). */
    @Parameter(property = "sancho.volumes")
    protected List<String> volumes;

    /**
     * Create a missing {@code external: true} volume of the compose file although the project has been deployed on
     * this engine before. By default only the project's first deploy on an engine creates one: later, a missing
     * external volume is a typo or lost data, and the deploy refuses in one line before changing anything.
     * {@code sancho:ensure-volume} run on the command line always creates them (bound to a phase it follows this rule).
     */
    @Parameter(property = "sancho.createExternalVolumes", defaultValue = "false")
    protected boolean createExternalVolumes;

    @Override
    protected void run() {
        Stack stack = null;
        boolean hasPomVolumes = volumes != null && !volumes.isEmpty();
        List<Path> files = composePaths();
        String where = files.isEmpty() ? basedir() + " (looked for " + String.join(", ", ComposeFiles.NAMES) + ")"
                : files.get(0).toString();
        if (!files.isEmpty() && Files.isRegularFile(files.get(0))) {
            stack = loadStack();
        } else if (hasPomVolumes) {
            getLog().info("no compose file at " + where + ": ensuring the pom's <volumes> only");
        } else {
            throw new ConfigException("nothing to ensure: no compose file at " + where
                    + " and no <volumes> in the pom; set sancho.composeFile or list <volumes><volume>NAME</volume></volumes>");
        }
        String projectName = stack != null ? stack.project() : projectNameHint();
        VolumeEnsurer.requirements(stack, volumes); // input errors first, then the engine
        try (DockerEngine engine = connect()) {
            if (stack != null) {
                dev.sancho.maven.core.Ownership.require(engine, stack, false, log());
            }
            boolean asked = createExternalVolumes || mojoExecution == null
                    || mojoExecution.getSource() == org.apache.maven.plugin.MojoExecution.Source.CLI;
            VolumeEnsurer.External external = asked || stack == null || VolumeEnsurer.firstDeploy(engine, stack)
                    ? VolumeEnsurer.External.CREATE : VolumeEnsurer.External.REFUSE;
            writeResult(ResultFile.ensureVolume(target().name(), projectName,
                    VolumeEnsurer.ensure(engine, stack, volumes, projectName, dryRun, external, log())));
        }
    }
}
