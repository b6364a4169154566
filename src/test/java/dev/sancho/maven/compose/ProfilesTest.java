package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code profiles:} keep a service out of the stack until one of its profiles is activated. */
class ProfilesTest {

    @TempDir
    Path dir;

    private final Fixtures.RecordingLog log = new Fixtures.RecordingLog();

    private static final String STACK = """
            services:
              web:
                image: shop/web
                depends_on: [db]
              db:
                image: postgres
              adminer:
                image: adminer
                profiles: [debug]
                depends_on: [db]
              mailpit:
                image: axllent/mailpit
                profiles: ["dev", "debug"]
            """;

    private ComposeFile load(String yaml, List<String> profiles, Map<String, String> env) {
        return ComposeLoader.load(List.of(Fixtures.write(dir, "docker-compose.yml", yaml)), profiles, env, Map.of(),
                Map.of(), Map.of(), log);
    }

    private List<String> services(List<String> profiles, Map<String, String> env) {
        return List.copyOf(load(STACK, profiles, env).services().keySet());
    }

    @Test
    void servicesWithProfilesAreLeftOutUntilOneOfTheirProfilesIsActive() {
        ComposeFile c = load(STACK, null, Map.of());
        assertEquals(List.of("web", "db"), List.copyOf(c.services().keySet()));
        assertEquals(Map.of("adminer", List.of("debug"), "mailpit", List.of("dev", "debug")),
                c.provenance().disabledServices());
        assertEquals(List.of(), c.provenance().profiles());
        assertEquals(List.of(), log.warnings, "profiles is applied, not an ignored key");
    }

    @Test
    void theProfilesParameterActivatesThem() {
        assertEquals(List.of("web", "db", "mailpit"), services(List.of("dev"), Map.of()));
        assertEquals(List.of("web", "db", "adminer", "mailpit"), services(List.of("debug"), Map.of()));
        assertEquals(List.of("web", "db", "adminer", "mailpit"), services(List.of("*"), Map.of()));
    }

    @Test
    void withoutTheParameterComposeProfilesDecidesFromTheEnvironmentOrTheEnvFile() {
        assertEquals(List.of("web", "db", "adminer", "mailpit"), services(null, Map.of("COMPOSE_PROFILES", "x, debug")));
        assertEquals(List.of("web", "db", "mailpit"), services(List.of("dev"), Map.of("COMPOSE_PROFILES", "debug")),
                "the parameter wins");
        Fixtures.write(dir, ".env", "COMPOSE_PROFILES=dev\n");
        assertEquals(List.of("web", "db", "mailpit"), services(null, Map.of()));
        assertEquals(List.of("dev"), load(STACK, null, Map.of()).provenance().profiles());
    }

    @Test
    void aServiceDependingOnADisabledOneIsAnErrorNamingBoth() {
        ComposeException e = assertThrows(ComposeException.class, () -> load("""
                services:
                  web:
                    image: shop/web
                    depends_on:
                      cache:
                        condition: service_started
                  cache:
                    image: redis
                    profiles: [cache]
                """, List.of("dev"), Map.of()));
        assertEquals("docker-compose.yml:5: services.web.depends_on.cache: web depends on cache, which is disabled:"
                + " its profiles (cache) are not active (active: dev); activate one with -Dsancho.profiles=cache (or"
                + " COMPOSE_PROFILES), or make the dependency required: false", e.getMessage());

        ComposeException list = assertThrows(ComposeException.class, () -> load("services:\n  web:\n    image: w\n"
                + "    depends_on: [cache]\n  cache:\n    image: redis\n    profiles: [cache]\n", null, Map.of()));
        assertEquals("docker-compose.yml:4: services.web.depends_on[0]: web depends on cache, which is disabled: its"
                + " profiles (cache) are not active (no profile is active); activate one with -Dsancho.profiles=cache"
                + " (or COMPOSE_PROFILES), or make the dependency required: false", list.getMessage());
    }

    @Test
    void anOptionalDependencyOnADisabledServiceIsDropped() {
        ComposeFile c = load("""
                services:
                  web:
                    image: shop/web
                    depends_on:
                      db:
                        condition: service_started
                      cache:
                        condition: service_started
                        required: false
                  db:
                    image: postgres
                  cache:
                    image: redis
                    profiles: [cache]
                """, null, Map.of());
        assertEquals(Map.of("db", "service_started"), c.services().get("web").dependsOn());
    }

    @Test
    void whenEveryServiceIsDisabledTheErrorSaysWhichProfilesThereAre() {
        ComposeException e = assertThrows(ComposeException.class, () -> load(
                "services:\n  tools:\n    image: t\n    profiles: [tools]\n", null, Map.of()));
        assertEquals("docker-compose.yml:1: services: every service has profiles: and none of them is active (no"
                + " profile is active): tools (tools); activate one with -Dsancho.profiles=NAME or COMPOSE_PROFILES",
                e.getMessage());
    }

    @Test
    void profilesApplyToIncludedAndOverriddenServicesToo() {
        Fixtures.write(dir, "tools/compose.yml", "services:\n  grafana:\n    image: grafana\n    profiles: [ops]\n");
        Path main = Fixtures.write(dir, "docker-compose.yml", "include: [tools/compose.yml]\nservices:\n"
                + "  web:\n    image: w\n");
        Path override = Fixtures.write(dir, "docker-compose.override.yml", "services:\n  web:\n    profiles: [web]\n");
        ComposeFile c = ComposeLoader.load(List.of(main, override), List.of("ops"), Map.of(), Map.of(), Map.of(),
                Map.of(), log);
        assertEquals(List.of("grafana"), List.copyOf(c.services().keySet()));
    }
}
