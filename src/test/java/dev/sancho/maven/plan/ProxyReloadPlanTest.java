package dev.sancho.maven.plan;

import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.PROXY;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.core.StateReader;
import dev.sancho.maven.docker.FakeDockerEngine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan (what a dry run prints) shows the proxy reload of {@code x-sancho-proxy} where the cutover runs it. */
class ProxyReloadPlanTest {
    static final Instant NOW = Instant.parse("2026-02-01T10:00:00Z");
    static final String RELOAD_LINE = "  reload   " + PROXY + ": nginx -s reload (x-sancho-proxy) once the new deploy"
            + " is in DNS and again once the previous one left it, instead of waiting out the proxy's DNS cache";

    @TempDir
    Path dir;
    FakeDockerEngine engine;
    SeedStack seed;

    @BeforeEach
    void engine() {
        seed = SeedStack.in(dir).with("traefik", "x-sancho-proxy", "{reload: [nginx, -s, reload]}");
        engine = new FakeDockerEngine();
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1").forEach(engine::addImage);
        engine.createVolume(VOLUME, null, Map.of(), Map.of());
    }

    List<String> lines(Stack stack) {
        return Planner.plan(stack, StateReader.observe(engine, stack), DeployOptions.defaults(NOW)).assertSafe()
                .lines();
    }

    @Test
    void aRedeployPrintsTheReloadBetweenJoiningDnsAndTheCutover() {
        Stack first = seed.stack("d1");
        assertTrue(lines(first).stream().noneMatch(l -> l.startsWith("  reload")), "nothing to switch on a first"
                + " deploy: " + lines(first));
        engine = SeedStack.healthy(dir); // d2 serves, d1 is kept
        List<String> lines = lines(seed.stack("d3"));
        int dns = indexOf(lines, "  dns      ");
        int reload = lines.indexOf(RELOAD_LINE);
        int cutover = indexOf(lines, "  cutover  stop ");
        assertTrue(dns >= 0 && dns < reload && reload == cutover - 1, String.join("\n", lines));
    }

    @Test
    void withoutTheExtensionThereIsNoReload() {
        engine = SeedStack.healthy(dir);
        List<String> lines = lines(SeedStack.in(dir).stack("d3"));
        assertTrue(indexOf(lines, "  cutover  stop ") > 0 && indexOf(lines, "  reload") < 0, lines::toString);
    }

    @Test
    void theExtensionBelongsOnAnInfrastructureService() {
        ComposeException e = assertThrows(ComposeException.class, () -> SeedStack.in(dir)
                .with("backend", "x-sancho-proxy", "{reload: [nginx, -s, reload]}").stack("d1"));
        assertTrue(e.getMessage().matches("docker-compose\\.yml:\\d+: services\\.backend\\.x-sancho-proxy: backend is"
                + " not infrastructure: the reload runs in the proxy's one long-lived container with a fixed name;"
                + " list backend under <infrastructure>, or move x-sancho-proxy to the proxy service"), e.getMessage());
    }

    @Test
    void aSwarmDeployWarnsThatItIsNotApplied() {
        Path file = Fixtures.write(dir, "docker-compose.yml", """
                services:
                  proxy:
                    image: nginx:1.27
                    x-sancho-proxy: {reload: [nginx, -s, reload]}
                  app:
                    image: app:1
                """);
        ComposeFile compose = ComposeLoader.load(file, Map.of(), Map.of(), ComposeLoader.builtins("d1", "shop"),
                Fixtures.POM, Log.NONE);
        Stack stack = StackResolver.resolve(compose, new StackConfig("shop", "shop", "d1", Set.of("proxy"), null,
                true));
        assertEquals(List.of("docker-compose.yml:4: services.proxy.x-sancho-proxy: not applied with <target>swarm"
                + "</target>: the swarm's rolling update replaces the tasks, sancho runs no cutover of its own there"),
                stack.warnings());
    }

    static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
