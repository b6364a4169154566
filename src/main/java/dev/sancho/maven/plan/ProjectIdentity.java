package dev.sancho.maven.plan;

import dev.sancho.maven.common.ConfigException;
import java.nio.file.Path;

/**
 * Who owns a project's objects on an engine, beyond the project's name: two unrelated repositories whose poms are
 * both {@code <artifactId>backend</artifactId>} deploy as project {@code backend}, and without an identity each would
 * stop, remove and adopt the other's containers. The identity is recorded in {@link Labels#IDENTITY} on everything
 * sancho creates, and a goal refuses to act on a project whose objects carry another one.
 *
 * <p>It must be the same wherever the project is deployed from (a laptop, CI runners with other checkout
 * directories), so it names nothing of the machine: {@code groupId:artifactId:compose-file}, the main compose file's
 * path relative to the project's directory ({@code com.acme:shop:compose.yml}), or an explicit value
 * ({@code sancho.identity}). Its limits: two unrelated poms with the same groupId, artifactId and compose file path
 * are one identity (give one a {@code name:}); and a project whose groupId, artifactId or compose file moves gets a
 * new identity, so its next deploy is refused until {@code sancho.identity} names the old one.
 */
public final class ProjectIdentity {
    private ProjectIdentity() {}

    /**
     * @param composeFile the main compose file (the first of several), absolute
     * @param projectDir  the Maven project's directory, absolute
     */
    public static String derive(String groupId, String artifactId, Path composeFile, Path projectDir) {
        return groupId + ":" + artifactId + ":" + relative(composeFile, projectDir);
    }

    /** The compose file's path as the project knows it, the same in every checkout; outside it, its name alone. */
    static String relative(Path composeFile, Path projectDir) {
        Path file = composeFile.toAbsolutePath().normalize();
        Path dir = projectDir.toAbsolutePath().normalize();
        Path shown = file.startsWith(dir) ? dir.relativize(file) : file.getFileName();
        return shown.toString().replace('\\', '/');
    }

    /** An identity given by hand ({@code sancho.identity}), checked. */
    public static String explicit(String value) {
        String v = value.strip();
        if (v.isEmpty() || v.length() > 200 || v.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException("sancho.identity \"" + value + "\" is not a usable identity: give 1 to 200"
                    + " printable characters, e.g. com.acme:shop:compose.yml");
        }
        return v;
    }

    /**
     * Whether an object whose {@link Labels#IDENTITY} is {@code found} belongs to {@code identity}: the same one, or
     * none at all (made by a sancho that recorded none; a goal adopts those only after checking that nothing of the
     * project carries another identity, see {@code core.Ownership}).
     */
    public static boolean belongs(String found, String identity) {
        return found == null || found.equals(identity);
    }
}
