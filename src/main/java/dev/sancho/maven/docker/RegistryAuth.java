package dev.sancho.maven.docker;

/**
 * Credentials for one registry and where they were found. {@link #toString()} never shows the secret: this record
 * may end up in a message or a debug line.
 *
 * @param registry      the registry host as images name it, e.g. {@code 127.0.0.1:5000} or {@code docker.io}
 * @param username      null for an identity token
 * @param secret        the password, or the identity token
 * @param identityToken the secret is an OAuth identity token (config.json {@code identitytoken}, or a credential
 *                      helper answering with the username {@code <token>})
 * @param source        for messages, e.g. {@code settings.xml server '127.0.0.1:5000'}
 */
public record RegistryAuth(String registry, String username, String secret, boolean identityToken, String source) {

    @Override
    public String toString() {
        return "credentials for " + registry + " from " + source;
    }
}
