package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code sancho.backupMaxAge}: verify requires, per service with x-sancho-backup, a proven backup young enough. */
class BackupAgeTest {
    @RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;
    final FakeDockerEngine engine = new FakeDockerEngine();

    private static final String YAML = """
            services:
              db:
                image: sancho-it/postgres:15
                container_name: bk_db
                environment: {POSTGRES_USER: shop, POSTGRES_PASSWORD: pw}
                x-sancho-backup: postgres
              cache:
                image: sancho-it/postgres:15
                container_name: bk_cache
                x-sancho-backup: postgres
              proxy:
                image: sancho-it/postgres:15
                container_name: bk_proxy
            """;

    private Stack stack() {
        return StackResolver.resolve(Fixtures.inline(dir, YAML), new StackConfig("bk", "bk", "d1",
                Set.of("db", "cache", "proxy"), null, false, null));
    }

    private void proven(String id, String service, Instant at) {
        BackupRecord r = new BackupRecord(id, service, "bk_" + service, "sha256:ab", "postgres", null, at, 2048,
                "e3".repeat(32), "3", "sancho:backup");
        engine.hostFile("volume:bk_backups/index/" + id + ".properties", r.toProperties(), 0600);
    }

    private Verifier.Report verify(Duration maxAge) {
        return Verifier.verify(engine, stack(), new VerifyOptions(null, true, List.of(), List.of(), maxAge), Log.NONE);
    }

    private static Verifier.Check row(Verifier.Report r, String subject) {
        return r.checks().stream().filter(c -> c.kind().equals("backup") && c.subject().equals(subject)).findFirst()
                .orElseThrow(() -> new AssertionError("no backup row " + subject + " in " + r.table()));
    }

    @Test
    void eachServiceWithABackupDefinitionNeedsAProvenBackupYoungerThanTheLimit() {
        engine.addImage("sancho-it/postgres:15");
        engine.createVolume("bk_backups", "local", Map.of(), Map.of());
        Instant now = engine.clock();
        proven("db-new", "db", now.minus(Duration.ofHours(3)).minusSeconds(720));
        proven("db-old", "db", now.minus(Duration.ofDays(3)));
        proven("cache-old", "cache", now.minus(Duration.ofDays(2)).minus(Duration.ofHours(5)));

        Verifier.Report r = verify(Duration.ofDays(1));
        Verifier.Check db = row(r, "db");
        assertTrue(db.ok(), db.toString());
        assertEquals("newest proven db-new is 3h12m old (sancho.backupMaxAge=1d)", db.detail());
        Verifier.Check cache = row(r, "cache");
        assertFalse(cache.ok());
        assertEquals("newest proven cache-old is 2d5h old, older than sancho.backupMaxAge=1d — mvn sancho:backup"
                + " -Dsancho.services=cache takes one", cache.detail());
        assertTrue(r.checks().stream().noneMatch(c -> c.subject().equals("proxy") && c.kind().equals("backup")),
                "a service without x-sancho-backup needs no backup");
        CheckFailedException e = assertThrows(CheckFailedException.class, r::requireOk);
        assertTrue(e.getMessage().contains("backup cache: newest proven cache-old is 2d5h old"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        // the reader container is gone again: verify leaves nothing behind
        assertTrue(engine.containers.values().stream().noneMatch(c -> c.name().contains("scratch")
                || c.name().contains("read")), engine.containers.values()::toString);

        assertFalse(row(verify(Duration.ofHours(3)), "db").ok(), "3h12m is older than 3h");
        assertTrue(row(verify(Duration.ofDays(3)), "cache").ok());
        // without the parameter verify does not look at backups at all
        assertTrue(verify(null).checks().stream().noneMatch(c -> c.kind().equals("backup")));
    }

    @Test
    void noBackupsVolumeMeansNoneForEveryService() {
        engine.addImage("sancho-it/postgres:15");
        Verifier.Report r = verify(Duration.ofHours(24));
        for (String s : List.of("db", "cache")) {
            assertFalse(row(r, s).ok());
            assertEquals("none: no proven backup (sancho.backupMaxAge=1d) — mvn sancho:backup -Dsancho.services=" + s
                    + " takes one", row(r, s).detail());
        }
    }

    @Test
    void agesReadAsAPersonWritesThem() {
        assertEquals("0s", Verifier.age(Duration.ofSeconds(-5)));
        assertEquals("45s", Verifier.age(Duration.ofSeconds(45)));
        assertEquals("4m5s", Verifier.age(Duration.ofSeconds(245)));
        assertEquals("2h", Verifier.age(Duration.ofHours(2)));
        assertEquals("7d", Verifier.age(Duration.ofDays(7)));
        assertEquals("1d12h", Verifier.age(Duration.ofHours(36)));
    }
}
