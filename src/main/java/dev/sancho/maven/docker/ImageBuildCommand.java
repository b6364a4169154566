package dev.sancho.maven.docker;

import com.github.dockerjava.api.command.BuildImageCmd;
import java.util.LinkedHashSet;

/** Spells a {@link BuildRequest} as docker-java's build command (classic builder), without sending it. */
final class ImageBuildCommand {
    private ImageBuildCommand() {}

    /**
     * Fills {@code cmd} (made for the context tar) from {@code request}. Never pulls a newer base image, and removes
     * intermediate containers also of a failed step.
     *
     * @param dockerfileInTar where the Dockerfile is inside the context tar ({@link BuildContext.Written})
     */
    static BuildImageCmd apply(BuildImageCmd cmd, BuildRequest request, String dockerfileInTar) {
        cmd.withDockerfilePath(dockerfileInTar)
                .withTags(new LinkedHashSet<>(request.tags()))
                .withPull(false)
                .withRemove(true)
                // intermediate containers of a failed step would otherwise stay on a shared engine
                .withForcerm(true);
        request.args().forEach((k, v) -> {
            if (v != null) {
                cmd.withBuildArg(k, v);
            }
        });
        if (!request.labels().isEmpty()) {
            cmd.withLabels(request.labels());
        }
        if (request.target() != null && !request.target().isBlank()) {
            cmd.withTarget(request.target());
        }
        if (request.network() != null && !request.network().isBlank()) {
            cmd.withNetworkMode(request.network());
        }
        if (!request.extraHosts().isEmpty()) {
            cmd.withExtraHosts(new LinkedHashSet<>(request.extraHosts()));
        }
        if (request.shmSizeBytes() != null) {
            cmd.withShmsize(request.shmSizeBytes());
        }
        return cmd;
    }
}
