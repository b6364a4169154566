package dev.sancho.maven.common;

/** The user's configuration is wrong (pom parameter, compose file, environment). One line, actionable. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
