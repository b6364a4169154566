package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.PROXY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.SeedStack;
import dev.sancho.maven.plan.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's certificate store is read through the engine (the fake serves the ENGINE HOST's files through the
 * container's mounts; nothing here is on this machine's disk), the way verify does over a remote engine.
 */
class CertificateChecksTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    private String acmeJson(Instant notAfter, String serial, String name) {
        String pem = TestCertificates.pem(notAfter, serial, name);
        return "{\"le\": {\"Account\": {\"Email\": \"ops@example.com\"}, \"Certificates\": [{\"domain\": {\"main\": \""
                + name + "\"}, \"certificate\": \"" + Base64.getEncoder().encodeToString(
                        pem.getBytes(StandardCharsets.UTF_8)) + "\", \"key\": \"a2V5\", \"Store\": \"default\"}]}}";
    }

    private SeedStack traefik() {
        return SeedStack.in(dir).with("traefik", "command",
                "['--providers.docker', '--certificatesresolvers.le.acme.storage=/letsencrypt/acme.json']");
    }

    private static List<String> rows(List<Verifier.Check> checks) {
        return checks.stream().map(c -> (c.ok() ? "ok " : "FAIL ") + c.kind() + " " + c.subject() + ": " + c.detail())
                .toList();
    }

    @Test
    void verifyReadsAcmeJsonThroughTheProxyContainerAndShowsEachCertificate() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        String host = dir.resolve("letsencrypt").toString();
        e.hostFile(host + "/acme.json", acmeJson(NOW.plus(Duration.ofDays(60)), "0c", "shop.example.com"), 0100600);
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();

        List<Verifier.Check> checks = CertificateChecks.verify(e, traefik().stack("d3"), log, NOW);

        assertEquals(List.of("ok certs traefik:/letsencrypt/acme.json: acme.json, 1 certificate",
                "ok cert shop.example.com: expires 2027-02-05 (60 days), serial c"), rows(checks));
        assertTrue(e.calls.contains("read " + PROXY + " /letsencrypt/acme.json"), e.calls.toString());
    }

    @Test
    void anExpiredCertificateOrAnAcmeJsonOthersCanReadFailsAndOneCloseToItsEndWarns() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        String host = dir.resolve("letsencrypt").toString();
        e.hostFile(host + "/acme.json", acmeJson(NOW.minus(Duration.ofDays(1)), "0d", "shop.example.com"), 0100644);
        List<String> rows = rows(CertificateChecks.verify(e, traefik().stack("d3"), new Fixtures.RecordingLog(), NOW));
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith("FAIL certs traefik:/letsencrypt/acme.json: mode 644, must be 600"), rows.get(1));
        assertTrue(rows.get(2).startsWith("FAIL cert shop.example.com: EXPIRED on 2026-12-06"), rows.get(2));

        e.hostFile(host + "/acme.json", acmeJson(NOW.plus(Duration.ofDays(5)), "0e", "shop.example.com"), 0100600);
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        List<Verifier.Check> soon = CertificateChecks.verify(e, traefik().stack("d3"), log, NOW);
        assertTrue(soon.stream().allMatch(Verifier.Check::ok), rows(soon).toString());
        assertTrue(log.all().contains("certificate shop.example.com expires in 5 days"), log.all());
    }

    @Test
    void caddyStorageIsFoundThroughTheCaddyfileTheContainerRunsWith() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        String host = dir.resolve("letsencrypt").toString();
        String caddyfile = dir.resolve("Caddyfile").toString();
        SeedStack.set(e, PROXY, "running", null, List.of(
                new ContainerInfo.MountInfo("bind", host, "/letsencrypt", false),
                new ContainerInfo.MountInfo("bind", caddyfile, "/etc/caddy/Caddyfile", true)));
        e.hostFile(caddyfile, "{\n\tstorage file_system /letsencrypt\n}\napp.test {\n\trespond ok\n}\n", 0644);
        e.hostFile(host + "/certificates/acme.test-14000-dir/app.test/app.test.crt",
                TestCertificates.pem(NOW.plus(Duration.ofDays(89)), "1f", "app.test"), 0600);
        e.hostFile(host + "/certificates/acme.test-14000-dir/app.test/app.test.key", "KEY", 0600);
        SeedStack seed = SeedStack.in(dir).with("traefik", "image", "sancho-it/caddy:1");

        assertEquals(List.of("ok certs traefik:/letsencrypt: caddy storage, 1 certificate",
                "ok cert app.test: expires 2027-03-06 (89 days), serial 1f"),
                rows(CertificateChecks.verify(e, seed.stack("d3"), new Fixtures.RecordingLog(), NOW)));
    }

    @Test
    void aStoreIsEmptyForRecoveryWhenMissingEmptyOrUnreadable() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        String id = e.findContainer(PROXY).orElseThrow().id();
        String host = dir.resolve("letsencrypt").toString();
        var stack = traefik().stack("d3");
        assertEquals(List.of("/letsencrypt/acme.json does not exist"), CertificateChecks.emptyStores(e, stack, "traefik", id));
        e.hostFile(host + "/acme.json", "", 0100600);
        assertEquals(List.of("/letsencrypt/acme.json holds no certificate"),
                CertificateChecks.emptyStores(e, stack, "traefik", id));
        e.hostFile(host + "/acme.json", "{not json", 0100600);
        assertTrue(CertificateChecks.emptyStores(e, stack, "traefik", id).get(0)
                .startsWith("/letsencrypt/acme.json is unreadable (not valid JSON"));
        e.hostFile(host + "/acme.json", acmeJson(NOW.plus(Duration.ofDays(60)), "0c", "shop.example.com"), 0100600);
        assertEquals(List.of(), CertificateChecks.emptyStores(e, stack, "traefik", id));
        assertEquals(List.of(), CertificateChecks.emptyStores(e, stack, "db", id), "a service without a store");
    }

    @Test
    void aCaddyWithAutomaticHttpsOffKeepsNoStore() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        String caddyfile = dir.resolve("Caddyfile").toString();
        SeedStack.set(e, PROXY, "running", null, List.of(
                new ContainerInfo.MountInfo("bind", caddyfile, "/etc/caddy/Caddyfile", true)));
        e.hostFile(caddyfile, "{\n\tauto_https off\n}\n:80 {\n\trespond ok\n}\n", 0644);
        var stack = SeedStack.in(dir).with("traefik", "image", "sancho-it/caddy:1").stack("d3");
        String id = e.findContainer(PROXY).orElseThrow().id();
        assertEquals(List.of(), CertificateChecks.verify(e, stack, new Fixtures.RecordingLog(), NOW));
        assertEquals(List.of(), CertificateChecks.emptyStores(e, stack, "traefik", id));
        // the same Caddy with automatic HTTPS: its default store is missing, which a recreated proxy must not start on
        e.hostFile(caddyfile, "app.test {\n\trespond ok\n}\n", 0644);
        assertEquals(List.of("/data/caddy does not exist"), CertificateChecks.emptyStores(e, stack, "traefik", id));
    }

    /**
     * An empty store looks the same whether it is new or lost; the engine's record (written by a deploy that saw
     * certificates in it) tells them apart, so verify fails on a lost one.
     */
    @Test
    void aStoreThatHeldCertificatesFailsVerifyWhenFoundEmptyAndOnlyThen() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        String host = dir.resolve("letsencrypt").toString();
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        // a new store, never seen holding anything: passes
        List<String> fresh = rows(CertificateChecks.verify(e, traefik().stack("d3"), log, NOW));
        assertEquals(List.of("ok certs traefik:/letsencrypt/acme.json: no acme.json yet (no certificate obtained so far)"),
                fresh);
        CertificateChecks.record(e, traefik().stack("d3"), log, NOW);
        assertTrue(e.findVolume(CertificateRecord.volumeName("sancho", "traefik")).isEmpty(), "nothing to record yet");

        e.hostFile(host + "/acme.json", acmeJson(NOW.plus(Duration.ofDays(60)), "0c", "shop.example.com"), 0100600);
        CertificateChecks.record(e, traefik().stack("d3"), log, NOW);
        assertTrue(e.findVolume(CertificateRecord.volumeName("sancho", "traefik")).isPresent(), e.calls.toString());
        assertTrue(log.all().contains("Created volume sancho_sancho_certs_traefik"), log.all());
        CertificateChecks.record(e, traefik().stack("d4"), log, NOW.plus(Duration.ofDays(1))); // kept as it is
        assertEquals(1, e.calls.stream().filter(c -> c.startsWith("create volume sancho_sancho_certs_")).count(),
                e.calls.toString());

        e.hostFiles.remove(host + "/acme.json"); // ./letsencrypt emptied
        List<String> lost = rows(CertificateChecks.verify(e, traefik().stack("d4"), log, NOW.plus(Duration.ofDays(2))));
        assertEquals(1, lost.size(), lost.toString());
        assertTrue(lost.get(0).startsWith("FAIL certs traefik:/letsencrypt/acme.json: missing; it held 1 certificate"
                + " (shop.example.com) on 2026-12-07. Restore it from a backup"), lost.get(0));

        e.hostFile(host + "/acme.json", "{\"le\": {\"Account\": null, \"Certificates\": null}}", 0100600);
        List<String> empty = rows(CertificateChecks.verify(e, traefik().stack("d4"), log, NOW));
        assertTrue(empty.get(0).startsWith("FAIL certs traefik:/letsencrypt/acme.json: holds no certificate; it held"),
                empty.toString());
    }
}
