package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.ContainerFile;
import dev.sancho.maven.plan.CertificateGuard.Finding;
import dev.sancho.maven.plan.CertificateGuard.Seen;
import dev.sancho.maven.plan.CertificateStore.Cert;
import dev.sancho.maven.plan.CertificateStore.Contents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificateStoreTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant IN_60_DAYS = NOW.plus(Duration.ofDays(60));

    private static String b64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static ContainerFile file(String path, String content, int mode) {
        return ContainerFile.text(path, content, mode, null, null);
    }

    // --- Traefik acme.json

    @Test
    void readsTraefikAcmeJsonPerResolver() {
        String json = """
                {
                  "le": {
                    "Account": {"Email": "ops@shop.example", "Registration": {"body": {"status": "valid"}},
                                "PrivateKey": "MIIE...", "KeyType": "4096"},
                    "Certificates": [
                      {"domain": {"main": "shop.example.com", "sans": ["www.shop.example.com"]},
                       "certificate": "%s", "key": "a2V5", "Store": "default"},
                      {"domain": {"main": "api.example.com"}, "certificate": "%s", "key": "a2V5", "Store": "default"}
                    ]
                  },
                  "staging": {"Account": null, "Certificates": null}
                }
                """.formatted(b64(TestCertificates.pem(IN_60_DAYS, "0a1b", "shop.example.com", "www.shop.example.com")),
                b64(TestCertificates.pem(IN_60_DAYS, "ff", "api.example.com")));
        Contents c = CertificateStore.traefik("/letsencrypt/acme.json",
                Optional.of(file("/letsencrypt/acme.json", json, 0100600)));
        assertTrue(c.present());
        assertEquals(0600, c.mode());
        assertEquals(List.of(), c.problems());
        assertEquals(List.of(
                new Cert(List.of("shop.example.com", "www.shop.example.com"), IN_60_DAYS, "a1b", "le"),
                new Cert(List.of("api.example.com"), IN_60_DAYS, "ff", "le")), c.certificates());
        assertEquals(List.of("api.example.com", "shop.example.com", "www.shop.example.com"), c.names());
    }

    @Test
    void readsTraefikOneDotXLayout() {
        String json = """
                {"Account": {"Email": "x"}, "Certificates": [
                  {"Domain": {"Main": "old.example.com", "SANs": null}, "Certificate": "%s", "Key": "a2V5"}]}
                """.formatted(b64(TestCertificates.pem(IN_60_DAYS, "1", "old.example.com")));
        Contents c = CertificateStore.traefik("/acme.json", Optional.of(file("/acme.json", json, 0600)));
        assertEquals(List.of("old.example.com"), c.names());
        assertEquals(List.of(), c.problems());
    }

    @Test
    void anEmptyAcmeJsonHoldsNothingAndAMissingOneIsAbsent() {
        Contents empty = CertificateStore.traefik("/l/acme.json", Optional.of(file("/l/acme.json", "", 0600)));
        assertTrue(empty.present());
        assertEquals(List.of(), empty.certificates());
        assertEquals(List.of(), empty.problems());
        Contents missing = CertificateStore.traefik("/l/acme.json", Optional.empty());
        assertFalse(missing.present());
        assertNull(missing.mode());
    }

    @Test
    void aBrokenAcmeJsonIsAProblemNamingWhatIsWrong() {
        Contents c = CertificateStore.traefik("/l/acme.json",
                Optional.of(file("/l/acme.json", "{\"le\": {\"Certificates\": [", 0600)));
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().get(0).startsWith("not valid JSON: "), c.problems().toString());
        Contents bad = CertificateStore.traefik("/l/acme.json", Optional.of(file("/l/acme.json",
                "{\"le\": {\"Certificates\": [{\"domain\": {\"main\": \"a.example\"}, \"certificate\": \"bm9wZQ==\"}]}}",
                0600)));
        assertEquals(List.of("resolver le certificate 1 (a.example): certificate does not parse as PEM/X.509"),
                bad.problems());
    }

    // --- Caddy storage

    @Test
    void readsCaddyStorageCertificatesOnly() {
        String pem = TestCertificates.pem(IN_60_DAYS, "3b8943790ea6ca04", "app.test");
        List<ContainerFile> files = List.of(
                file("letsencrypt/certificates/acme.test-14000-dir/app.test/app.test.crt", pem, 0600),
                file("letsencrypt/certificates/acme.test-14000-dir/app.test/app.test.key", "KEY", 0600),
                file("letsencrypt/certificates/acme.test-14000-dir/app.test/app.test.json", "{}", 0600),
                file("letsencrypt/acme/acme.test-14000-dir/users/default/default.json", "{}", 0600),
                file("letsencrypt/certificates/other/x/y.crt", pem, 0600)); // not <name>/<name>.crt: not Caddy's
        Contents c = CertificateStore.caddy("/letsencrypt", Optional.of(files));
        assertEquals(List.of(new Cert(List.of("app.test"), IN_60_DAYS, "3b8943790ea6ca04", "acme.test-14000-dir")),
                c.certificates());
        assertNull(c.mode());
        assertFalse(CertificateStore.caddy("/data/caddy", Optional.empty()).present());
        assertEquals(List.of(), CertificateStore.caddy("/data/caddy", Optional.of(List.of())).certificates());
    }

    @Test
    void aCaddyCertificateThatDoesNotParseIsAProblem() {
        Contents c = CertificateStore.caddy("/data/caddy", Optional.of(List.of(
                file("/data/caddy/certificates/le/a.example/a.example.crt", "garbage", 0600))));
        assertEquals(List.of("certificates/le/a.example/a.example.crt does not parse as PEM/X.509"), c.problems());
    }

    // --- the guard

    private static Contents caddyWith(Instant... notAfter) {
        List<Cert> certs = new java.util.ArrayList<>();
        for (int i = 0; i < notAfter.length; i++) {
            certs.add(new Cert(List.of("n" + i + ".example"), notAfter[i], Integer.toHexString(i + 1), "le"));
        }
        return new Contents(CertificateStore.Format.CADDY, "/data/caddy", true, certs, null, List.of());
    }

    private static final Seen SEEN = new Seen(List.of("shop.example.com"), 1, Instant.parse("2026-11-01T08:00:00Z"));

    @Test
    void aStoreWithValidCertificatesPassesWithOneRowEach() {
        List<Finding> f = CertificateGuard.judge("proxy", caddyWith(IN_60_DAYS), Optional.of(SEEN), NOW);
        assertEquals(List.of(
                new Finding(true, null, "certs", "proxy:/data/caddy", "caddy storage, 1 certificate"),
                new Finding(true, null, "cert", "n0.example", "expires 2027-02-05 (60 days), serial 1")), f);
    }

    @Test
    void anExpiredCertificateFailsAndOneCloseToItsEndWarns() {
        List<Finding> f = CertificateGuard.judge("proxy",
                caddyWith(NOW.minusSeconds(60), NOW.plus(Duration.ofDays(9))), Optional.empty(), NOW);
        assertFalse(f.get(1).ok());
        assertTrue(f.get(1).detail().startsWith("EXPIRED on 2026-12-07 (serial 1)"), f.get(1).detail());
        assertTrue(f.get(2).ok());
        assertEquals("certificate n1.example expires in 9 days (2026-12-16): ACME clients renew 30 days ahead, so its"
                + " renewal has been failing; see the proxy's log", f.get(2).warning());
        // 14 days and more: no warning
        assertNull(CertificateGuard.judge("proxy", caddyWith(NOW.plus(Duration.ofDays(14))), Optional.empty(), NOW)
                .get(1).warning());
    }

    @Test
    void anEmptyOrMissingStoreFailsOnlyWhenItHeldCertificatesBefore() {
        Contents empty = caddyWith();
        assertTrue(CertificateGuard.judge("proxy", empty, Optional.empty(), NOW).get(0).ok());
        Finding lost = CertificateGuard.judge("proxy", empty, Optional.of(SEEN), NOW).get(0);
        assertFalse(lost.ok());
        assertEquals("holds no certificate; it held 1 certificate (shop.example.com) on 2026-11-01. Restore it from a"
                + " backup before the proxy starts requesting certificates again (Let's Encrypt issues 5 per week per"
                + " set of names)", lost.detail());
        Contents missing = CertificateStore.caddy("/data/caddy", Optional.empty());
        assertTrue(CertificateGuard.judge("proxy", missing, Optional.empty(), NOW).get(0).ok());
        Finding gone = CertificateGuard.judge("proxy", missing, Optional.of(SEEN), NOW).get(0);
        assertFalse(gone.ok());
        assertTrue(gone.detail().startsWith("missing; it held 1 certificate"), gone.detail());
    }

    @Test
    void anUnreadableStoreFailsEvenWithoutARecord() {
        Contents broken = CertificateStore.traefik("/l/acme.json", Optional.of(file("/l/acme.json", "{", 0600)));
        Finding f = CertificateGuard.judge("traefik", broken, Optional.empty(), NOW).get(0);
        assertFalse(f.ok());
        assertTrue(f.detail().startsWith("acme.json unreadable: not valid JSON"), f.detail());
    }

    @Test
    void anAcmeJsonOthersCanReadFails() {
        Contents open = CertificateStore.traefik("/l/acme.json", Optional.of(file("/l/acme.json", "", 0644)));
        List<Finding> f = CertificateGuard.judge("traefik", open, Optional.empty(), NOW);
        assertEquals(2, f.size());
        assertFalse(f.get(1).ok());
        assertTrue(f.get(1).detail().startsWith("mode 644, must be 600"), f.get(1).detail());
    }

    @Test
    void theRecordKeepsNamesAndCountOnlyOfAStoreThatHoldsCertificates() {
        assertEquals(Optional.empty(), CertificateGuard.seen(caddyWith(), NOW));
        assertEquals(Optional.of(new Seen(List.of("n0.example", "n1.example"), 2, NOW)),
                CertificateGuard.seen(caddyWith(IN_60_DAYS, IN_60_DAYS), NOW));
    }
}
