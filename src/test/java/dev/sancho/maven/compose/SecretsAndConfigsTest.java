package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.compose.ServiceOptions.FileMount;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code secrets:} and {@code configs:} on a single engine, as docker-compose provides them: the top-level entry's
 * file, bind-mounted read-only at {@code /run/secrets/<name>} (secrets) or {@code /<name>} (configs), or at the long
 * syntax's target. Read the way ComposeLoader reads a file once it passes the top-level definitions on.
 */
class SecretsAndConfigsTest {
    @TempDir
    Path dir;

    private Service load(String yaml) {
        Source src = new Source("docker-compose.yml", dir, k -> null, Map.of());
        YamlNode.Mapping top = (YamlNode.Mapping) YamlReader.read(yaml, "docker-compose.yml");
        Map<String, FileDefs.FileDef> secrets = FileDefs.parse(top.get("secrets"), src, "secrets");
        Map<String, FileDefs.FileDef> configs = FileDefs.parse(top.get("configs"), src, "configs");
        YamlNode.Mapping services = (YamlNode.Mapping) top.get("services");
        Set<String> names = new LinkedHashSet<>();
        services.entries().forEach(e -> names.add(e.key()));
        ServiceParser parser = new ServiceParser(src, names, Set.of(), Set.of(), secrets, configs);
        Service s = parser.parse(services.entries().get(0));
        assertEquals(List.of(), src.warnings());
        return s;
    }

    private String error(String yaml) {
        return assertThrows(ComposeException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void secretsAreTheirFileAtRunSecretsAndConfigsAtTheRoot() {
        Fixtures.write(dir, "secrets/db_password.txt", "s3cret-value\n");
        Fixtures.write(dir, "app.conf", "x=1\n");
        Service s = load("""
                services:
                  api:
                    image: app:1
                    secrets:
                      - db_password
                      - source: db_password
                        target: api_password
                      - source: db_password
                        target: /etc/api/password
                    configs:
                      - app_conf
                      - source: app_conf
                        target: /etc/app.conf
                secrets:
                  db_password:
                    file: ./secrets/db_password.txt
                configs:
                  app_conf:
                    file: app.conf
                """);
        String secret = dir.resolve("secrets/db_password.txt").toString();
        String config = dir.resolve("app.conf").toString();
        assertEquals(List.of(new FileMount("db_password", secret, "/run/secrets/db_password", 5),
                new FileMount("db_password", secret, "/run/secrets/api_password", 6),
                new FileMount("db_password", secret, "/etc/api/password", 8)), s.options().secrets());
        assertEquals(List.of(new FileMount("app_conf", config, "/app_conf", 11),
                new FileMount("app_conf", config, "/etc/app.conf", 12)), s.options().configs());
        assertFalse(s.options().toString().contains("s3cret-value"), "the value is never read");
    }

    @Test
    void aMissingSecretFileIsAOneLineErrorWithItsLine() {
        assertEquals("docker-compose.yml:7: secrets.token.file: " + dir.resolve("token.txt") + " does not exist",
                error("""
                        services:
                          api:
                            image: app:1
                            secrets: [token]
                        secrets:
                          token:
                            file: ./token.txt
                        """));
    }

    @Test
    void anUndeclaredSecretIsAnError() {
        assertEquals("docker-compose.yml:4: services.api.secrets[0]: secret \"token\" is not declared under the"
                + " top-level secrets:", error("services:\n  api:\n    image: app:1\n    secrets: [token]\n"));
    }

    @Test
    void swarmOnlySourcesAreRefusedRatherThanIgnored() {
        assertEquals("docker-compose.yml:6: secrets.token.external: external secrets live in a swarm; on a single engine give"
                + " the file: (e.g. file: ./token.txt)",
                error("services:\n  api:\n    image: app:1\nsecrets:\n  token:\n    external: true\n"));
        assertEquals("docker-compose.yml:6: secrets.token.environment: environment: sources are not supported by"
                + " sancho yet; put the value in a file (not under version control) and write file: instead",
                error("services:\n  api:\n    image: app:1\nsecrets:\n  token:\n    environment: API_TOKEN\n"));
    }

    @Test
    void theLoaderAppliesThemEndToEnd() {
        Fixtures.write(dir, "secrets/db_password.txt", "s3cret-value\n");
        ComposeFile c = Fixtures.inline(dir, """
                services:
                  api:
                    image: app:1
                    secrets: [db_password]
                secrets:
                  db_password:
                    file: ./secrets/db_password.txt
                """);
        assertEquals(List.of(), c.warnings());
        List<FileMount> secrets = c.services().get("api").options().secrets();
        assertEquals(1, secrets.size());
        assertEquals("/run/secrets/db_password", secrets.get(0).target());
        assertEquals(dir.resolve("secrets/db_password.txt").toAbsolutePath().normalize().toString(), secrets.get(0).file());
    }

    @Test
    void aServiceSecretWithoutTopLevelDefinitionIsAnErrorThroughTheLoader() {
        ComposeException e = assertThrows(ComposeException.class,
                () -> Fixtures.inline(dir, "services:\n  api:\n    image: app:1\n    secrets: [token]\n"));
        assertFalse(e.getMessage().isBlank());
        assertEquals(true, e.getMessage().startsWith("docker-compose.yml:4: services.api.secrets"), e.getMessage());
    }
}
