package dev.sancho.maven.common;

import java.util.regex.Pattern;

/**
 * Docker's rule for the names of containers, volumes and networks (and Compose's for service names): one definition
 * for the compose parser, the stack resolver and ensure-volume.
 */
public final class DockerNames {
    private DockerNames() {}

    /** The rule as users read it in messages. */
    public static final String RULE = "[a-zA-Z0-9][a-zA-Z0-9_.-]*";

    private static final Pattern NAME = Pattern.compile(RULE);

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Volumes need two characters at least: the engine refuses a one-character volume name. */
    public static boolean isValidVolume(String name) {
        return isValid(name) && name.length() >= 2;
    }
}
