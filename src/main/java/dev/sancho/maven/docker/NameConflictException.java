package dev.sancho.maven.docker;

/** A container with that exact name already exists (HTTP 409). Atomic: usable as a lock. */
public class NameConflictException extends DockerOperationException {
    private final String name;

    public NameConflictException(String name, Throwable cause) {
        super("a container named " + name + " already exists", cause);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
