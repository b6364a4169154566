package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * Secrets from Maven's settings.xml: {@code <servers><DB_PASSWORD>prod-db</DB_PASSWORD></servers>} makes the
 * (decrypted) password of server {@code prod-db} the interpolation variable {@code DB_PASSWORD}. Messages name
 * variables and server ids, never values.
 */
final class ServerSecrets {
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ServerSecrets() {}

    /** @return variable name -> password, in the order configured */
    static Map<String, String> resolve(Map<String, String> servers, Settings settings, SettingsDecrypter decrypter) {
        Map<String, String> out = new LinkedHashMap<>();
        if (servers == null) {
            return out;
        }
        servers.forEach((variable, id) -> {
            if (!VARIABLE.matcher(variable).matches()) {
                throw new ConfigException("<servers>: '" + variable + "' is not a variable name (letters, digits, _)");
            }
            if (id == null || id.isBlank()) {
                throw new ConfigException("<servers>: " + variable + " names no server id: write <" + variable
                        + ">SERVER-ID</" + variable + ">");
            }
            String serverId = id.trim();
            Server server = settings == null ? null : settings.getServer(serverId);
            if (server == null) {
                throw new ConfigException("<servers>: " + variable + " refers to server id '" + serverId
                        + "', which is not in settings.xml (add <server><id>" + serverId
                        + "</id><password>…</password></server> to ~/.m2/settings.xml)");
            }
            SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
            for (SettingsProblem p : result.getProblems()) {
                if (p.getSeverity() != SettingsProblem.Severity.WARNING) {
                    throw new ConfigException("<servers>: cannot decrypt the password of server '" + serverId
                            + "' in settings.xml (for " + variable + "): " + p.getMessage()
                            + " — check ~/.m2/settings-security.xml");
                }
            }
            Server decrypted = result.getServer() != null ? result.getServer() : server;
            String password = decrypted.getPassword();
            if (password == null || password.isEmpty()) {
                throw new ConfigException("<servers>: server '" + serverId + "' in settings.xml has no <password>"
                        + " (needed for " + variable + ")");
            }
            out.put(variable, password);
        });
        return out;
    }

    /** The process environment with the secrets on top: settings.xml wins over the environment and .env. */
    static Map<String, String> overlay(Map<String, String> processEnv, Map<String, String> secrets) {
        if (secrets.isEmpty()) {
            return processEnv;
        }
        Map<String, String> env = new LinkedHashMap<>(processEnv);
        env.putAll(secrets);
        return env;
    }
}
