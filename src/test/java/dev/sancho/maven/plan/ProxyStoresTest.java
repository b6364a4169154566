package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.plan.CertificateStore.Format;
import dev.sancho.maven.plan.ProxyStores.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyStoresTest {
    @TempDir
    Path dir;

    private List<Store> stores(SeedStack s) {
        return ProxyStores.of(s.stack("d1"));
    }

    @Test
    void traefikNamesItsAcmeJsonOnTheCommandLineInALabelOrInItsEnvironment() {
        SeedStack seed = SeedStack.in(dir).with("traefik", "image", "traefik:v3.1");
        assertEquals(List.of(), stores(seed)); // Traefik without a certificate resolver: no store
        assertEquals(List.of(new Store("traefik", Format.TRAEFIK, List.of("/letsencrypt/acme.json"), null, "command")),
                stores(seed.with("traefik", "command",
                        "['--providers.docker', '--certificatesresolvers.le.acme.storage=/letsencrypt/acme.json']")));
        assertEquals(List.of(new Store("traefik", Format.TRAEFIK, List.of("/certs/acme.json"), null,
                        "environment TRAEFIK_CERTIFICATESRESOLVERS_LE_ACME_STORAGE")),
                stores(seed.with("traefik", "environment",
                        "{TRAEFIK_CERTIFICATESRESOLVERS_LE_ACME_STORAGE: /certs/acme.json}")));
    }

    @Test
    void caddyDefaultsToItsDataDirectoryAndReadsTheCaddyfileForAStorageOption() {
        SeedStack seed = SeedStack.in(dir).with("traefik", "image", "caddy:2.6-alpine");
        Store s = stores(seed).get(0);
        assertEquals(new Store("traefik", Format.CADDY, List.of("/data/caddy", "/root/.local/share/caddy"),
                "/etc/caddy/Caddyfile", "caddy default storage"), s);
        assertEquals(List.of("/letsencrypt"), s.withCaddyfile("""
                # certificates on the bind mount
                {
                	admin off
                	log {
                		level INFO
                	}
                	storage file_system /letsencrypt   # kept across recreations
                }
                app.example.com {
                	reverse_proxy backend:8080
                }
                """).paths());
        assertEquals(s, s.withCaddyfile("app.example.com {\n\treverse_proxy backend:8080\n}\n")); // no global options
        Store xdg = stores(seed.with("traefik", "environment", "{XDG_DATA_HOME: /srv/state/}")).get(0);
        assertEquals(List.of("/srv/state/caddy"), xdg.paths());
        Store config = stores(seed.with("traefik", "command", "['caddy', 'run', '--config', '/cfg/Caddyfile']")).get(0);
        assertEquals("/cfg/Caddyfile", config.caddyConfig());
    }

    @Test
    void caddyStorageOptionForms() {
        assertEquals(Optional.of("/certs"), ProxyStores.caddyStorage("{\n\tstorage file_system {\n\t\troot /certs\n\t}\n}\n"));
        assertEquals(Optional.of("/x"), ProxyStores.caddyStorage(
                "{\"apps\": {}, \"storage\": {\"module\": \"file_system\", \"root\": \"/x\"}}"));
        assertEquals(Optional.empty(), ProxyStores.caddyStorage("{\n\temail ops@example.com\n}\n"));
        assertEquals(Optional.empty(), ProxyStores.caddyStorage("{\n\t# storage file_system /commented\n}\n"));
        assertTrue(ProxyStores.caddyAutoHttpsOff("{\n\tadmin off\n\tauto_https off\n}\n:80 {\n\trespond ok\n}\n"));
        assertFalse(ProxyStores.caddyAutoHttpsOff("{\n\tauto_https disable_redirects\n}\n"));
        assertFalse(ProxyStores.caddyAutoHttpsOff("app.test {\n\trespond ok\n}\n"));
    }

    @Test
    void anExplicitLabelWinsAndAnAppServiceIsNeverAProxy() {
        SeedStack seed = SeedStack.in(dir).with("traefik", "labels", "{sancho.certificates: /le/acme.json}");
        assertEquals(List.of(new Store("traefik", Format.TRAEFIK, List.of("/le/acme.json"), null,
                "label sancho.certificates")), stores(seed));
        assertEquals(List.of(new Store("traefik", Format.CADDY, List.of("/le"), null, "label sancho.certificates")),
                stores(SeedStack.in(dir).with("traefik", "labels", "{sancho.certificates: /le}")));
        // nginx (the seed's proxy) keeps no ACME store; an app service running caddy is not infrastructure
        assertEquals(List.of(), stores(SeedStack.in(dir).withAppImage("caddy:2")));
    }
}
