package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerFile;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** sancho.backupCopyTo: a proven backup from the backups volume to a local file, checked, atomic, never over a file. */
class BackupCopyTest {
    @RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;
    final FakeDockerEngine engine = new FakeDockerEngine();
    final Fixtures.RecordingLog log = new Fixtures.RecordingLog();
    final byte[] dump = new byte[200_000];

    private Stack stack() {
        Path compose = dir.resolve("app");
        return StackResolver.resolve(Fixtures.inline(compose, """
                services:
                  db:
                    image: sancho-it/postgres:15
                    container_name: bk_db
                    x-sancho-backup: postgres
                """), new StackConfig("bk", "bk", "d1", Set.of("db"), null, false, null));
    }

    private BackupRecord stored(String id) throws Exception {
        new Random(25).nextBytes(dump);
        engine.addImage("sancho-it/postgres:15");
        engine.createVolume("bk_backups", "local", Map.of(), Map.of());
        BackupRecord b = new BackupRecord(id, "db", "bk_db", "sha256:ab", "postgres", "d1",
                Instant.parse("2026-12-07T15:12:00Z"), dump.length,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(dump)), "3", "sancho:backup");
        engine.hostFiles.put("volume:bk_backups/dumps/" + id + ".dump",
                new ContainerFile("volume:bk_backups/dumps/" + id + ".dump", dump, 0600, null, null));
        engine.hostFile("volume:bk_backups/index/" + id + ".properties", b.toProperties(), 0600);
        return b;
    }

    private List<String> filesIn(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCopyIntoADirectoryIsTheDumpByteForBytePrivateAndNothingElse() throws Exception {
        BackupRecord b = stored("db-1");
        Path out = Files.createDirectories(dir.resolve("offsite"));
        Path copied = BackupCopy.copy(engine, stack(), b, BackupCopy.Request.of(out.toString(), null), log);
        assertEquals(out.resolve("db-1.dump"), copied);
        assertArrayEquals(dump, Files.readAllBytes(copied));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copied)));
        assertEquals(List.of("db-1.dump"), filesIn(out), "no temporary file stays");
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("Copied backup db-1 (195.3 KB, sha256 "
                + b.sha256().substring(0, 12) + " checked) to " + copied)), log.lines::toString);
        assertTrue(engine.containers.isEmpty(), "the reader container is removed: " + engine.containers);

        // a second copy never replaces the first
        ConfigException e = assertThrows(ConfigException.class,
                () -> BackupCopy.copy(engine, stack(), b, BackupCopy.Request.of(out + "/", null), log));
        assertEquals("parameter backupCopyTo (sancho.backupCopyTo): " + copied + " already exists and a copy never"
                + " replaces a file; name another file or a directory; nothing was changed", e.getMessage());
        assertArrayEquals(dump, Files.readAllBytes(copied));
    }

    @Test
    void bytesThatDifferFromTheRecordAreRefusedAndLeaveNoFile() throws Exception {
        BackupRecord b = stored("db-1");
        byte[] changed = dump.clone();
        changed[100] ^= 1;
        engine.tamperedReads.put(b.dumpFile(), changed);
        Path file = dir.resolve("new/db.dump"); // its directory is created
        CheckFailedException e = assertThrows(CheckFailedException.class,
                () -> BackupCopy.copy(engine, stack(), b, BackupCopy.Request.of(file.toString(), null), log));
        assertTrue(e.getMessage().startsWith("copy of backup db-1 to " + file + " refused: the bytes written have"
                + " SHA-256 "), e.getMessage());
        assertTrue(e.getMessage().endsWith("changed since it was proven; nothing was written"), e.getMessage());
        assertEquals(List.of(), filesIn(file.getParent()));
    }

    @Test
    void aDumpTheVolumeNoLongerHoldsFailsInOneLineAndLeavesNoFile() throws Exception {
        BackupRecord b = stored("db-1");
        engine.hostFiles.remove("volume:bk_backups/dumps/db-1.dump");
        Path out = Files.createDirectories(dir.resolve("offsite"));
        CheckFailedException e = assertThrows(CheckFailedException.class,
                () -> BackupCopy.copy(engine, stack(), b, BackupCopy.Request.of(out.toString(), null), log));
        assertTrue(e.getMessage().startsWith("copy of backup db-1 to " + out.resolve("db-1.dump") + " failed: reading"
                + " it from volume bk_backups on fake://engine: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(List.of(), filesIn(out));
    }

    @Test
    void requestsThatCannotBeMetAreRefusedBeforeAnythingIsTaken() throws Exception {
        Path file = Files.writeString(dir.resolve("db.dump"), "kept");
        BackupCopy.Request toFile = BackupCopy.Request.of(file.toString(), null);
        assertFalse(toFile.toDirectory());
        assertThrows(ConfigException.class, () -> BackupCopy.precheck(toFile, 1));
        BackupCopy.Request newFile = BackupCopy.Request.of(dir.resolve("other.dump").toString(), null);
        ConfigException two = assertThrows(ConfigException.class, () -> BackupCopy.precheck(newFile, 2));
        assertTrue(two.getMessage().contains("names one file, but 2 services are backed up"), two.getMessage());
        assertTrue(BackupCopy.Request.of(dir.resolve("not-yet") + "/", " db-1 ").toDirectory());
        assertEquals("db-1", BackupCopy.Request.of(dir.toString(), " db-1 ").backupId());
        assertEquals("kept", Files.readString(file));
    }
}
