package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.core.command.BuildImageCmdImpl;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageBuildCommandTest {

    private static BuildImageCmdImpl apply(BuildRequest request, String dockerfileInTar) {
        BuildImageCmd.Exec notSent = (c, callback) -> {
            throw new AssertionError("mapping only: nothing is sent");
        };
        BuildImageCmdImpl cmd = new BuildImageCmdImpl(notSent, new ByteArrayInputStream(new byte[0]));
        ImageBuildCommand.apply(cmd, request, dockerfileInTar);
        return cmd;
    }

    @Test
    void theRequestBecomesAClassicBuildThatNeverPulls() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("VERSION", "1.2");
        args.put("UNSET", null);
        BuildImageCmdImpl cmd = apply(new BuildRequest(Path.of("/ctx"), "docker/Dockerfile", args, "runtime",
                Map.of("sancho.recipe", "r"), "host", List.of("repo:10.0.0.3"), 64L << 20,
                List.of("app:2", "app:latest")), "docker/Dockerfile");

        assertEquals("docker/Dockerfile", cmd.getPathToDockerfile());
        assertEquals(List.of("app:2", "app:latest"), List.copyOf(cmd.getTags()), "tags keep their order");
        assertEquals(false, cmd.hasPullEnabled());
        assertEquals(true, cmd.hasRemoveEnabled());
        assertEquals(true, cmd.isForcerm());
        assertEquals(Map.of("VERSION", "1.2"), cmd.getBuildArgs(), "a null arg is left out");
        assertEquals(Map.of("sancho.recipe", "r"), cmd.getLabels());
        assertEquals("runtime", cmd.getTarget());
        assertEquals("host", cmd.getNetworkMode());
        assertEquals(Set.of("repo:10.0.0.3"), cmd.getExtraHosts());
        assertEquals(64L << 20, cmd.getShmsize());
    }

    @Test
    void blankOptionsAreLeftToTheEngine() {
        BuildImageCmdImpl cmd = apply(new BuildRequest(Path.of("/ctx"), null, null, " ", null, "", null, null,
                List.of("app:2")), BuildContext.OUTSIDE_DOCKERFILE);
        assertEquals(BuildContext.OUTSIDE_DOCKERFILE, cmd.getPathToDockerfile());
        assertNull(cmd.getTarget());
        assertNull(cmd.getNetworkMode());
        assertNull(cmd.getLabels());
        assertNull(cmd.getExtraHosts());
        assertNull(cmd.getShmsize());
    }
}
