package dev.sancho.maven.docker;

/**
 * A container's stdin held open by this process ({@link DockerEngine#attachStdin}): whatever ends this process (exit,
 * {@code kill -9}, a dropped ssh or tcp connection) ends the attach, and a container created with
 * {@link ContainerOptions#stdinOnce()} then reads EOF.
 */
public interface StdinStream extends AutoCloseable {

    /**
     * Sends bytes to the container's stdin.
     *
     * @throws DockerOperationException when the stream has ended
     */
    void write(byte[] bytes);

    /** True once the engine ended the stream (the container stopped) or the connection to it broke. */
    boolean ended();

    /** Ends the attach (the container reads EOF); idempotent. */
    @Override
    void close();
}
