package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.DeployOptions;
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

/** A deploy that runs a one-shot job backs up the services with x-sancho-backup first, or says why it does not. */
class BackupBeforeJobTest {
    @RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;
    final FakeDockerEngine engine = new FakeDockerEngine();
    final Fixtures.RecordingLog log = new Fixtures.RecordingLog();
    Instant clock = Instant.parse("2026-03-01T10:00:00Z");

    private static final String YAML = """
            services:
              db:
                image: sancho-it/postgres:15
                container_name: bk_db
                environment: {POSTGRES_USER: shop, POSTGRES_PASSWORD: pw}
                x-sancho-backup: postgres
              migrate:
                image: sancho-it/app:1
              backend:
                image: sancho-it/app:1
                depends_on:
                  migrate: {condition: service_completed_successfully}
            """;

    private Stack stack(String id) {
        return StackResolver.resolve(Fixtures.inline(dir, YAML), new StackConfig("bk", "bk", id, Set.of("db"), null,
                false, null));
    }

    private void deploy(String id, BackupMode mode, boolean dryRun) {
        clock = clock.plusSeconds(60);
        engine.exitOnStart.put("bk_migrate_" + id, 0);
        DeployOptions opts = new DeployOptions(2, Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, clock, Set.of());
        DeployRun.run(engine, new DeployRun.Request(stack(id), DeployRun.Steps.ALL, opts,
                new LockOptions(Duration.ofSeconds(1), Duration.ofMinutes(30)), List.of(), Map.of(), List.of(),
                List.of(), dryRun, null, false, false, mode), log);
    }

    @Test
    void theBackupComesBeforeTheJobAndItsFailureChangesNothing() {
        List.of("sancho-it/postgres:15", "sancho-it/app:1").forEach(engine::addImage);
        deploy("d1", BackupMode.AUTO, false);
        assertTrue(log.warnings.contains("No backup of db before job migrate of deploy d1: its container bk_db is not"
                + " running before this deploy (nothing to back up yet)"), log.warnings::toString);

        deploy("d2", BackupMode.AUTO, true);
        assertTrue(log.lines.contains("[dry-run] would back up db (x-sancho-backup postgres) before job migrate of"
                + " deploy d2, and prove it restorable"), log.lines::toString);

        deploy("d2", BackupMode.SKIP, false);
        assertTrue(log.warnings.contains("No backup before job migrate of deploy d2: sancho.backup=skip"));

        // the dump runs in the database container; this engine cannot store it: the deploy fails before its job
        CheckFailedException e = assertThrows(CheckFailedException.class, () -> deploy("d3", BackupMode.AUTO, false));
        assertTrue(e.getMessage().startsWith("backup of db failed: the dump could not be stored in volume bk_backups"),
                e.getMessage());
        assertTrue(engine.calls.stream().anyMatch(c -> c.startsWith("exec bk_db sh -c umask 077;")
                && c.endsWith("pg_dump -Fc -U shop -d shop")), engine.calls::toString);
        assertFalse(engine.findContainer("bk_migrate_d3").isPresent(), "the job was created before the backup");
        assertFalse(engine.findContainer("bk_backend_d3").isPresent());
        assertEquals("running", engine.findContainer("bk_backend_d2").orElseThrow().state());
        // its scratch container is gone again
        assertTrue(engine.findContainer("bk_sancho_backup_db").isEmpty());
        assertTrue(engine.listContainers(Map.of("sancho.role", "backup-scratch")).isEmpty());
    }
}
