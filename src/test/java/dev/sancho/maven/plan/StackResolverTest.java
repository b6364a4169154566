package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.common.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackResolverTest {

    private static final String ID = Fixtures.DEPLOY_ID;

    @TempDir
    Path dir;

    private static StackConfig config(String project, String... infrastructure) {
        return new StackConfig(project, "inventario", ID, Set.of(infrastructure), null);
    }

    private Stack inline(String yaml, StackConfig config) {
        return StackResolver.resolve(Fixtures.inline(dir, yaml), config);
    }

    private String composeError(String yaml, StackConfig config) {
        return assertThrows(ComposeException.class, () -> inline(yaml, config)).getMessage();
    }

    private String configError(String yaml, StackConfig config) {
        return assertThrows(ConfigException.class, () -> inline(yaml, config)).getMessage();
    }

    @Test
    void theRunbookKeepsInfrastructureNamesAndGivesApplicationsTheDeployId() {
        Stack stack = StackResolver.resolve(Fixtures.load("runbook"), config("sancho", "db", "traefik"));

        assertEquals("sancho", stack.project());
        assertEquals(List.of("traefik:INFRA:sancho_traefik_persistent", "db:INFRA:sancho_db_v2",
                "backend:APP:sancho_backend_" + ID, "frontend:APP:sancho_frontend_" + ID),
                stack.services().stream().map(s -> s.name() + ":" + s.role() + ":" + s.containerName()).toList());
        assertEquals(Set.of("sancho_traefik_persistent", "sancho_db_v2"), stack.infrastructureNames());
        assertEquals(Map.of("sancho_postgres_data", "sancho_postgres_data"), stack.volumeNames());
        assertEquals(Map.of("default", "sancho_default"), stack.networkNames());
        assertEquals(List.of(), stack.warnings());
    }

    @Test
    void infrastructureWithoutContainerNameIsProjectUnderscoreService() {
        Stack stack = StackResolver.resolve(Fixtures.load("spring-postgres"), config(null, "postgres"));

        assertEquals("shop", stack.project(), "compose name: when sancho.project is not set");
        assertEquals("shop_postgres", stack.service("postgres").orElseThrow().containerName());
        assertEquals("shop_app_" + ID, stack.service("app").orElseThrow().containerName());
        assertEquals(Map.of("pgdata", "shop_pgdata"), stack.volumeNames());
    }

    @Test
    void projectFallsBackToTheArtifactId() {
        Stack stack = StackResolver.resolve(Fixtures.load("runbook"), config(null, "db", "traefik"));
        assertEquals("inventario", stack.project());
    }

    @Test
    void appNamePatternNamesApplicationsWithoutDeployIdInContainerName() {
        Stack stack = StackResolver.resolve(Fixtures.load("anchors"),
                new StackConfig("shop", null, ID, Set.of(), "{service}-{deployId}.{project}"));
        assertEquals("orders-" + ID + ".shop", stack.service("orders").orElseThrow().containerName());
    }

    @Test
    void servicesAreOrderedSoDependenciesStartFirst() {
        Stack stack = inline("""
                services:
                  web:
                    image: nginx
                    depends_on: [api]
                  api:
                    image: api
                    depends_on:
                      db:
                        condition: service_healthy
                  worker:
                    image: worker
                  db:
                    image: postgres
                """, config("shop", "db"));
        assertEquals(List.of("worker", "db", "api", "web"), stack.services().stream().map(StackService::name).toList());
    }

    /** api waits for the one-shot job migrate; %s is migrate's restart policy. */
    private static final String JOB = """
            services:
              api:
                image: api
                depends_on:
                  migrate:
                    condition: service_completed_successfully
              migrate:
                image: api
                restart: %s
            """;

    @Test
    void aOneShotJobIsAnAppServiceRunOncePerDeploy() {
        Stack stack = inline(JOB.formatted("on-failure"), config("shop"));
        assertEquals(java.util.Set.of("migrate"), stack.jobs());
        assertEquals(List.of("migrate", "api"), stack.services().stream().map(StackService::name).toList());
        String config = StackYaml.render(stack, List.of()); // what sancho:config prints
        assertTrue(config.contains("  migrate:\n    x-sancho-role: app\n    x-sancho-job: true\n"), config);
        assertFalse(config.contains("x-sancho-job: false"), config);
    }

    @Test
    void aOneShotJobCannotBeInfrastructureNorRestartForever() {
        String compose = JOB.formatted("unless-stopped");
        assertEquals("docker-compose.yml:5: services.api.depends_on.migrate: condition service_completed_successfully"
                + " makes migrate a one-shot job, run once per deploy, but migrate is infrastructure (never recreated):"
                + " remove it from <infrastructure> or use service_healthy", composeError(compose, config("shop",
                "migrate")));
        assertEquals("docker-compose.yml:9: services.migrate.restart: \"unless-stopped\" restarts the one-shot job"
                + " migrate (services.api waits for it to complete) whenever it exits, so it never completes: use"
                + " \"no\" or \"on-failure\"", composeError(compose, config("shop")));
    }

    @Test
    void aDependencyCycleIsNamed() {
        assertEquals("docker-compose.yml:4: services.web.depends_on: services wait for each other in a cycle:"
                + " web -> api -> db -> web", composeError("""
                services:
                  web:
                    image: nginx
                    depends_on: [api]
                  api:
                    image: api
                    depends_on: [db]
                  db:
                    image: postgres
                    depends_on: [web]
                """, config("shop")));
    }

    @Test
    void volumeAndNetworkEngineNamesFollowCompose() {
        Stack stack = StackResolver.resolve(Fixtures.load("multi-networks"), config("shop"));
        assertEquals(Map.of("public", "shared_public", "internal", "shop_internal", "data", "shop_data",
                "default", "shop_default"), stack.networkNames(), "batch has no networks:, so default exists");

        Stack legacy = StackResolver.resolve(Fixtures.load("legacy-v2"), config("legacy", "mongo"));
        assertEquals(Map.of("mongo", "legacy_mongo_data"), legacy.volumeNames());
        assertEquals(Map.of("backend", "legacy_backend", "default", "legacy_default"), legacy.networkNames());

        Stack monitoring = StackResolver.resolve(Fixtures.load("monitoring"), config(null, "prometheus", "grafana"));
        assertEquals(Map.of("prometheus", "monitoring_prometheus", "grafana", "grafana-data-v11"),
                monitoring.volumeNames());
    }

    @Test
    void theDefaultNetworkIsOnlyNamedWhenAServiceUsesIt() {
        Stack stack = inline("""
                services:
                  web:
                    image: nginx
                    networks: [front]
                networks:
                  front:
                """, config("shop"));
        assertEquals(Map.of("front", "shop_front"), stack.networkNames());
    }

    @Test
    void anApplicationServiceMountingANamedVolumeIsWarnedAbout() {
        Stack stack = StackResolver.resolve(Fixtures.load("runbook"), config("sancho", "traefik"));
        assertEquals(List.of("docker-compose.yml:26: services.db.container_name: \"sancho_db_v2\" is fixed, but db is"
                + " an application service and gets a new container every deploy; it is named sancho_db_" + ID
                + " and answers to sancho_db_v2 as a network alias (add ${DEPLOY_ID} to container_name, or list db under <infrastructure> to keep the fixed name)",
                "docker-compose.yml:31: services.db.volumes: mounts the named volume sancho_postgres_data at"
                + " /var/lib/postgresql/data but is an application service: its data would be mounted into throw-away"
                + " containers, one per deploy; if it holds data, list db under <infrastructure>"), stack.warnings());
    }

    @Test
    void aFixedContainerNameOnAnApplicationServiceIsReplacedWithAWarning() {
        Stack stack = StackResolver.resolve(Fixtures.load("legacy-v2"), config("legacy"));
        assertEquals("legacy_mongo_" + ID, stack.service("mongo").orElseThrow().containerName());
        assertEquals("legacy_api_" + ID, stack.service("api").orElseThrow().containerName());
        assertEquals(List.of("docker-compose.yml:5: services.mongo.container_name: \"legacy_mongo\" is fixed, but mongo"
                + " is an application service and gets a new container every deploy; it is named legacy_mongo_" + ID
                + " and answers to legacy_mongo as a network alias (add ${DEPLOY_ID} to container_name, or list mongo under <infrastructure> to keep the fixed name)",
                "docker-compose.yml:6: services.mongo.volumes: mounts the named volume mongo at /data/db but is an application"
                + " service: its data would be mounted into throw-away containers, one per deploy; if it holds data,"
                + " list mongo under <infrastructure>"), stack.warnings());
    }

    @Test
    void infrastructureNamedAfterTheDeployIdIsRefused() {
        assertEquals("docker-compose.yml:4: services.db.container_name: \"db_${DEPLOY_ID}\" depends on DEPLOY_ID, but db"
                + " is infrastructure and must keep its name across deploys; give it a fixed container_name, or remove"
                + " it from <infrastructure>", composeError("""
                services:
                  db:
                    image: postgres
                    container_name: db_${DEPLOY_ID}
                """, config("shop", "db")));
    }

    @Test
    void anApplicationNameThatLosesTheDeployIdIsRefused() {
        assertEquals("docker-compose.yml:4: services.api.container_name: \"${API_NAME:-api_${DEPLOY_ID}}\" refers to"
                + " DEPLOY_ID but gives \"api_fixed\", which does not contain the deploy id " + ID + "; an application"
                + " container needs a new name every deploy", assertThrows(ComposeException.class,
                () -> StackResolver.resolve(Fixtures.inline(dir, """
                        services:
                          api:
                            image: api
                            container_name: ${API_NAME:-api_${DEPLOY_ID}}
                        """, Map.of("API_NAME", "api_fixed")), config("shop"))).getMessage());
    }

    @Test
    void unknownInfrastructureServicesAreListedWithTheKnownOnes() {
        assertEquals("<infrastructure> names services not in docker-compose.yml: dbb, proxy (services: traefik, db,"
                + " backend, frontend)", assertThrows(ConfigException.class, () -> StackResolver.resolve(
                Fixtures.load("runbook"), config("sancho", "dbb", "proxy", "db"))).getMessage());
        assertEquals("<infrastructure> names a service not in docker-compose.yml: postgres (services: web)",
                configError("services:\n  web:\n    image: nginx\n", config("shop", "postgres")));
    }

    @Test
    void deployIdsAndProjectNamesFollowDockersNameRule() {
        String yaml = "services:\n  web:\n    image: nginx\n";
        assertEquals("sancho.deployId \"release 1\" cannot be part of a container name: use letters, digits, '_', '.'"
                + " and '-', starting with a letter or digit", configError(yaml,
                new StackConfig("shop", null, "release 1", Set.of(), null)));
        assertEquals("sancho.deployId \"-1\" cannot be part of a container name: use letters, digits, '_', '.' and '-',"
                + " starting with a letter or digit", configError(yaml, new StackConfig("shop", null, "-1", Set.of(), null)));
        assertEquals("sancho.deployId is empty; leave it unset for a timestamp, or give an id like 42",
                configError(yaml, new StackConfig("shop", null, " ", Set.of(), null)));
        assertEquals("sancho.project \"my shop\" is not a valid project name: use letters, digits, '_', '.' and '-',"
                + " starting with a letter or digit", configError(yaml, config("my shop")));
        assertEquals("docker-compose.yml: name: \"Tienda Café\" is not a valid project name: use letters, digits, '_',"
                + " '.' and '-', starting with a letter or digit",
                configError("name: Tienda Café\n" + yaml, config(null)));
        assertEquals("no project name: set <project> (-Dsancho.project) or name: in docker-compose.yml",
                configError(yaml, new StackConfig(null, null, ID, Set.of(), null)));
    }

    @Test
    void containerNamesMustBeValidAndUnique() {
        assertEquals("docker-compose.yml:2: services.db: container name \"db/primary\" is not valid for Docker: use"
                + " letters, digits, '_', '.' and '-', starting with a letter or digit", composeError(
                "services:\n  db:\n    image: postgres\n    container_name: db/primary\n", config("shop", "db")));
        assertEquals("docker-compose.yml:5: services.replica: gets the container name pg, which service primary already"
                + " has; container names must be unique", composeError("""
                services:
                  primary:
                    image: postgres
                    container_name: pg
                  replica:
                    image: postgres
                    container_name: pg
                """, config("shop", "primary", "replica")));
    }

    @Test
    void appNamePatternMustKeepNamesUnique() {
        String yaml = "services:\n  web:\n    image: nginx\n";
        assertEquals("sancho.appNamePattern \"{project}_{service}\" must contain {service} and {deployId}, or two"
                + " services or two deploys would get the same container name",
                configError(yaml, new StackConfig("shop", null, ID, Set.of(), "{project}_{service}")));
        assertEquals("sancho.appNamePattern \"{project}_{svc}_{deployId}\": unknown placeholder {svc}; use {project},"
                + " {service} and {deployId}",
                configError(yaml, new StackConfig("shop", null, ID, Set.of(), "{project}_{svc}_{deployId}")));
    }

    @Test
    void deployIdSubstitutesIntoTheRunbookNamesExactly() {
        ComposeFile c = Fixtures.load("runbook");
        Stack stack = StackResolver.resolve(c, config("sancho", "db", "traefik"));
        assertEquals(Set.of("sancho_backend_" + ID, "sancho_frontend_" + ID),
                Set.copyOf(stack.applications().stream().map(StackService::containerName).toList()));
    }
}
