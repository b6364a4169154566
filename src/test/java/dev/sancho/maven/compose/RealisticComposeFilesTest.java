package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.Service.Healthcheck;
import dev.sancho.maven.compose.Service.Mount;
import dev.sancho.maven.compose.Service.PortMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compose files as people write them, read the way Docker Compose reads them. */
class RealisticComposeFilesTest {

    private static final Path HOME = Path.of(System.getProperty("user.home"));

    private static String dir(String fixture) {
        return Fixtures.ROOT.resolve(fixture).toString();
    }

    @Test
    void theRunbookStackKeepsItsNamesVolumesAndComments() {
        ComposeFile c = Fixtures.load("runbook");

        assertEquals(List.of("traefik", "db", "backend", "frontend"), List.copyOf(c.services().keySet()));
        assertEquals("sancho_traefik_persistent", c.services().get("traefik").containerName());
        assertEquals("sancho_db_v2", c.services().get("db").containerName());
        assertEquals("sancho_backend_" + Fixtures.DEPLOY_ID, c.services().get("backend").containerName());
        assertEquals("sancho_backend_${DEPLOY_ID:-$(date +%s)}", c.services().get("backend").containerNameTemplate());
        assertEquals("sancho_frontend_" + Fixtures.DEPLOY_ID, c.services().get("frontend").containerName());
        assertEquals(new VolumeDef("sancho_postgres_data", "sancho_postgres_data", null, Map.of(), Map.of(), true),
                c.volumes().get("sancho_postgres_data"));
        assertEquals(List.of(new Mount("volume", "sancho_postgres_data", "/var/lib/postgresql/data", false)),
                c.services().get("db").volumes());
        assertEquals(List.of(Fixtures.shortBind(dir("runbook") + "/letsencrypt", "/letsencrypt", false),
                Fixtures.shortBind("/var/run/docker.sock", "/var/run/docker.sock", true)),
                c.services().get("traefik").volumes());
        assertEquals("maestro", c.services().get("db").environment().get("POSTGRES_PASSWORD"), "from .env");
        assertEquals("sancho/backend:1.4.0", c.services().get("backend").image());
        assertEquals(Map.of("db", "service_healthy"), c.services().get("backend").dependsOn());
        assertEquals("traefik.http.routers.backend.rule=Host(`inventario.example.com`) && PathPrefix(`/api`)",
                "traefik.http.routers.backend.rule=" + c.services().get("backend").labels()
                        .get("traefik.http.routers.backend.rule"));
        assertEquals("--certificatesresolvers.le.acme.email=ops@example.com",
                c.services().get("traefik").command().get(4));
        assertEquals(new Healthcheck(List.of("CMD", "wget", "-qO-", "http://localhost:8080/actuator/health"),
                Duration.ofSeconds(10), null, null, Duration.ofSeconds(90), false),
                c.services().get("backend").healthcheck());
        assertEquals("unless-stopped", c.services().get("db").restart());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void springAndPostgresTakeSecretsFromDotEnvAndSettingsFromEnvFile() {
        ComposeFile c = Fixtures.load("spring-postgres", Map.of("JAVA_TOOL_OPTIONS", "-Xmx512m"));
        Service app = c.services().get("app");

        assertEquals("shop", c.name());
        assertEquals("registry.example.com/shop/app:2.3.1", app.image());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "prod");
        env.put("SERVER_PORT", "8080");
        env.put("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "health,info");
        env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/shop");
        env.put("SPRING_DATASOURCE_PASSWORD", "s3cret-from-dotenv");
        env.put("JAVA_TOOL_OPTIONS", "-Xmx512m");
        assertEquals(env, app.environment(), "environment: wins over env_file; a bare key comes from the shell");
        assertEquals(List.copyOf(env.keySet()), List.copyOf(app.environment().keySet()));
        assertEquals(List.of(new PortMapping("127.0.0.1", "8080", "8080", "tcp")), app.ports());
        assertEquals(Duration.ofSeconds(90), app.stopGracePeriod());
        assertEquals(List.of("CMD-SHELL", "pg_isready -U ${POSTGRES_USER} -d ${POSTGRES_DB}"),
                c.services().get("postgres").healthcheck().test(), "$$ reaches the container as $");
        assertEquals(new VolumeDef("pgdata", null, null, Map.of(), Map.of(), false), c.volumes().get("pgdata"));
        assertEquals(Fixtures.shortBind(dir("spring-postgres") + "/db/init.sql", "/docker-entrypoint-initdb.d/init.sql",
                true), c.services().get("postgres").volumes().get(1));
    }

    @Test
    void processEnvironmentWinsOverDotEnv() {
        ComposeFile c = Fixtures.load("spring-postgres", Map.of("APP_VERSION", "2.4.0-rc1"));
        assertEquals("registry.example.com/shop/app:2.4.0-rc1", c.services().get("app").image());
    }

    @Test
    void traefikLabelsKeepBackticksAndEscapedDollars() {
        ComposeFile c = Fixtures.load("traefik-labels", Map.of("DOMAIN", "example.org"));
        Service proxy = c.services().get("proxy");

        assertEquals("admin:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/",
                proxy.labels().get("traefik.http.middlewares.auth.basicauth.users"));
        assertEquals("Host(`traefik.example.org`)", proxy.labels().get("traefik.http.routers.dashboard.rule"));
        assertEquals(List.of("--api.dashboard=true", "--providers.docker=true",
                "--providers.docker.exposedbydefault=false", "--entrypoints.websecure.address=:443",
                "--certificatesresolvers.le.acme.tlschallenge=true",
                "--certificatesresolvers.le.acme.email=ops@example.com"), proxy.command());
        assertEquals(new Mount("bind", "/var/run/docker.sock", "/var/run/docker.sock", true), proxy.volumes().get(0));
        assertEquals("Host(`whoami.example.org`)",
                c.services().get("whoami").labels().get("traefik.http.routers.whoami.rule"));
        assertEquals(4, c.services().get("whoami").labels().size());
    }

    @Test
    void servicesJoinSeveralNetworksWithAliases() {
        ComposeFile c = Fixtures.load("multi-networks");

        assertEquals(List.of("public", "internal"), List.copyOf(c.services().get("edge").networks().keySet()));
        assertEquals(List.of("api.internal", "backend"), c.services().get("api").networks().get("internal").aliases());
        assertEquals(List.of(), c.services().get("api").networks().get("data").aliases());
        assertEquals(List.of("data"), List.copyOf(c.services().get("cache").networks().keySet()));
        assertEquals(Map.of(), c.services().get("batch").networks());
        assertEquals(new NetworkDef("public", "shared_public", null, Map.of(), true), c.networks().get("public"));
        assertEquals(new NetworkDef("internal", null, "bridge", Map.of("com.example.tier", "internal"), false),
                c.networks().get("internal"));
        assertEquals("shop_data", c.networks().get("data").name());
        assertEquals(List.of(new PortMapping(null, "80", "80", "tcp")), c.services().get("edge").ports());
    }

    @Test
    void anchorsAndMergeKeysShareDefaultsAndLetServicesOverrideThem() {
        ComposeFile c = Fixtures.load("anchors");
        Service orders = c.services().get("orders");
        Service payments = c.services().get("payments");

        assertEquals(List.of("orders", "payments"), List.copyOf(c.services().keySet()), "x-* are not services");
        assertEquals("unless-stopped", orders.restart());
        assertEquals(Map.of("TZ", "Europe/Madrid", "LOG_FORMAT", "json"), orders.environment());
        assertEquals(Duration.ofSeconds(20), orders.stopGracePeriod());
        assertEquals(Duration.ofSeconds(15), orders.healthcheck().interval());
        assertEquals(Map.of("TZ", "Europe/Madrid", "LOG_FORMAT", "text", "PAYMENTS_API_TOKEN", "tok_live_123456"),
                payments.environment());
        assertEquals(Duration.ofSeconds(5), payments.healthcheck().interval());
        assertEquals(Duration.ofSeconds(2), payments.healthcheck().timeout());
        assertEquals(List.of("CMD", "curl", "-fsS", "http://localhost:8080/health"), payments.healthcheck().test());
        assertEquals(new ServiceOptions.Logging("json-file", Map.of("max-size", "10m")), payments.options().logging(),
                "a merged key is applied like a written one");
        assertNull(orders.options().logging());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void longSyntaxPortsAndVolumes() {
        ComposeFile c = Fixtures.load("long-syntax");
        Service minio = c.services().get("minio");

        assertEquals(List.of(new PortMapping(null, "9000", "9000", "tcp"),
                new PortMapping("127.0.0.1", "9001", "9001", "tcp"), new PortMapping(null, "5353", "53", "udp"),
                new PortMapping(null, null, "8080", "tcp")), minio.ports());
        // volume.nocopy, bind.create_host_path and tmpfs.size applied (they were dropped before)
        assertEquals(List.of(new Mount("volume", "minio-data", "/data", false,
                        new Service.MountOptions(null, null, false, true, null, null, null)),
                Fixtures.shortBind(dir("long-syntax") + "/config", "/root/.minio", true),
                new Mount("tmpfs", null, "/tmp", false, new Service.MountOptions(null, null, false, false, null,
                        10485760L, null)),
                new Mount("volume", null, "/cache", false)), minio.volumes());
        assertEquals(new VolumeDef("minio-data", null, "local", Map.of("type", "none", "o", "bind", "device",
                "/srv/minio"), Map.of("com.example.backup", "daily"), false), c.volumes().get("minio-data"));
        assertEquals(List.of("server", "/data", "--console-address", ":9001"), minio.command());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void healthchecksInEveryForm() {
        Map<String, Service> s = Fixtures.load("healthchecks").services();

        assertEquals(new Healthcheck(List.of("CMD-SHELL", "wget -qO- http://localhost:8080/health || exit 1"),
                Duration.ofSeconds(90), Duration.ofSeconds(10), 3, Duration.ofSeconds(40), false),
                s.get("shell-string").healthcheck());
        assertEquals(new Healthcheck(List.of("CMD", "wget", "-qO-", "http://localhost:8080/health"),
                Duration.ofMillis(500), null, null, null, false), s.get("exec-list").healthcheck());
        assertEquals(new Healthcheck(List.of("CMD-SHELL", "pg_isready -U postgres"), Duration.ofHours(1), null, null,
                null, false), s.get("shell-list").healthcheck());
        assertEquals(new Healthcheck(List.of("NONE"), null, null, null, null, true), s.get("none-test").healthcheck());
        assertEquals(new Healthcheck(null, null, null, null, null, true), s.get("disabled").healthcheck());
        assertEquals(new Healthcheck(null, Duration.ofMinutes(2), null, 5, null, false),
                s.get("timings-only").healthcheck());
        assertNull(s.get("no-healthcheck").healthcheck());
    }

    @Test
    void envFilesInStringListAndLongForm() {
        Map<String, Service> s = Fixtures.load("env-files", Map.of("SHELL_VALUE", "from-shell")).services();

        Map<String, String> common = new LinkedHashMap<>();
        common.put("LOG_LEVEL", "info");
        common.put("GREETING", "hello\nworld");
        common.put("LITERAL", "${NOT_INTERPOLATED}");
        common.put("HOME_DIR", "/srv/app");
        common.put("FROM_SHELL", "from-shell");
        assertEquals(common, s.get("single").environment());
        assertEquals("warn", s.get("several").environment().get("LOG_LEVEL"), "environment: beats every env_file");
        assertEquals("on", s.get("several").environment().get("FEATURE_X"));
        assertEquals(common, s.get("optional").environment(), "a missing optional env_file is skipped");
    }

    @Test
    void wordpressAndMysqlWithEnvironmentLists() {
        ComposeFile c = Fixtures.load("wordpress-mysql");

        assertEquals("somewordpress", c.services().get("db").environment().get("MYSQL_ROOT_PASSWORD"));
        assertEquals(List.of("--default-authentication-plugin=mysql_native_password"), c.services().get("db").command());
        assertEquals("always", c.services().get("wordpress").restart());
        assertEquals(List.of("3306", "33060"), c.services().get("db").options().expose());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void stringCommandsAreSplitLikeAShellWithoutRunningOne() {
        Map<String, Service> s = Fixtures.load("nginx-php").services();

        assertEquals(List.of("nginx", "-g", "daemon off;", "-c", "/etc/nginx/custom conf/nginx.conf"),
                s.get("web").command());
        assertEquals(Fixtures.shortBind(dir("nginx-php") + "/nginx/custom conf", "/etc/nginx/custom conf", true),
                s.get("web").volumes().get(1));
        assertEquals(List.of("docker-php-entrypoint"), s.get("php").entrypoint());
        assertEquals("82:82", s.get("php").user());
        assertEquals("/var/www/html", s.get("php").workingDir());
        assertEquals(List.of(), s.get("cron").entrypoint(), "entrypoint: \"\" clears the image's entrypoint");
        assertEquals(List.of("sh", "-c", "echo $HOSTNAME && crond -f"), s.get("cron").command());
        assertNull(s.get("web").entrypoint());
        assertEquals(Map.of("php", "service_started"), s.get("web").dependsOn());
    }

    @Test
    void monitoringBindPathsResolveLikeCompose() {
        ComposeFile c = Fixtures.load("monitoring");
        Service prometheus = c.services().get("prometheus");
        Service grafana = c.services().get("grafana");

        assertEquals(HOME.resolve("alerts").toString(), prometheus.volumes().get(2).source());
        assertEquals(Fixtures.ROOT.resolve("shared/dashboards").toString(), grafana.volumes().get(1).source());
        assertEquals("false", grafana.environment().get("GF_USERS_ALLOW_SIGN_UP"));
        assertEquals("https://grafana.example.com/", grafana.environment().get("GF_SERVER_ROOT_URL"));
        assertEquals("grafana-data-v11", c.volumes().get("grafana").name());
    }

    @Test
    void workerWithRestartPolicySignalsAndTypedEnvironment() {
        ComposeFile c = Fixtures.load("redis-worker", Map.of("REDIS_PASSWORD", "pw-from-ci"));
        Service worker = c.services().get("worker");

        assertEquals(List.of("redis-server", "--appendonly", "yes", "--requirepass", "pw-from-ci"),
                c.services().get("redis").command());
        assertEquals("on-failure:3", worker.restart());
        assertEquals("SIGINT", worker.stopSignal());
        assertEquals(Duration.ofSeconds(90), worker.stopGracePeriod());
        assertEquals(Map.of("REDIS_URL", "redis://:pw-from-ci@redis:6379/0", "CONCURRENCY", "4", "DRY_RUN", "false"),
                worker.environment());
        assertEquals(List.of("scheduler", "--interval", "60"), c.services().get("scheduler").command());
        assertEquals(List.of("redis", "worker"), List.copyOf(c.services().get("scheduler").dependsOn().keySet()));
    }

    @Test
    void keycloakWithEnvironmentListsExtraHostsAndValuelessKeys() {
        ComposeFile c = Fixtures.load("keycloak", Map.of("KC_DB_PASSWORD", "kc-pw"));
        Service kc = c.services().get("keycloak");

        assertEquals("kc-pw", kc.environment().get("KC_DB_PASSWORD"));
        assertTrue(c.services().get("kc-db").environment().containsKey("POSTGRES_PASSWORD"));
        assertNull(c.services().get("kc-db").environment().get("POSTGRES_PASSWORD"),
                "a key without value and without environment value stays unset");
        assertEquals(List.of("host.docker.internal:host-gateway", "ldap.corp:10.0.0.12"), kc.extraHosts());
        assertEquals(List.of("metrics.corp:10.0.0.13"), c.services().get("kc-db").extraHosts());
        assertEquals("keycloak", kc.hostname());
        assertEquals("1000", kc.user());
        assertEquals("/opt/keycloak", kc.workingDir());
        assertEquals(List.of("start", "--optimized", "--hostname=auth.example.com"), kc.command());
    }

    @Test
    void legacyVersion2FileWithExternalNameAndAliases() {
        ComposeFile c = Fixtures.load("legacy-v2");

        assertEquals(new VolumeDef("mongo", "legacy_mongo_data", null, Map.of(), Map.of(), true), c.volumes().get("mongo"));
        assertEquals(List.of("db", "mongodb"), c.services().get("mongo").networks().get("backend").aliases());
        assertEquals(List.of("backend", "default"), List.copyOf(c.services().get("api").networks().keySet()));
        assertEquals("legacy/api:1.0", c.services().get("api").image());
        assertEquals(List.of(
                "docker-compose.yml:21: volumes.mongo.external: external: {name: ...} is deprecated; write external:"
                        + " true and name: ..."), c.warnings());
        assertEquals(List.of("mongo"), c.services().get("api").options().links(), "links are applied");
        assertEquals("service_started", c.services().get("api").dependsOn().get("mongo"), "a link implies the order");
    }

    @Test
    void portsInEveryShortForm() {
        List<PortMapping> ports = Fixtures.load("port-ranges").services().get("media").ports();

        assertEquals(List.of(
                new PortMapping(null, null, "3000", "tcp"),
                new PortMapping(null, null, "3000-3005", "tcp"),
                new PortMapping(null, "8000", "8000", "tcp"),
                new PortMapping(null, "9090-9091", "8080-8081", "tcp"),
                new PortMapping(null, "49100", "22", "tcp"),
                new PortMapping("127.0.0.1", "8001", "8001", "tcp"),
                new PortMapping("127.0.0.1", "5000-5010", "5000-5010", "tcp"),
                new PortMapping("127.0.0.1", null, "5000", "tcp"),
                new PortMapping(null, "6060", "6060", "udp"),
                new PortMapping("::1", "6001", "6001", "tcp"),
                new PortMapping(null, null, "9999", "tcp")), ports);
    }

    @Test
    void mavenPropertiesTagImagesAndBuildIsParsed() {
        ComposeFile c = Fixtures.load("release");
        Service backend = c.services().get("backend");

        assertEquals("inventario", c.name());
        assertEquals("myorg/backend:1.4.0", backend.image());
        assertEquals(Map.of("org.opencontainers.image.version", "1.4.0", "org.opencontainers.image.revision", "unknown",
                "com.example.java", "17"), backend.labels());
        Map<String, String> args = new LinkedHashMap<>();
        args.put("JAR_FILE", "target/inventario-1.4.0.jar");
        args.put("HTTP_PROXY", null);
        assertEquals(new Service.BuildDef(dir("release") + "/backend", "src/main/docker/Dockerfile", args, "runtime",
                Map.of(), null, List.of(), null), backend.build());
        assertEquals(dir("release") + "/docs", c.services().get("docs").build().context());
        assertNull(c.services().get("docs").image());
        assertEquals(List.of(), c.warnings(), "build: is honoured (image builds), so nothing is warned");
    }

    @Test
    void keysSanchoDoesNotApplyAreWarnedWithFileAndLine() {
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        ComposeFile c = ComposeLoader.load(Fixtures.ROOT.resolve("unhonoured/docker-compose.yml"), Map.of(), Map.of(),
                ComposeLoader.builtins("1", "p"), Map.of(), log);

        List<String> expected = List.of(
                "docker-compose.yml:5: services.api.deploy.placement: not honoured by sancho; ignored",
                "docker-compose.yml:8: services.api.imagee: unknown key; ignored (check the spelling)",
                "docker-compose.yml:10: models: not honoured by sancho; ignored",
                "docker-compose.yml:13: volumnes: unknown key; ignored (check the spelling)");
        assertEquals(expected, c.warnings());
        assertEquals(expected, log.warnings, "the loader logs each warning once");
    }

    @Test
    void byteOrderMarkCrlfTabsAndNonAsciiValues() {
        Service cafe = Fixtures.load("crlf-bom").services().get("cafe");

        assertEquals("ejemplo/cafeteria:1", cafe.image());
        assertEquals("¡Hola, señor Dulcinea del Toboso! 🍷", cafe.environment().get("SALUDO"));
        assertEquals("a\tb", cafe.environment().get("CON_TAB"));
        assertEquals("uno\tdos", cafe.environment().get("TAB_SIN_COMILLAS"));
        assertEquals("C:\\datos\\año", cafe.environment().get("RUTA"));
        assertEquals(Map.of("descripción", "Panadería «La Mancha»"), cafe.labels());
        assertFalse(Arrays.asList(cafe.environment().values().toArray()).toString().contains("\r"));
    }
}
