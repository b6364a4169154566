package dev.sancho.maven.common;

/** The configuration was fine but the stack is not in the state it must be (verify failed, deploy unhealthy). */
public class CheckFailedException extends RuntimeException {
    public CheckFailedException(String message) {
        super(message);
    }
}
