package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.common.ConfigException;
import java.util.List;
import java.util.Map;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsProblem;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.junit.jupiter.api.Test;

class ServerSecretsTest {
    /** Stands in for Maven's decrypter: "{enc}" passwords decrypt to "plain", "{bad}" fails. */
    private static final SettingsDecrypter DECRYPTER = request -> {
        Server s = request.getServers().get(0).clone();
        if ("{bad}".equals(s.getPassword())) {
            return result(null, List.of(new DefaultSettingsProblem("Failed to decrypt password for server "
                    + s.getId(), SettingsProblem.Severity.ERROR, null, -1, -1, null)));
        }
        if ("{enc}".equals(s.getPassword())) {
            s.setPassword("plain");
        }
        return result(s, List.of());
    };

    private static SettingsDecryptionResult result(Server server, List<SettingsProblem> problems) {
        return new SettingsDecryptionResult() {
            @Override
            public Server getServer() {
                return server;
            }

            @Override
            public List<Server> getServers() {
                return server == null ? List.of() : List.of(server);
            }

            @Override
            public org.apache.maven.settings.Proxy getProxy() {
                return null;
            }

            @Override
            public List<org.apache.maven.settings.Proxy> getProxies() {
                return List.of();
            }

            @Override
            public List<SettingsProblem> getProblems() {
                return problems;
            }
        };
    }

    private static Settings settings(String id, String password) {
        Server server = new Server();
        server.setId(id);
        server.setPassword(password);
        Settings settings = new Settings();
        settings.addServer(server);
        return settings;
    }

    @Test
    void theDecryptedPasswordBecomesTheVariable() {
        assertEquals(Map.of("DB_PASSWORD", "plain"),
                ServerSecrets.resolve(Map.of("DB_PASSWORD", "prod-db"), settings("prod-db", "{enc}"), DECRYPTER));
    }

    @Test
    void secretsWinOverTheEnvironment() {
        Map<String, String> env = ServerSecrets.overlay(Map.of("DB_PASSWORD", "from-env", "HOME", "/root"),
                Map.of("DB_PASSWORD", "from-settings"));
        assertEquals("from-settings", env.get("DB_PASSWORD"));
        assertEquals("/root", env.get("HOME"));
    }

    @Test
    void anUnknownServerIdIsOneLineNamingItAndSettingsXml() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerSecrets.resolve(
                Map.of("DB_PASSWORD", "prod-dbx"), settings("prod-db", "secret-value"), DECRYPTER));
        assertEquals("<servers>: DB_PASSWORD refers to server id 'prod-dbx', which is not in settings.xml (add"
                + " <server><id>prod-dbx</id><password>…</password></server> to ~/.m2/settings.xml)", e.getMessage());
    }

    @Test
    void aServerWithoutPasswordOrUndecryptableSaysSoWithoutTheValue() {
        ConfigException none = assertThrows(ConfigException.class, () -> ServerSecrets.resolve(
                Map.of("DB_PASSWORD", "prod-db"), settings("prod-db", null), DECRYPTER));
        assertEquals("<servers>: server 'prod-db' in settings.xml has no <password> (needed for DB_PASSWORD)",
                none.getMessage());
        ConfigException bad = assertThrows(ConfigException.class, () -> ServerSecrets.resolve(
                Map.of("DB_PASSWORD", "prod-db"), settings("prod-db", "{bad}"), DECRYPTER));
        assertEquals("<servers>: cannot decrypt the password of server 'prod-db' in settings.xml (for DB_PASSWORD):"
                + " Failed to decrypt password for server prod-db — check ~/.m2/settings-security.xml",
                bad.getMessage());
        assertFalse(bad.getMessage().contains("{bad}"));
    }

    @Test
    void aBadVariableNameIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerSecrets.resolve(
                Map.of("DB-PASSWORD", "prod-db"), settings("prod-db", "x"), DECRYPTER));
        assertEquals("<servers>: 'DB-PASSWORD' is not a variable name (letters, digits, _)", e.getMessage());
    }

    @Test
    void noServersConfiguredMeansNoSecrets() {
        assertEquals(Map.of(), ServerSecrets.resolve(null, null, DECRYPTER));
    }
}
