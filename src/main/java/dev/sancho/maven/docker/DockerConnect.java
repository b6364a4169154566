package dev.sancho.maven.docker;

import java.util.Map;

/** Resolves the engine address and connects. STUB: the docker work replaces the body. */
public final class DockerConnect {
    private DockerConnect() {}

    /** sancho.dockerHost, else DOCKER_HOST, else the current Docker context, else unix:///var/run/docker.sock. */
    public static String resolveAddress(String configured, Map<String, String> env) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static DockerEngine connect(String configured, Map<String, String> env) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
