package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.NetworkInfo;
import dev.sancho.maven.docker.NetworkOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From the file to what the engine is asked for, where sancho used to drop or change it: deploy.restart_policy on one
 * engine (Plane), network options created and drift reported (Mastodon's internal network), <infrastructure> naming a
 * service its profiles disable.
 */
class AppliedAsComposeTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Stack stack(String yaml, String... infrastructure) {
        return StackResolver.resolve(Fixtures.inline(dir, yaml),
                new StackConfig("shop", "shop", "7", Set.of(infrastructure), null));
    }

    private static ObservedState observed(Map<String, NetworkInfo> networks) {
        return new ObservedState(Map.of(), List.of(), networks.keySet(), Set.of(), Set.of("postgres:16", "app:1"),
                Map.of(), networks, Map.of(), List.of(), Digests.unsaved());
    }

    @Test
    void planesRestartPolicyBringsTheDatabaseBackAfterAReboot() {
        Stack s = stack("""
                x-restart: &restart
                  deploy:
                    restart_policy:
                      condition: on-failure
                      max_attempts: 5
                services:
                  plane-db:
                    image: postgres:16
                    <<: *restart
                  api:
                    image: app:1
                    deploy:
                      restart_policy:
                        condition: any
                """, "plane-db");
        assertEquals("on-failure:5", ContainerSpecs.forService(s, s.service("plane-db").orElseThrow()).restartPolicy());
        assertEquals("always", ContainerSpecs.forService(s, s.service("api").orElseThrow()).restartPolicy());
    }

    private static final String MASTODON = """
            services:
              db:
                image: postgres:16
                networks: [internal_network]
              web:
                image: app:1
                networks: [external_network, internal_network]
            networks:
              external_network:
              internal_network:
                internal: true
                driver_opts:
                  com.docker.network.bridge.enable_icc: "true"
                labels:
                  purpose: data
            """;

    @Test
    void anInternalNetworkIsCreatedInternal() {
        Plan plan = Planner.plan(stack(MASTODON, "db"), observed(Map.of()), DeployOptions.defaults(NOW));
        Action.CreateNetwork internal = plan.actions(Action.CreateNetwork.class).stream()
                .filter(n -> n.name().equals("shop_internal_network")).findFirst().orElseThrow();
        assertEquals(new NetworkOptions(true, null, false, Map.of("com.docker.network.bridge.enable_icc", "true")),
                internal.options());
        assertEquals(Map.of("purpose", "data", Labels.PROJECT, "shop"), internal.labels());
        Action.CreateNetwork external = plan.actions(Action.CreateNetwork.class).stream()
                .filter(n -> n.name().equals("shop_external_network")).findFirst().orElseThrow();
        assertEquals(NetworkOptions.NONE, external.options());
        assertEquals(List.of(), plan.actions(Action.NetworkDrift.class));
    }

    @Test
    void anExistingNetworkThatDiffersIsReportedAsDriftAndLeftAlone() {
        NetworkInfo open = new NetworkInfo("n1", "shop_internal_network", "bridge", Map.of(Labels.PROJECT, "shop"),
                new NetworkOptions(false, false, false, Map.of()));
        NetworkInfo same = new NetworkInfo("n2", "shop_external_network", "bridge", Map.of(),
                new NetworkOptions(false, false, false, Map.of("com.docker.network.driver.mtu", "1500")));
        Plan plan = Planner.plan(stack(MASTODON, "db"), observed(Map.of(open.name(), open, same.name(), same)),
                DeployOptions.defaults(NOW));
        assertEquals(List.of(new Action.NetworkDrift("shop_internal_network", List.of("internal false -> true",
                "driver_opts.com.docker.network.bridge.enable_icc unset -> true", "labels.purpose unset -> data"))),
                plan.actions(Action.NetworkDrift.class));
        assertEquals(List.of(), plan.actions(Action.CreateNetwork.class), "never recreated");
        assertEquals("drift    network shop_internal_network: internal false -> true; driver_opts."
                + "com.docker.network.bridge.enable_icc unset -> true; labels.purpose unset -> data -- not applied (a"
                + " network is never recreated). To apply: stop the containers on it, docker network rm"
                + " shop_internal_network, deploy again", plan.warnings().get(0));
    }

    @Test
    void infrastructureThatItsProfilesDisableIsNotDeployedAndNotATypo() {
        Path file = Fixtures.write(dir, "docker-compose.yml", """
                services:
                  db:
                    image: postgres:16
                    profiles: [local-db]
                  api:
                    image: app:1
                """);
        ComposeFile compose = ComposeLoader.load(List.of(file), null, Map.of(), Map.of(),
                ComposeLoader.builtins("7", "shop"), Map.of(), Log.NONE);
        Stack s = StackResolver.resolve(compose, new StackConfig("shop", "shop", "7", Set.of("db"), null));
        assertEquals(List.of("api"), s.services().stream().map(StackService::name).toList());
        assertEquals(List.of("<infrastructure> names db, which is not deployed: its profiles (local-db) are not active"
                + " (activate one with -Dsancho.profiles=local-db or COMPOSE_PROFILES)"), s.warnings());
        String typo = assertThrows(dev.sancho.maven.common.ConfigException.class, () -> StackResolver.resolve(compose,
                new StackConfig("shop", "shop", "7", Set.of("dbb"), null))).getMessage();
        assertEquals("<infrastructure> names a service not in docker-compose.yml: dbb (services: api)", typo);
    }

    /** Supabase's Kong routes to realtime-dev.supabase-realtime, a container_name sancho replaces per deploy. */
    @Test
    void aDeclaredContainerNameStaysAHostNameOfTheCurrentDeploy() {
        ComposeFile compose = ComposeLoader.load(List.of(Fixtures.ROOT.resolve("supabase-shape/docker-compose.yml")),
                null, Map.of(), Map.of(), ComposeLoader.builtins("7", "supabase"), Map.of(), Log.NONE);
        Stack s = StackResolver.resolve(compose, new StackConfig(null, "supabase", "7", Set.of("db"), null));
        var realtime = ContainerSpecs.forService(s, s.service("realtime").orElseThrow());
        assertEquals("supabase_realtime_7", realtime.name());
        assertEquals(Map.of("supabase_default", List.of("realtime", "realtime-dev.supabase-realtime")),
                realtime.networks(), "moved at the cutover with the service name: the cutover moves every alias");
        var db = ContainerSpecs.forService(s, s.service("db").orElseThrow());
        assertEquals("supabase-db", db.name());
        assertEquals(Map.of("supabase_default", List.of("db")), db.networks(), "infrastructure keeps its own name");
    }

    @Test
    void anApplicationNeverTakesAnInfrastructureNameAsAlias() {
        Stack s = stack("""
                services:
                  db:
                    image: postgres:16
                    container_name: shop_db_v2
                  api:
                    image: app:1
                    container_name: shop_db_v2
                """, "db");
        assertEquals(Map.of("shop_default", List.of("api")),
                ContainerSpecs.forService(s, s.service("api").orElseThrow()).networks());
    }
}
