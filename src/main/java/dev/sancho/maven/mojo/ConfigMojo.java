package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackYaml;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the stack as sancho will deploy it, like {@code docker compose config}: the compose file after
 * interpolation, each service's role and final container name, engine names of volumes and networks. Secret
 * environment values are masked. Needs no Docker engine.
 */
@Mojo(name = "config", requiresProject = true, threadSafe = true)
public class ConfigMojo extends AbstractSanchoMojo {

    /** Write the resolved stack to this file instead of the build log. */
    @Parameter(property = "sancho.output")
    protected File output;

    @Override
    protected void run() {
        Stack stack = loadStack();
        String yaml = "# sancho:config of " + stack.compose().path() + " (secret values masked)\n"
                + StackYaml.render(stack, maskedVariables());
        if (output == null) {
            yaml.lines().forEach(getLog()::info);
            return;
        }
        try {
            File parent = output.getAbsoluteFile().getParentFile();
            if (parent != null) {
                Files.createDirectories(parent.toPath());
            }
            Files.writeString(output.toPath(), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("sancho.output: cannot write " + output + ": " + e.getMessage(), e);
        }
        getLog().info("sancho: resolved stack written to " + output);
    }
}
