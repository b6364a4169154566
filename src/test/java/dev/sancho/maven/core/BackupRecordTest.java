package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupRecordTest {

    @Test
    void theIndexFileReadsBackAsWritten() {
        BackupRecord r = new BackupRecord("db-20261207-151200-123", "db", "shop_db", "sha256:ab", "postgres", "d1",
                Instant.parse("2026-12-07T15:12:00.123Z"), 123456789L, "e3b0c44298fc1c149afbf4c8996fb924", "3",
                "before job migrate of deploy d2");
        assertEquals(r, BackupRecord.parse(r.toProperties()));
        assertEquals("/sancho-backups/dumps/db-20261207-151200-123.dump", r.dumpFile());
        assertEquals("117.7 MB", r.humanSize());
        BackupRecord none = new BackupRecord("db-1", "db", "shop_db", null, "custom", null, Instant.EPOCH, 0, "00",
                null, null);
        assertEquals(none, BackupRecord.parse(none.toProperties()));
    }

    @Test
    void theRedirectsKeepTheCommandsWordsAsArguments() {
        List<String> out = Backups.redirectOut("/tmp/x.dump", List.of("pg_dump", "-U", "a b"));
        assertEquals(List.of("sh", "-c", "umask 077; f=$1; shift; \"$@\" > \"$f\"", "sh", "/tmp/x.dump", "pg_dump",
                "-U", "a b"), out);
        assertTrue(Backups.redirectIn("/f", List.of("mysql")).get(2).endsWith("< \"$f\""));
    }

    @Test
    void aFullBackupStorageIsSaidPlainlyInOneLine() {
        String engine = "Error processing tar file(exit status 1): write /sancho-backups/incoming/db-1.dump: no space"
                + " left on device";
        assertEquals("backup of db failed: the backup storage, volume shop_backups, is full (no space left on device):"
                + " nothing was counted, the partial file was removed; free space on the engine host's disk behind the"
                + " volume, or keep fewer backups (x-sancho-backup keep:)",
                Backups.storageFailed("db", "shop_backups", engine, true).getMessage());
        assertTrue(Backups.storageFailed("db", "shop_backups", "write x: Disk quota exceeded", false).getMessage()
                .contains("is full (disk quota exceeded): nothing was counted, the partial file in it is removed by"
                        + " the next backup;"));
        assertEquals("backup of db failed: the dump could not be stored in volume shop_backups: permission denied;"
                + " nothing was counted, the partial file was removed",
                Backups.storageFailed("db", "shop_backups", "permission denied", true).getMessage());
    }
}
