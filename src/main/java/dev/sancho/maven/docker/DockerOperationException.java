package dev.sancho.maven.docker;

/** The engine answered but refused or failed an operation. The message is one line, ready for the user. */
public class DockerOperationException extends RuntimeException {
    public DockerOperationException(String message, Throwable cause) {
        super(message, cause);
    }

    public DockerOperationException(String message) {
        super(message);
    }
}
