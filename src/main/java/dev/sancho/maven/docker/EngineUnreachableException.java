package dev.sancho.maven.docker;

/** The engine could not be reached at all. The message is one line naming the address and the cause. */
public class EngineUnreachableException extends RuntimeException {
    private final String address;

    public EngineUnreachableException(String address, String message, Throwable cause) {
        super(message, cause);
        this.address = address;
    }

    public String address() {
        return address;
    }
}
