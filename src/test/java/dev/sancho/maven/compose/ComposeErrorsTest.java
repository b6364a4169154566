package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.common.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a compose file can be wrong gets one line saying what and where. */
class ComposeErrorsTest {

    @TempDir
    Path dir;

    private String error(String yaml) {
        return error(yaml, Map.of());
    }

    private String error(String yaml, Map<String, String> env) {
        return assertThrows(ComposeException.class, () -> Fixtures.inline(dir, yaml, env)).getMessage();
    }

    @Test
    void aMissingFileNamesThePathTried() {
        Path missing = dir.resolve("deploy/docker-compose.yml");
        ComposeException e = assertThrows(ComposeException.class, () -> ComposeLoader.load(missing, Map.of(), Map.of(),
                Map.of(), Map.of(), Log.NONE));
        assertEquals("compose file " + missing + " does not exist (set <composeFile> or -Dsancho.composeFile to the file"
                + " describing the stack)", e.getMessage());
    }

    @Test
    void aRequiredVariableNamesTheFileLinePathAndVariable() {
        String yaml = """
                # Inventory stack
                services:
                  app:
                    image: inventario/app:1
                    environment:
                      SPRING_PROFILES_ACTIVE: prod
                  db:
                    image: postgres:15
                    restart: unless-stopped
                    volumes:
                      - pgdata:/var/lib/postgresql/data
                    environment:
                      POSTGRES_USER: maestro
                      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it in .env}
                volumes:
                  pgdata:
                """;
        assertEquals("docker-compose.yml:14: services.db.environment.POSTGRES_PASSWORD: required variable DB_PASSWORD"
                + " is missing a value: set it in .env", error(yaml));
    }

    @Test
    void aShellCommandInAUsedDefaultExplainsThatComposeNeverRunsCommands() {
        String yaml = """
                services:
                  backend:
                    image: app:1
                    container_name: sancho_backend_${BUILD_ID:-$(date +%s)}
                """;
        assertEquals("docker-compose.yml:4: services.backend.container_name: BUILD_ID is not set and its default"
                + " is a shell command ($( at character 28 of the value); Compose never runs commands. Set BUILD_ID,"
                + " or use ${DEPLOY_ID}, which sancho always sets to the deploy id (choose it with"
                + " -Dsancho.deployId=...)", error(yaml));
    }

    @Test
    void theRunbooksDeployIdDefaultIsNeverUsedBecauseSanchoSetsDeployId() {
        ComposeFile c = Fixtures.inline(dir, """
                services:
                  backend:
                    image: app:1
                    container_name: sancho_backend_${DEPLOY_ID:-$(date +%s)}
                """);
        assertEquals("sancho_backend_" + Fixtures.DEPLOY_ID, c.services().get("backend").containerName());
    }

    @Test
    void aSyntaxErrorGivesLineAndColumn() {
        String yaml = """
                services:
                  web:
                    image: nginx
                    ports: ["80:80"
                  db:
                    image: postgres
                """;
        assertEquals("docker-compose.yml:5:3: YAML syntax error: expected ',' or ']', but got <scalar> (while parsing a flow sequence started at"
                + " line 4, column 12)",
                error(yaml));
    }

    @Test
    void tabIndentationIsASyntaxErrorAtTheTab() {
        assertEquals("docker-compose.yml:3:1: YAML syntax error: found character '\\t(TAB)' that cannot start any token."
                + " (Do not use \\t(TAB) for indentation)", error("services:\n  web:\n\timage: nginx\n"));
    }

    @Test
    void aWrongTypeIsNamedByPath() {
        String yaml = """
                services:
                  web:
                    image: nginx
                    ports: 80
                """;
        assertEquals("docker-compose.yml:4: services.web.ports: expected a list (e.g. - \"8080:80\"), found \"80\"",
                error(yaml));
    }

    @Test
    void aMappingWhereAValueBelongs() {
        assertEquals("docker-compose.yml:4: services.web.image: expected a single value, found a mapping",
                error("services:\n  web:\n    image:\n      name: nginx\n"));
    }

    @Test
    void secretsAreNotQuotedBackInTypeErrors() {
        assertEquals("docker-compose.yml:4: services.web.environment: expected a mapping (KEY: value) or a list (- KEY=value),"
                + " found a single value", error("services:\n  web:\n    image: nginx\n    environment: PASSWORD=hunter2\n"));
    }

    @Test
    void billionLaughsAreRefused() {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append("]\n");
        }
        yaml.append("services:\n  web:\n    image: nginx\n");
        assertEquals("docker-compose.yml: refused: the document expands to more than 200000 values (nested YAML"
                + " aliases?); a Compose file never needs that many", error(yaml.toString()));
    }

    @Test
    void hundredsOfLegitimateMergeKeyAliasesLoad() {
        // getsentry/self-hosted writes <<: *defaults on every service: 145 aliases. Only the expansion is bounded.
        StringBuilder yaml = new StringBuilder("x-defaults: &defaults\n  image: nginx\n  restart: unless-stopped\n"
                + "  labels: &labels {team: ops}\nservices:\n");
        for (int i = 0; i < 300; i++) {
            yaml.append("  s").append(i).append(":\n    <<: *defaults\n    labels: *labels\n");
        }
        ComposeFile c = Fixtures.inline(dir, yaml.toString());
        assertEquals(300, c.services().size());
        assertEquals("unless-stopped", c.services().get("s299").restart());
        assertEquals(Map.of("team", "ops"), c.services().get("s150").labels());
    }

    @Test
    void manyAliasesToOneSmallListAreFine() {
        StringBuilder yaml = new StringBuilder("x-a: &a {k: v}\nx-many: [");
        yaml.append("*a, ".repeat(1000)).append("*a]\nservices:\n  web:\n    image: nginx\n");
        assertEquals("nginx", Fixtures.inline(dir, yaml.toString()).services().get("web").image());
    }

    @Test
    void aFewNestedAliasesThatExpandToMillionsAreRefused() {
        // 4 aliases per level x 12 levels = 48 aliases, but 4^12 = 16 million values once expanded.
        StringBuilder yaml = new StringBuilder("x-0: &l0 [a, b, c, d]\n");
        for (int i = 1; i <= 12; i++) {
            String p = "*l" + (i - 1);
            yaml.append("x-").append(i).append(": &l").append(i).append(" [").append(p).append(", ").append(p)
                    .append(", ").append(p).append(", ").append(p).append("]\n");
        }
        yaml.append("services:\n  web:\n    image: nginx\n");
        assertEquals("docker-compose.yml: refused: the document expands to more than 200000 values (nested YAML"
                + " aliases?); a Compose file never needs that many", error(yaml.toString()));
    }

    @Test
    void aHugeDocumentIsRefusedBeforeParsing() throws IOException {
        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, "services:\n  web:\n    image: nginx\n    labels:\n"
                + "      x: \"" + "a".repeat(3 * 1024 * 1024) + "\"\n");
        ComposeException e = assertThrows(ComposeException.class,
                () -> ComposeLoader.load(file, Map.of(), Map.of(), Map.of(), Map.of(), Log.NONE));
        assertEquals("docker-compose.yml: refused: the file is " + Files.size(file) + " bytes; compose files over 2 MiB"
                + " are not read", e.getMessage());
    }

    @Test
    void deepNestingIsRefused() {
        assertEquals("docker-compose.yml:1: refused: mappings and lists nested deeper than 64 levels",
                error("x-deep: " + "[".repeat(100) + "]".repeat(100) + "\nservices:\n  web:\n    image: nginx\n"));
    }

    @Test
    void anAliasInsideItselfIsRefused() {
        assertEquals("docker-compose.yml:1: refused: an alias refers to the mapping or list that contains it, which never"
                + " ends", error("x-loop: &loop\n  again: *loop\nservices:\n  web:\n    image: nginx\n"));
    }

    @Test
    void duplicateKeysAreRefused() {
        assertEquals("docker-compose.yml:4: duplicate key \"image\" (first at line 3); YAML allows each key once per"
                + " mapping", error("services:\n  web:\n    image: nginx:1\n    image: nginx:2\n"));
    }

    @Test
    void aMergeKeyMustReferToAMapping() {
        assertEquals("docker-compose.yml:4: a merge key (<<) must refer to a mapping or a list of mappings, e.g."
                + " <<: *defaults", error("x-tag: &tag nginx\nservices:\n  web:\n    <<: *tag\n    image: nginx\n"));
    }

    @Test
    void notUtf8() throws IOException {
        Path file = dir.resolve("docker-compose.yml");
        Files.write(file, "services:\n  web:\n    image: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        ComposeException e = assertThrows(ComposeException.class,
                () -> ComposeLoader.load(file, Map.of(), Map.of(), Map.of(), Map.of(), Log.NONE));
        assertEquals("docker-compose.yml: is not UTF-8 text; save it as UTF-8", e.getMessage());
    }

    @Test
    void structuralProblems() {
        assertEquals("docker-compose.yml: the file is empty; it must define services:", error("# nothing yet\n"));
        assertEquals("docker-compose.yml:1: (top level): expected a mapping (key: value lines), found a list",
                error("- web\n- db\n"));
        assertEquals("docker-compose.yml:1: no services: defined; sancho deploys the services of this file",
                error("name: shop\nvolumes:\n  data:\n"));
        assertEquals("docker-compose.yml:2: services: expected a mapping (key: value lines), found a list",
                error("services:\n- web\n"));
        assertEquals("docker-compose.yml:2: services.web: has no image: and no build: (add image: name:tag, or"
                + " build: ./dir)", error("services:\n  web:\n    restart: always\n"));
        assertEquals("docker-compose.yml:3: services.web.build: remote build contexts are not supported; check"
                + " https://github.com/o/r.git out and give its local directory",
                error("services:\n  web:\n    build: https://github.com/o/r.git\n"));
        assertEquals("docker-compose.yml:2: services.my app: a service name must match [a-zA-Z0-9][a-zA-Z0-9_.-]*",
                error("services:\n  my app:\n    image: nginx\n"));
    }

    @Test
    void referencesToThingsNotDeclared() {
        assertEquals("docker-compose.yml:5: services.db.volumes[0]: volume \"pgdata\" is not declared under the"
                + " top-level volumes: (add it there, or write ./pgdata for a directory next to the compose file)",
                error("services:\n  db:\n    image: postgres\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n"));
        assertEquals("docker-compose.yml:5: services.web.networks[0]: network \"front\" is not declared under the"
                + " top-level networks:", error("services:\n  web:\n    image: nginx\n    networks:\n      - front\n"));
        assertEquals("docker-compose.yml:5: services.web.depends_on[0]: service \"dbb\" is not defined (services: web,"
                + " db)", error("services:\n  web:\n    image: nginx\n    depends_on:\n      - dbb\n  db:\n"
                + "    image: postgres\n"));
    }

    @Test
    void valuesThatComposeWouldReject() {
        String svc = "services:\n  web:\n    image: nginx\n";
        assertEquals("docker-compose.yml:4: services.web.restart: unknown restart policy \"sometimes\": use no,"
                + " always, unless-stopped or on-failure[:N]", error(svc + "    restart: sometimes\n"));
        assertEquals("docker-compose.yml:5: services.web.ports[0]: container port \"http\" is not a port number or"
                + " range (8080, 8000-8010)", error(svc + "    ports:\n      - \"8080:http\"\n"));
        assertEquals("docker-compose.yml:5: services.web.ports[0]: host port \"70000\" is out of range: ports are"
                + " 1-65535, ranges low-high", error(svc + "    ports:\n      - \"70000:80\"\n"));
        assertEquals("docker-compose.yml:5: services.web.ports[0]: unknown protocol \"http\": use tcp, udp or sctp",
                error(svc + "    ports:\n      - \"80:80/http\"\n"));
        assertEquals("docker-compose.yml:5: services.web.ports[0]: invalid port \"1:2:3:4\": expected"
                + " [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. 127.0.0.1:8080:80/tcp",
                error(svc + "    ports:\n      - \"1:2:3:4\"\n"));
        assertEquals("docker-compose.yml:5: services.web.ports[0]: a port in long syntax needs target: (the container"
                + " port)", error(svc + "    ports:\n      - published: 80\n"));
        assertEquals("docker-compose.yml:5: services.web.healthcheck.interval: \"30\" is not a duration; write it like"
                + " 30s, 1m30s, 500ms or 2h (a unit is required)",
                error(svc + "    healthcheck:\n      interval: 30\n"));
        assertEquals("docker-compose.yml:5: services.web.healthcheck.test: a test list must start with \"CMD\","
                + " \"CMD-SHELL\" or \"NONE\", e.g. [\"CMD\", \"pg_isready\"] or [\"CMD-SHELL\", \"curl -f"
                + " http://localhost/\"]", error(svc + "    healthcheck:\n      test: [\"curl\", \"-f\", \"http://x\"]\n"));
        assertEquals("docker-compose.yml:5: services.web.healthcheck.test: \"CMD\" needs a command after it",
                error(svc + "    healthcheck:\n      test: [\"CMD\"]\n"));
        assertEquals("docker-compose.yml:5: services.web.healthcheck.retries: expected a whole number, found \"many\"",
                error(svc + "    healthcheck:\n      retries: many\n"));
        assertEquals("docker-compose.yml:5: services.web.healthcheck.disable: expected true or false, found \"maybe\"",
                error(svc + "    healthcheck:\n      disable: maybe\n"));
        assertEquals("docker-compose.yml:6: services.web.depends_on.db.condition: unknown condition \"healthy\": use"
                + " service_started, service_healthy or service_completed_successfully",
                error(svc + "    depends_on:\n      db:\n        condition: healthy\n  db:\n    image: postgres\n"));
        assertEquals("docker-compose.yml:4: services.web.command: the \" quote opened in the command is never closed",
                error(svc + "    command: sh -c \"echo hi\n"));
        assertEquals("docker-compose.yml:6: services.web.extra_hosts[1]: expected host:ip or host=ip, found \"db\"",
                error(svc + "    extra_hosts:\n      - ok:10.0.0.1\n      - db\n"));
    }

    @Test
    void mountProblems() {
        String svc = "services:\n  web:\n    image: nginx\n    volumes:\n";
        assertEquals("docker-compose.yml:5: services.web.volumes[0]: the mount target must be an absolute path in the"
                + " container, found \"data\"", error(svc + "      - ./site:data\n"));
        assertEquals("docker-compose.yml:5: services.web.volumes[0]: unknown volume mode \"readonly\": use ro or rw,"
                + " optionally with z, Z, nocopy or a propagation mode (private, rprivate, shared, rshared, slave,"
                + " rslave)", error(svc + "      - ./site:/usr/share/nginx/html:readonly\n"));
        assertEquals("docker-compose.yml:5: services.web.volumes[0]: a volume in long syntax needs type: volume, bind"
                + " or tmpfs", error(svc + "      - source: ./site\n        target: /site\n"));
        assertEquals("docker-compose.yml:5: services.web.volumes[0]: a bind mount needs source: (a host path)",
                error(svc + "      - type: bind\n        target: /site\n"));
    }

    @Test
    void envFileProblems() throws IOException {
        String yaml = "services:\n  web:\n    image: nginx\n    env_file: web.env\n";
        assertEquals("docker-compose.yml:4: services.web.env_file: " + dir.resolve("web.env")
                + " does not exist (set required: false if it is optional)", error(yaml));
        Files.writeString(dir.resolve("web.env"), "OK=1\nDB PASSWORD=hunter2\n");
        assertEquals("web.env:2: expected KEY=VALUE, found the key \"DB PASSWORD\", which contains a space",
                error(yaml));
        Files.writeString(dir.resolve("web.env"), "GREETING=\"hello\n");
        assertEquals("web.env:1: the value of GREETING opens a \" quote that is never closed", error(yaml));
    }

    @Test
    void dotEnvProblemsNameTheDotEnvFile() throws IOException {
        Files.writeString(dir.resolve(".env"), "# settings\nTAG=${VERSION:?VERSION is required}\n");
        assertEquals(".env:2: TAG: required variable VERSION is missing a value: VERSION is required",
                error("services:\n  web:\n    image: nginx:${TAG}\n"));
    }

    @Test
    void externalMustBeABoolean() {
        assertEquals("docker-compose.yml:6: volumes.data.external: expected true or false, found \"sometimes\"",
                error("services:\n  web:\n    image: nginx\nvolumes:\n  data:\n    external: sometimes\n"));
    }
}
