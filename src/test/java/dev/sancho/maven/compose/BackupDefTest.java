package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code x-sancho-backup}: the presets resolve from the service's environment; a bad value is one line with file:line. */
class BackupDefTest {

    @TempDir
    Path dir;

    private BackupDef backup(String db) {
        return Fixtures.inline(dir, "services:\n  db:\n    image: postgres:15\n" + db).services().get("db").backup();
    }

    private String error(String db) {
        return assertThrows(ComposeException.class, () -> backup(db)).getMessage();
    }

    @Test
    void thePostgresPresetDumpsAndRestoresTheServicesOwnUserAndDatabase() {
        BackupDef b = backup("""
                    environment:
                      POSTGRES_USER: shop
                      POSTGRES_DB: orders
                      POSTGRES_PASSWORD: s3cret-value
                    x-sancho-backup: postgres
                """);
        assertEquals("postgres", b.kind());
        assertEquals(List.of("pg_dump", "-Fc", "-U", "shop", "-d", "orders"), b.dump());
        assertEquals(List.of("pg_restore", "--clean", "--if-exists", "--single-transaction", "-U", "shop", "-d",
                "orders"), b.restore());
        assertEquals("psql", b.check().get(0));
        assertTrue(b.atomicRestore());
        assertEquals(BackupDef.DEFAULT_KEEP, b.keep());
        assertEquals(8, b.line());
        String all = String.join(" ", b.dump()) + b.restore() + b.check() + b.ready();
        assertTrue(!all.contains("s3cret-value"), "a password in a command: " + all);
    }

    @Test
    void thePostgresPresetDefaultsAsTheImageDoes() {
        BackupDef b = backup("    x-sancho-backup: postgres\n");
        assertEquals(List.of("pg_dump", "-Fc", "-U", "postgres", "-d", "postgres"), b.dump());
        b = backup("    environment:\n      POSTGRES_USER: app\n    x-sancho-backup: postgres\n");
        assertEquals(List.of("pg_dump", "-Fc", "-U", "app", "-d", "app"), b.dump());
    }

    @Test
    void theMysqlPresetKeepsThePasswordInTheContainer() {
        BackupDef b = backup("""
                    environment:
                      MARIADB_DATABASE: shop
                      MARIADB_ROOT_PASSWORD: s3cret-value
                    x-sancho-backup: {preset: mariadb, keep: 3}
                """);
        assertEquals("mariadb", b.kind());
        assertEquals(3, b.keep());
        assertTrue(b.dump().get(2).contains("mariadb-dump || echo mysqldump)\" -uroot --single-transaction"),
                b.dump().toString());
        assertEquals(List.of("sh", "shop"), b.dump().subList(3, 5));
        assertTrue(!String.join(" ", b.dump()).contains("s3cret-value"));
    }

    /**
     * The preset's commands run by a real sh against stand-in client tools that print what they were given: MariaDB
     * 11 images ship only mariadb-dump/mariadb/mariadb-admin, MySQL images only mysqldump/mysql/mysqladmin, and a
     * database name may hold a $ that the shell must not expand.
     */
    @Test
    void theMysqlPresetsFindTheClientToolsUnderEitherNameAndPassTheDatabaseAsIs() throws Exception {
        Path mariadb11 = tools("mariadb11", "mariadb-dump", "mariadb", "mariadb-admin");
        Path mysql8 = tools("mysql8", "mysqldump", "mysql", "mysqladmin");
        String env = "    environment:\n      MARIADB_DATABASE: \"shop$$eu\"\n      MARIADB_ROOT_PASSWORD: x\n";
        for (String preset : List.of("mariadb", "mysql")) {
            BackupDef b = backup(env + "    x-sancho-backup: " + preset + "\n");
            for (Path image : List.of(mariadb11, mysql8)) {
                String tool = image == mariadb11 ? "mariadb" : "mysql";
                assertEquals((image == mariadb11 ? "mariadb-dump" : "mysqldump") + " pw=p'w \"1 -uroot"
                        + " --single-transaction --routines --triggers --events --databases shop$eu",
                        run(image, b.dump()), preset + " on " + image.getFileName());
                assertEquals(tool + " pw=p'w \"1 -uroot", run(image, b.restore()));
                assertEquals(tool + " pw=p'w \"1 -uroot -N -B -e SELECT COUNT(*) FROM information_schema.tables"
                        + " WHERE table_schema = 'shop$eu'", run(image, b.check()));
                assertEquals((image == mariadb11 ? "mariadb-admin" : "mysqladmin") + " pw=p'w \"1 -uroot -h127.0.0.1"
                        + " --protocol=tcp status", run(image, b.ready()));
            }
        }
    }

    private Path tools(String image, String... names) throws java.io.IOException {
        Path bin = java.nio.file.Files.createDirectories(dir.resolve(image));
        for (String n : names) {
            Path f = bin.resolve(n);
            java.nio.file.Files.writeString(f, "#!/bin/sh\necho \"" + n + " pw=$MYSQL_PWD $*\"\n");
            assertTrue(f.toFile().setExecutable(true));
        }
        return bin;
    }

    private static String run(Path bin, List<String> command) throws Exception {
        List<String> c = new java.util.ArrayList<>(command);
        c.set(0, "/bin/" + c.get(0));
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("MARIADB_ROOT_PASSWORD", "p'w \"1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void aCustomPairIsTakenAsWritten() {
        BackupDef b = backup("""
                    x-sancho-backup:
                      dump: [redis-cli, --rdb, /dev/stdout]
                      restore: "sh -c 'cat > /data/dump.rdb'"
                      check: [redis-cli, dbsize]
                      keep: 2
                """);
        assertEquals("custom", b.kind());
        assertEquals(List.of("redis-cli", "--rdb", "/dev/stdout"), b.dump());
        assertEquals(List.of("sh", "-c", "cat > /data/dump.rdb"), b.restore());
        assertEquals(List.of("redis-cli", "dbsize"), b.check());
        assertEquals(2, b.keep());
        assertTrue(!b.atomicRestore());
    }

    @Test
    void variablesAreInterpolatedLikeEveryOtherValue() {
        BackupDef b = Fixtures.inline(dir, "services:\n  db:\n    image: postgres:15\n    x-sancho-backup:\n"
                + "      preset: postgres\n      dump: [pg_dump, -d, \"${BACKUP_DB:-shop}\"]\n", Map.of("BACKUP_DB", "x"))
                .services().get("db").backup();
        assertEquals(List.of("pg_dump", "-d", "x"), b.dump());
        assertEquals("pg_restore", b.restore().get(0));
    }

    @Test
    void noExtensionNoBackup() {
        assertNull(backup("    environment: {A: b}\n"));
    }

    @Test
    void badValuesAreOneLineWithFileAndLine() {
        assertEquals("docker-compose.yml:4: services.db.x-sancho-backup: unknown backup preset \"postgress\": use"
                + " postgres, mysql or mariadb, or give {dump: [...], restore: [...]}",
                error("    x-sancho-backup: postgress\n"));
        assertTrue(error("    x-sancho-backup: {dump: [pg_dump]}\n").startsWith("docker-compose.yml:4:"
                + " services.db.x-sancho-backup: needs both dump: and restore:"));
        assertTrue(error("    x-sancho-backup:\n      dump: [a]\n      restore: [b]\n      keep: 0\n")
                .startsWith("docker-compose.yml:7: services.db.x-sancho-backup.keep: must be 1 or more"));
        assertTrue(error("    x-sancho-backup:\n      dump: [a]\n      restor: [b]\n")
                .startsWith("docker-compose.yml:6: services.db.x-sancho-backup.restor: unknown key"));
        assertTrue(error("    x-sancho-backup: mysql\n").contains("MYSQL_DATABASE or MARIADB_DATABASE"));
        assertTrue(error("    environment:\n      POSTGRES_USER: \"a b\"\n    x-sancho-backup: postgres\n")
                .contains("POSTGRES_USER is not a plain name"));
    }
}
