package dev.sancho.maven.docker;

/**
 * A registry refused a pull or a push for want of (valid) credentials. The message names the registry and which
 * credential source was used, never the secret.
 */
public class RegistryAuthException extends DockerOperationException {
    private final String registry;

    public RegistryAuthException(String registry, String message, Throwable cause) {
        super(message, cause);
        this.registry = registry;
    }

    public String registry() {
        return registry;
    }
}
