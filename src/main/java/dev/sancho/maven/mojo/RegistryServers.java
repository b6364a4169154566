package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.docker.ServerLogins;
import java.util.Optional;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * settings.xml's {@code <server>}s as registry logins: the server whose id is the registry host, its password
 * decrypted (settings-security.xml) only when a pull, push or build asks for that registry. Messages name the
 * server id, never the password.
 */
final class RegistryServers {
    private RegistryServers() {}

    static ServerLogins of(Settings settings, SettingsDecrypter decrypter) {
        return of(settings, decrypter, password -> {});
    }

    /** @param onPassword told each password handed out, so the log scrubs it wherever a registry echoes it */
    static ServerLogins of(Settings settings, SettingsDecrypter decrypter,
            java.util.function.Consumer<String> onPassword) {
        return id -> {
            Server server = settings == null ? null : settings.getServer(id);
            if (server == null) {
                return Optional.empty();
            }
            Server decrypted = server;
            if (decrypter != null) {
                SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
                for (SettingsProblem p : result.getProblems()) {
                    if (p.getSeverity() != SettingsProblem.Severity.WARNING) {
                        throw new ConfigException("cannot decrypt the password of server '" + id + "' in settings.xml"
                                + " (credentials for registry " + id + "): " + p.getMessage()
                                + " — check ~/.m2/settings-security.xml");
                    }
                }
                decrypted = result.getServer() != null ? result.getServer() : server;
            }
            if (decrypted.getPassword() != null) {
                onPassword.accept(decrypted.getPassword());
            }
            return Optional.of(new ServerLogins.Login(decrypted.getUsername(), decrypted.getPassword()));
        };
    }
}
