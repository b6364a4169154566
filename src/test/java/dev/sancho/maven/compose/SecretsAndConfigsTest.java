package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** The interpolation variables (environment, settings.xml servers, .env) the file is read with. */
    private final Map<String, String> variables = new java.util.HashMap<>();

    private Service load(String yaml) {
        Source src = new Source("docker-compose.yml", dir, variables::get, Map.of());
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
        assertEquals("docker-compose.yml:7: secrets.token.external: external secrets live in a swarm; on a single engine give"
                + " the file: (e.g. file: ./token.txt)",
                error("services:\n  api:\n    image: app:1\n    secrets: [token]\nsecrets:\n  token:\n    external: true\n"));
    }

    @Test
    void anEnvironmentSourceIsTheVariablesValueCopiedInWithModeAndOwner() {
        variables.put("API_TOKEN", "tok-3141");
        Service s = load("""
                services:
                  api:
                    image: app:1
                    secrets:
                      - token
                      - source: token
                        target: /etc/token
                        mode: 0400
                        uid: "1000"
                        gid: "1001"
                    configs: [greeting]
                secrets:
                  token:
                    environment: API_TOKEN
                configs:
                  greeting:
                    content: hello ${API_TOKEN}
                """);
        assertEquals(List.of(new FileMount("token", null, "/run/secrets/token", 5, "tok-3141", null, null, null),
                new FileMount("token", null, "/etc/token", 6, "tok-3141", 0400, 1000, 1001)), s.options().secrets());
        assertEquals(List.of(new FileMount("greeting", null, "/greeting", 11, "hello tok-3141", null, null, null)),
                s.options().configs());
        assertFalse(s.options().toString().contains("tok-3141"), s.options().toString());
    }

    @Test
    void anUnsetSourceVariableIsAOneLineErrorNamingItsLineAndTheVariable() {
        assertEquals("docker-compose.yml:7: secrets.token.environment: variable API_TOKEN is not set (environment,"
                + " settings.xml <servers> or .env); it is the secret's content", error("services:\n  api:\n"
                + "    image: app:1\n    secrets: [token]\nsecrets:\n  token:\n    environment: API_TOKEN\n"));
    }

    @Test
    void theVariableComesFromTheInterpolationEnvironmentDotEnvIncluded() {
        Fixtures.write(dir, ".env", "API_TOKEN=from-dotenv\n");
        String yaml = "services:\n  api:\n    image: app:1\n    secrets: [t]\nsecrets:\n  t:\n    environment: API_TOKEN\n";
        assertEquals("from-dotenv", Fixtures.inline(dir, yaml).services().get("api").options().secrets().get(0)
                .content());
        assertEquals("from-env", Fixtures.inline(dir, yaml, Map.of("API_TOKEN", "from-env")).services().get("api")
                .options().secrets().get(0).content(), "the environment wins over .env, as in interpolation");
    }

    @Test
    void modeAndOwnerOfABindMountedFileAreNotAppliedWithANote() {
        Fixtures.write(dir, "t.txt", "x\n");
        ComposeFile c = Fixtures.inline(dir, "services:\n  api:\n    image: app:1\n    secrets:\n      - source: t\n"
                + "        mode: 0400\nsecrets:\n  t:\n    file: ./t.txt\n");
        assertEquals(1, c.warnings().size(), c.warnings()::toString);
        assertTrue(c.warnings().get(0).contains("docker-compose.yml:6: services.api.secrets[0].mode: mode does not"
                + " apply to a file: source"), c.warnings()::toString);
    }

    @Test
    void contentIsForConfigsAndOneSourceOnly() {
        assertEquals("docker-compose.yml:6: secrets.token.content: content: is for configs only (Compose spec); for a"
                + " secret use environment: or file:",
                error("services:\n  api:\n    image: app:1\nsecrets:\n  token:\n    content: x\n"));
        variables.put("T", "v");
        assertEquals("docker-compose.yml:6: configs.c: give one of file:, environment: or content:, not several",
                error("services:\n  api:\n    image: app:1\nconfigs:\n  c:\n    content: x\n    environment: T\n"));
        assertEquals("docker-compose.yml:6: services.api.configs[0].mode: expected a file mode such as 0440, found"
                + " \"rw\"", error("services:\n  api:\n    image: app:1\n    configs:\n      - source: c\n"
                + "        mode: rw\nconfigs:\n  c:\n    environment: T\n"));
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
