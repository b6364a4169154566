package dev.sancho.maven.docker;

import java.util.Optional;

/**
 * The build tool's own server credentials by id (Maven's settings.xml {@code <server>}), passwords already
 * decrypted. The first place {@link RegistryCredentials} looks.
 */
@FunctionalInterface
public interface ServerLogins {
    ServerLogins NONE = id -> Optional.empty();

    /** The server whose id is exactly {@code id}. */
    Optional<Login> find(String id);

    /** {@link #toString()} never shows the password. */
    record Login(String username, String password) {
        @Override
        public String toString() {
            return "login " + username;
        }
    }
}
