package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.Log;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code x-sancho-proxy: {reload: [...]}} on the proxy service: typed, interpolated, every mistake a file:line. */
class ProxyExtensionTest {
    @TempDir
    Path dir;

    static String file(String proxyKeys) {
        return """
                services:
                  proxy:
                    image: nginx:1.27
                """ + proxyKeys + """
                  app:
                    image: app:1
                """;
    }

    ComposeFile load(String proxyKeys) {
        return Fixtures.inline(dir, file(proxyKeys), Map.of("ADMIN_TOKEN", "t0k3n-s3cret"));
    }

    String error(String proxyKeys) {
        return assertThrows(ComposeException.class, () -> load(proxyKeys)).getMessage();
    }

    @Test
    void theListFormIsTheCommandAsWritten() {
        ComposeFile f = load("    x-sancho-proxy: {reload: [nginx, -s, reload]}\n");
        ProxyExtension p = f.proxy("proxy").orElseThrow();
        assertEquals(List.of("nginx", "-s", "reload"), p.reload());
        assertEquals("nginx -s reload", p.shown());
        assertEquals(4, p.line());
        assertEquals("docker-compose.yml", p.file());
        assertEquals(Optional.empty(), f.proxy("app"));
        assertEquals(List.of(), f.warnings(), "Compose ignores x- keys; so does the unknown-key check");
    }

    @Test
    void aStringIsSplitLikeComposeSplitsACommandAndInterpolatedValuesAreNeverShown() {
        ComposeFile f = load("""
                    x-sancho-proxy:
                      reload: "caddy reload --config /etc/caddy/Caddyfile --address 'localhost:2019' ${ADMIN_TOKEN}"
                """);
        ProxyExtension p = f.proxy("proxy").orElseThrow();
        assertEquals(List.of("caddy", "reload", "--config", "/etc/caddy/Caddyfile", "--address", "localhost:2019",
                "t0k3n-s3cret"), p.reload());
        assertEquals("caddy reload --config /etc/caddy/Caddyfile --address 'localhost:2019' ${ADMIN_TOKEN}",
                p.shown());
        ProxyExtension list = load("    x-sancho-proxy: {reload: [sh, -c, 'kill -HUP 1 && echo ${ADMIN_TOKEN}']}\n")
                .proxy("proxy").orElseThrow();
        assertEquals("sh -c 'kill -HUP 1 && echo ${ADMIN_TOKEN}'", list.shown());
        assertTrue(list.reload().get(2).contains("t0k3n-s3cret"));
    }

    @Test
    void anOverrideFileCanAddIt() {
        Fixtures.write(dir, "docker-compose.override.yml", """
                services:
                  proxy:
                    x-sancho-proxy:
                      reload: [nginx, -s, reload]
                """);
        Path main = Fixtures.write(dir, "docker-compose.yml", file(""));
        ComposeFile f = ComposeLoader.load(List.of(main, dir.resolve("docker-compose.override.yml")), null, Map.of(),
                Map.of(), ComposeLoader.builtins(Fixtures.DEPLOY_ID, "sancho"), Fixtures.POM, Log.NONE);
        ProxyExtension p = f.proxy("proxy").orElseThrow();
        assertEquals(List.of("nginx", "-s", "reload"), p.reload());
        assertEquals("docker-compose.override.yml", p.file());
        assertEquals(3, p.line());
    }

    @Test
    void everyBadValueIsOneLineWithFileAndLine() {
        assertEquals("docker-compose.yml:4: services.proxy.x-sancho-proxy: expected a mapping with reload:, found a"
                + " list (e.g. x-sancho-proxy: {reload: [nginx, -s, reload]})",
                error("    x-sancho-proxy: [nginx, -s, reload]\n"));
        assertEquals("docker-compose.yml:5: services.proxy.x-sancho-proxy.relaod: unknown key: x-sancho-proxy takes"
                + " reload: only (e.g. x-sancho-proxy: {reload: [nginx, -s, reload]})",
                error("    x-sancho-proxy:\n      relaod: [nginx, -s, reload]\n"));
        assertEquals("docker-compose.yml:5: services.proxy.x-sancho-proxy.reload: needs the command that reloads the"
                + " proxy (e.g. x-sancho-proxy: {reload: [nginx, -s, reload]})",
                error("    x-sancho-proxy:\n      reload:\n"));
        assertEquals("docker-compose.yml:5: services.proxy.x-sancho-proxy.reload: the command is empty (e.g."
                + " x-sancho-proxy: {reload: [nginx, -s, reload]})",
                error("    x-sancho-proxy:\n      reload: []\n"));
        assertEquals("docker-compose.yml:5: services.proxy.x-sancho-proxy.reload: expected a command (a list of"
                + " words, or a string), found a mapping (e.g. x-sancho-proxy: {reload: [nginx, -s, reload]})",
                error("    x-sancho-proxy:\n      reload: {cmd: nginx}\n"));
        assertEquals("docker-compose.yml:5: services.proxy.x-sancho-proxy.reload: the ' quote opened in the command"
                + " is never closed", error("    x-sancho-proxy:\n      reload: \"nginx -s 'reload\"\n"));
    }
}
