package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.Service.Mount;
import dev.sancho.maven.compose.Service.PortMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code include:} loads another compose application as a part of this one (its own directory, its own .env);
 * {@code extends:} builds a service on a base service of the same file or of another file.
 */
class IncludeExtendsTest {

    @TempDir
    Path dir;

    private final Fixtures.RecordingLog log = new Fixtures.RecordingLog();

    private ComposeFile load(Map<String, String> env, String main) {
        return ComposeLoader.load(List.of(write("docker-compose.yml", main)), null, env, Map.of(),
                ComposeLoader.builtins(Fixtures.DEPLOY_ID, "shop"), Fixtures.POM, log);
    }

    private ComposeFile load(String main) {
        return load(Map.of(), main);
    }

    private String error(String main) {
        return assertThrows(ComposeException.class, () -> load(main)).getMessage();
    }

    private Path write(String name, String yaml) {
        return Fixtures.write(dir, name, yaml);
    }

    private static final String INFRA = """
            services:
              db:
                image: postgres:${PG_VERSION:-15}
                environment:
                  POSTGRES_PASSWORD: ${DB_PASSWORD}
                volumes:
                  - pgdata:/var/lib/postgresql/data
                  - ./init:/docker-entrypoint-initdb.d:ro
            volumes:
              pgdata:
            networks:
              backend: {}
            """;

    // ------------------------------------------------------------------------------------------ include

    @Test
    void anIncludedFilesServicesVolumesAndNetworksJoinTheStack() {
        write("infra/compose.yml", INFRA);
        ComposeFile c = load("""
                include:
                  - infra/compose.yml
                services:
                  web:
                    image: shop/web:1
                    depends_on: [db]
                    volumes:
                      - pgdata:/backup:ro
                """);
        assertEquals(List.of("db", "web"), List.copyOf(c.services().keySet()));
        assertEquals(List.of("pgdata"), List.copyOf(c.volumes().keySet()));
        assertEquals(List.of("backend"), List.copyOf(c.networks().keySet()));
        assertEquals(Map.of("db", "service_started"), c.services().get("web").dependsOn());
        assertTrue(c.provenance().files().contains(dir.resolve("infra/compose.yml")));
    }

    @Test
    void anIncludedFilesRelativePathsResolveAgainstItsOwnDirectory() {
        write("infra/compose.yml", INFRA);
        Service db = load("include: [infra/compose.yml]\nservices:\n  web:\n    image: w\n").services().get("db");
        assertEquals(Fixtures.shortBind(dir.resolve("infra/init").toString(), "/docker-entrypoint-initdb.d", true),
                db.volumes().get(1));
    }

    @Test
    void anIncludedProjectHasItsOwnEnvFileAndTheIncludingProjectsVariablesWin() {
        write("infra/compose.yml", INFRA);
        write("infra/.env", "PG_VERSION=16\nDB_PASSWORD=infra-secret\n");
        write(".env", "DB_PASSWORD=project-secret\n");
        Service db = load("include: [infra/compose.yml]\nservices:\n  web:\n    image: w\n").services().get("db");
        assertEquals("postgres:16", db.image());
        assertEquals("project-secret", db.environment().get("POSTGRES_PASSWORD"));

        Service fromEnv = load(Map.of("PG_VERSION", "17"), "include: [infra/compose.yml]\nservices:\n  web:\n"
                + "    image: w\n").services().get("db");
        assertEquals("postgres:17", fromEnv.image());
    }

    @Test
    void theLongSyntaxNamesSeveralFilesAProjectDirectoryAndEnvFiles() {
        write("infra/db.yml", "services:\n  db:\n    image: postgres:${PG_VERSION}\n    env_file: db.env\n");
        write("infra/db.dev.yml", "services:\n  db:\n    ports: [\"5432:5432\"]\n");
        write("infra/settings/db.env", "POSTGRES_DB=shop\n");
        write("config/infra.env", "PG_VERSION=14\n");
        Service db = load("""
                include:
                  - path: [infra/db.yml, infra/db.dev.yml]
                    project_directory: infra/settings
                    env_file: config/infra.env
                services:
                  web:
                    image: w
                """).services().get("db");
        assertEquals("postgres:14", db.image());
        assertEquals(Map.of("POSTGRES_DB", "shop"), db.environment());
        assertEquals(List.of(new PortMapping(null, "5432", "5432", "tcp")), db.ports());
    }

    @Test
    void aServiceDefinedBothInAFileAndInAFileItIncludesIsRefused() {
        write("infra/compose.yml", INFRA);
        assertEquals("docker-compose.yml:4: services.db: is also defined by the included infra/compose.yml:2"
                + " (include[0]); Compose refuses a service defined both in a file and in a file it includes:"
                + " rename one, or define it once", error("""
                include:
                  - infra/compose.yml
                services:
                  db:
                    image: postgres:16
                """));
    }

    @Test
    void theSameDefinitionOnBothSidesIsNoConflict() {
        write("infra/compose.yml", INFRA);
        ComposeFile c = load("""
                include: [infra/compose.yml]
                services:
                  web:
                    image: w
                    networks: [backend]
                networks:
                  backend: {}
                """);
        assertEquals(List.of("backend"), List.copyOf(c.networks().keySet()));
    }

    @Test
    void aLaterFileCanChangeAnIncludedService() {
        write("infra/compose.yml", INFRA);
        Path main = write("docker-compose.yml", "include: [infra/compose.yml]\nservices:\n  web:\n    image: w\n");
        Path override = write("docker-compose.override.yml", "services:\n  db:\n    ports: [\"5432:5432\"]\n");
        ComposeFile c = ComposeLoader.load(List.of(main, override), null, Map.of(), Map.of(), Map.of(), Map.of(), log);
        assertEquals(List.of(new PortMapping(null, "5432", "5432", "tcp")), c.services().get("db").ports());
        assertEquals("docker-compose.override.yml", c.file(c.services().get("db"), "ports"));
        assertEquals("infra/compose.yml", c.file(c.services().get("db"), "image"));
    }

    @Test
    void anErrorInAnIncludedFileNamesThatFile() {
        write("infra/compose.yml", "services:\n  db:\n    image: postgres\n    restart: sometimes\n");
        assertEquals("infra/compose.yml:4: services.db.restart: unknown restart policy \"sometimes\": use no, always,"
                + " unless-stopped or on-failure[:N]", error("include: [infra/compose.yml]\nservices:\n  web:\n"
                + "    image: w\n"));
    }

    @Test
    void anUnsetVariableOfAnIncludedFileIsReportedThere() {
        write("infra/compose.yml", "services:\n  db:\n    image: postgres:${PG_TAG}\n");
        load("include: [infra/compose.yml]\nservices:\n  web:\n    image: w\n");
        assertEquals(List.of("infra/compose.yml:3: services.db.image: variable PG_TAG is not set; using an empty"
                + " string"), log.warnings);
    }

    @Test
    void anIncludedContainerNameKeepsItsDeployIdAndLiteralDollarsStayLiteral() {
        write("jobs/compose.yml", """
                services:
                  migrate:
                    image: shop/migrate
                    container_name: shop_migrate_${DEPLOY_ID}
                    command: ["sh", "-c", "echo $$HOME ${GREETING}"]
                """);
        write("jobs/.env", "GREETING=hello\n");
        Service migrate = load("include: [jobs/compose.yml]\nservices:\n  web:\n    image: w\n").services()
                .get("migrate");
        assertEquals("shop_migrate_${DEPLOY_ID}", migrate.containerNameTemplate());
        assertEquals("shop_migrate_" + Fixtures.DEPLOY_ID, migrate.containerName());
        assertEquals(List.of("sh", "-c", "echo $HOME hello"), migrate.command());
    }

    @Test
    void anIncludedEnvironmentKeyWithoutValueTakesItFromTheIncludedProject() {
        write("infra/compose.yml", "services:\n  db:\n    image: postgres\n    environment: [PGTZ]\n");
        write("infra/.env", "PGTZ=UTC\n");
        assertEquals(Map.of("PGTZ", "UTC"), load("include: [infra/compose.yml]\nservices:\n  web:\n    image: w\n")
                .services().get("db").environment());
    }

    @Test
    void anIncludeCycleIsRefused() {
        write("a/compose.yml", "include: [../b/compose.yml]\nservices:\n  a:\n    image: a\n");
        write("b/compose.yml", "include: [../a/compose.yml]\nservices:\n  b:\n    image: b\n");
        assertEquals("b/compose.yml:1: include[0]: include cycle: docker-compose.yml includes a/compose.yml"
                + " includes b/compose.yml includes a/compose.yml", error("include: [a/compose.yml]\nservices:\n"
                + "  web:\n    image: w\n"));
    }

    @Test
    void aMissingIncludedFileIsReportedAtTheInclude() {
        assertEquals("docker-compose.yml:2: include[0]: " + dir.resolve("infra/compose.yml") + " does not exist",
                error("include:\n  - infra/compose.yml\nservices:\n  web:\n    image: w\n"));
    }

    // ------------------------------------------------------------------------------------------ extends

    @Test
    void aServiceExtendsAnotherOfTheSameFileWithTheMergeRules() {
        ComposeFile c = load("""
                services:
                  base:
                    image: shop/app:1
                    environment:
                      TZ: UTC
                      MODE: prod
                    ports: ["8080:8080"]
                    command: ["serve"]
                  web:
                    extends: base
                    environment:
                      MODE: dev
                    ports: ["5005:5005"]
                    command: ["serve", "--debug"]
                  web2:
                    extends:
                      service: web
                    image: shop/app:2
                """);
        Service web = c.services().get("web");
        assertEquals("shop/app:1", web.image());
        assertEquals(Map.of("TZ", "UTC", "MODE", "dev"), web.environment());
        assertEquals(2, web.ports().size());
        assertEquals(List.of("serve", "--debug"), web.command());
        Service web2 = c.services().get("web2");
        assertEquals("shop/app:2", web2.image());
        assertEquals(List.of("serve", "--debug"), web2.command());
        assertEquals(List.of(), log.warnings, "extends is consumed, not an unknown key");
    }

    @Test
    void aBaseFromAnotherFileHasItsPathsResolvedAgainstThatFilesDirectory() {
        write("common/services.yml", """
                services:
                  java:
                    image: shop/java:17
                    env_file: java.env
                    volumes:
                      - ./config:/app/config:ro
                      - type: bind
                        source: ./logs
                        target: /app/logs
                    build:
                      context: ./docker
                      args:
                        JDK: "17"
                """);
        write("common/java.env", "JAVA_OPTS=-Xmx1g\n");
        Service web = load("""
                services:
                  web:
                    extends:
                      file: common/services.yml
                      service: java
                    build:
                      args:
                        APP: web
                """).services().get("web");
        assertEquals(Map.of("JAVA_OPTS", "-Xmx1g"), web.environment());
        assertEquals(List.of(Fixtures.shortBind(dir.resolve("common/config").toString(), "/app/config", true),
                new Mount("bind", dir.resolve("common/logs").toString(), "/app/logs", false)), web.volumes());
        assertEquals(dir.resolve("common/docker").toString(), web.build().context());
        assertEquals(Map.of("JDK", "17", "APP", "web"), web.build().args());
    }

    @Test
    void aBaseFileCanItselfExtendRelativeToItsOwnDirectory() {
        write("common/services.yml", "services:\n  java:\n    extends:\n      file: base/os.yml\n      service: os\n"
                + "    image: shop/java\n");
        write("common/base/os.yml", "services:\n  os:\n    image: debian\n    environment:\n      TZ: UTC\n");
        Service web = load("services:\n  web:\n    extends:\n      file: common/services.yml\n      service: java\n")
                .services().get("web");
        assertEquals("shop/java", web.image());
        assertEquals(Map.of("TZ", "UTC"), web.environment());
    }

    @Test
    void resetInTheExtendingServiceRemovesWhatTheBaseSet() {
        Service web = load("""
                services:
                  base:
                    image: shop/app
                    ports: ["8080:8080"]
                    healthcheck:
                      test: ["CMD", "true"]
                  web:
                    extends: base
                    ports: !reset []
                    healthcheck: !override
                      test: ["CMD", "false"]
                """).services().get("web");
        assertEquals(List.of(), web.ports());
        assertEquals(List.of("CMD", "false"), web.healthcheck().test());
    }

    @Test
    void anErrorInABaseFromAnotherFileNamesThatFile() {
        write("common.yml", "services:\n  base:\n    image: a\n    restart: sometimes\n");
        assertEquals("common.yml:4: services.web.restart: unknown restart policy \"sometimes\": use no, always,"
                + " unless-stopped or on-failure[:N]", error("services:\n  web:\n    extends:\n      file: common.yml\n"
                + "      service: base\n"));
    }

    @Test
    void extendingAnUnknownServiceNamesWhatThereIs() {
        assertEquals("docker-compose.yml:5: services.web.extends: service \"bsae\" is not defined in"
                + " docker-compose.yml (services: base, web)", error("""
                services:
                  base:
                    image: a
                  web:
                    extends: bsae
                """));
        write("common.yml", "services:\n  java:\n    image: j\n");
        assertEquals("docker-compose.yml:5: services.web.extends.service: service \"jvm\" is not defined in"
                + " common.yml (services: java)", error("""
                services:
                  web:
                    extends:
                      file: common.yml
                      service: jvm
                """));
    }

    @Test
    void anExtendsLoopIsRefused() {
        assertEquals("docker-compose.yml:3: services.a.extends: extends loops: a (docker-compose.yml) extends b"
                + " (docker-compose.yml) extends a (docker-compose.yml)", error("""
                services:
                  a:
                    extends: b
                  b:
                    extends: a
                    image: x
                """));
    }

    @Test
    void aMissingExtendsFileIsReportedAtTheKey() {
        assertEquals("docker-compose.yml:5: services.web.extends.file: " + dir.resolve("nope.yml")
                + " does not exist", error("services:\n  web:\n    extends:\n      service: x\n      file: nope.yml\n"));
    }
}
