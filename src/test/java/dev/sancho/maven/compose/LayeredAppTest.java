package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sancho.maven.compose.Service.Mount;
import dev.sancho.maven.compose.Service.PortMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A realistic layered application (src/test/resources/compose/layered-app): docker-compose.yml includes its
 * database from infra/, its Java services extend common/services.yml, docker-compose.override.yml adds developer
 * settings and adminer only runs with the {@code debug} profile.
 */
class LayeredAppTest {
    private static final Path DIR = Fixtures.ROOT.resolve("layered-app");

    private final Fixtures.RecordingLog log = new Fixtures.RecordingLog();

    private ComposeFile load(List<String> profiles) {
        return ComposeLoader.load(ComposeFiles.discover(DIR, log), profiles, Map.of(), Map.of(),
                ComposeLoader.builtins(Fixtures.DEPLOY_ID, "shop"), Fixtures.POM, log);
    }

    @Test
    void theOverrideFileIsFoundAndEveryFileIsRead() {
        ComposeFile c = load(null);
        assertEquals(List.of(DIR.resolve("docker-compose.yml"), DIR.resolve("infra/compose.yml"),
                DIR.resolve("common/services.yml"), DIR.resolve("docker-compose.override.yml")), c.provenance().files());
        assertEquals("shop", c.name());
        assertEquals(List.of("db", "web", "worker"), List.copyOf(c.services().keySet()));
        assertEquals(Map.of("adminer", List.of("debug")), c.provenance().disabledServices());
        assertEquals(List.of("pgdata", "uploads"), List.copyOf(c.volumes().keySet()));
        assertEquals(List.of(), log.warnings);
    }

    @Test
    void webIsItsBaseThenItsFileThenTheOverride() {
        Service web = load(null).services().get("web");
        assertEquals("shop/web:1.4.0", web.image());
        assertEquals("shop_web_" + Fixtures.DEPLOY_ID, web.containerName());
        assertEquals(Map.of("LOG_FORMAT", "json", "JAVA_OPTS", "-Xmx512m", "TZ", "UTC", "SPRING_PROFILES_ACTIVE", "dev",
                "DB_URL", "jdbc:postgresql://db:5432/shop", "DEBUG", "true"), web.environment());
        assertEquals(List.of(new PortMapping("127.0.0.1", "8080", "8080", "tcp"),
                new PortMapping("127.0.0.1", "5005", "5005", "tcp")), web.ports());
        assertEquals(List.of(Fixtures.shortBind(DIR.resolve("common/config").toString(), "/app/config", true),
                new Mount("volume", "uploads", "/app/uploads", false)), web.volumes());
        assertEquals(List.of("java", "-agentlib:jdwp=transport=dt_socket,server=y,address=*:5005", "-jar",
                "/app/web.jar"), web.command());
        assertEquals(List.of("CMD", "curl", "-f", "http://localhost:8080/actuator/health"), web.healthcheck().test());
        assertEquals(5, web.healthcheck().retries());
        assertEquals("unless-stopped", web.restart());
        assertEquals(Map.of("shop.tier", "app"), web.labels());
        assertEquals(Map.of("db", "service_healthy"), web.dependsOn());
    }

    @Test
    void workerSharesTheBaseButNotTheOverride() {
        Service worker = load(null).services().get("worker");
        assertEquals(List.of("java", "-jar", "/app/worker.jar"), worker.command());
        assertEquals(Map.of("LOG_FORMAT", "json", "JAVA_OPTS", "-Xmx512m", "TZ", "UTC"), worker.environment());
        assertEquals(List.of(), worker.ports());
        assertNull(worker.containerName());
    }

    @Test
    void theIncludedDatabaseHasItsOwnVariablesAndPathsAndTheOverridesPort() {
        Service db = load(null).services().get("db");
        assertEquals("postgres:16", db.image(), "PG_VERSION from infra/.env");
        assertEquals("from-the-project-env", db.environment().get("POSTGRES_PASSWORD"), "the project's .env wins");
        assertEquals(Fixtures.shortBind(DIR.resolve("infra/init").toString(), "/docker-entrypoint-initdb.d", true),
                db.volumes().get(1));
        assertEquals(List.of(new PortMapping("127.0.0.1", "5432", "5432", "tcp")), db.ports());
    }

    @Test
    void theDebugProfileAddsAdminer() {
        ComposeFile c = load(List.of("debug"));
        assertEquals(List.of("db", "web", "worker", "adminer"), List.copyOf(c.services().keySet()));
        assertEquals(Map.of("db", "service_started"), c.services().get("adminer").dependsOn());
        assertEquals(List.of("debug"), c.provenance().profiles());
    }

    @Test
    void eachKeyKnowsItsFile() {
        ComposeFile c = load(null);
        Service web = c.services().get("web");
        assertEquals("docker-compose.yml", c.file(web));
        assertEquals("docker-compose.yml", c.file(web, "container_name"));
        assertEquals("common/services.yml", c.file(web, "restart"));
        assertEquals("docker-compose.override.yml", c.file(web, "command"));
        Service db = c.services().get("db");
        assertEquals("infra/compose.yml", c.file(db));
        assertEquals(4, db.line());
        assertEquals("infra/compose.yml", c.file(db, "container_name"));
        assertEquals(6, db.line("container_name"));
    }
}
