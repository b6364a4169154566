package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackYaml;
import dev.sancho.maven.target.Targets;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the stack as sancho will deploy it, like {@code docker compose config}: the compose files merged (override
 * file, {@code composeFiles}, {@code include}, {@code extends}) and interpolated, without the services that
 * {@code profiles} disable, each service's role and final container name, engine names of volumes and networks.
 * Secret environment values are masked. Needs no Docker engine.
 */
@Mojo(name = "config", requiresProject = true, threadSafe = true)
public class ConfigMojo extends AbstractSanchoMojo {

    /** Write the resolved stack to this file instead of the build log (secret values scrubbed, mode 0600). */
    @Parameter(property = "sancho.output")
    protected File output;

    /**
     * What the stack is deployed onto: {@code engine} (one Docker engine, containers) or {@code swarm} (the engine is
     * a Swarm manager; services, see the Swarm page of the documentation).
     */
    @Parameter(property = "sancho.target", defaultValue = "engine")
    protected String target;

    /** The file is read with the target's rules (a swarm's external secrets, its deploy: keys), as deploy reads it. */
    @Override
    protected boolean swarmStack() {
        return Targets.parse(target).readsComposeForSwarm();
    }

    @Override
    protected void run() {
        Stack stack = loadStack();
        String yaml = "# sancho:config of " + stack.compose().path() + " (secret values masked)\n"
                + origin(stack.compose()) + StackYaml.render(stack, maskedVariables(), swarmStack());
        if (output == null) {
            yaml.lines().forEach(getLog()::info);
            return;
        }
        try {
            File parent = output.getAbsoluteFile().getParentFile();
            if (parent != null) {
                Files.createDirectories(parent.toPath());
            }
            writePrivate(output.toPath(), scrub(yaml));
        } catch (IOException e) {
            throw new ConfigException("sancho.output: cannot write " + output + ": " + e.getMessage(), e);
        }
        getLog().info("sancho: resolved stack written to " + output);
    }

    /**
     * Writes the file readable by its owner only (0600 where the file system has POSIX permissions): the output is
     * scrubbed, but it still describes the stack (hosts, users, paths) and may be kept as a CI artifact.
     */
    static void writePrivate(Path file, String text) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(owner));
            }
            Files.setPosixFilePermissions(file, owner); // an older file may have been world-readable
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Comment lines naming the files merged and the profiles, when there is more than one file or a profile. */
    static String origin(ComposeFile compose) {
        ComposeFile.Provenance p = compose.provenance();
        StringBuilder b = new StringBuilder();
        if (p.files().size() > 1) {
            Path dir = compose.path().toAbsolutePath().getParent();
            List<String> names = new ArrayList<>();
            for (Path f : p.files()) {
                names.add(f.startsWith(dir) ? dir.relativize(f).toString() : f.toString());
            }
            b.append("# merged from ").append(String.join(", ", names)).append('\n');
        }
        if (!p.profiles().isEmpty() || !p.disabledServices().isEmpty()) {
            b.append("# profiles: ").append(p.profiles().isEmpty() ? "none active" : String.join(", ", p.profiles()));
            if (!p.disabledServices().isEmpty()) {
                List<String> off = new ArrayList<>();
                p.disabledServices().forEach((name, profiles) -> off.add(name + " (" + String.join(", ", profiles)
                        + ")"));
                b.append("; not deployed: ").append(String.join(", ", off));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
