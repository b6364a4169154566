package dev.sancho.maven.core;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.VolumeInfo;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeEnsurerTest {
    @TempDir
    Path dir;

    private final FakeDockerEngine engine = new FakeDockerEngine();
    private final List<String> lines = new ArrayList<>();
    private final Log log = new Log() {
        @Override
        public void info(String message) {
            lines.add("INFO " + message);
        }

        @Override
        public void warn(String message) {
            lines.add("WARN " + message);
        }

        @Override
        public void debug(String message) {}
    };

    /** The runbook's stack: postgres on an external volume, a proxy with ./letsencrypt bound in. */
    private Stack runbookStack(String dbVolumeDriver) {
        return StackResolver.resolve(Fixtures.inline(dir, """
                name: shop
                services:
                  db:
                    image: img
                    volumes:
                      - pgdata:/var/lib/postgresql/data
                  proxy:
                    image: img
                    volumes:
                      - ./letsencrypt:/etc/letsencrypt
                      - ./conf/nginx.conf:/etc/nginx/nginx.conf:ro
                      - type: tmpfs
                        target: /tmp
                volumes:
                  pgdata:
                    external: true
                    name: sancho_postgres_data
                %s
                  cache:
                    labels:
                      tier: cache
                """.formatted(dbVolumeDriver == null ? "" : "    driver: " + dbVolumeDriver)),
                new StackConfig(null, "shop", Fixtures.DEPLOY_ID, Set.of("db", "proxy"), null));
    }

    @Test
    void createsTheMissingPomVolumesWithBothLabels() {
        var result = VolumeEnsurer.ensure(engine, null, List.of("sancho_postgres_data"), "shop", false, log);

        assertEquals(List.of("sancho_postgres_data"), result.createdVolumes());
        VolumeInfo v = engine.volumes.get("sancho_postgres_data");
        assertEquals(Map.of("sancho.managed", "true", "sancho.project", "shop"), v.labels());
        assertTrue(lines.contains("INFO created volume sancho_postgres_data (driver local, labels sancho.managed=true,"
                + " sancho.project=shop) for pom <volumes>"), lines.toString());
    }

    @Test
    void theSecondRunChangesNothingAndSaysSo() {
        VolumeEnsurer.ensure(engine, runbookStack(null), List.of("extra_vol"), "shop", false, log);
        int callsAfterFirst = engine.calls.size();
        lines.clear();

        var second = VolumeEnsurer.ensure(engine, runbookStack(null), List.of("extra_vol"), "shop", false, log);

        assertTrue(second.nothingToDo());
        assertEquals(callsAfterFirst, engine.calls.size(), "no engine change on the second run");
        assertEquals(List.of("sancho_postgres_data", "shop_cache", "extra_vol"), second.existingVolumes());
        assertTrue(lines.contains("INFO nothing to do: 3 volumes and 1 bind-mount source already exist"), lines.toString());
        assertTrue(lines.contains("INFO volume sancho_postgres_data exists, created 2026-01-01T00:00:00Z, driver local"),
                lines.toString());
    }

    @Test
    void composeVolumesGetTheirEngineNameDriverAndLabels() {
        VolumeEnsurer.ensure(engine, runbookStack("local"), null, "shop", false, log);

        assertEquals(List.of("create volume sancho_postgres_data", "create volume shop_cache"), engine.calls);
        assertEquals(Map.of("tier", "cache", "sancho.managed", "true", "sancho.project", "shop"),
                engine.volumes.get("shop_cache").labels());
    }

    @Test
    void anExistingVolumeIsNeverTouchedEvenWithForeignLabels() {
        engine.volumes.put("sancho_postgres_data",
                new VolumeInfo("sancho_postgres_data", "local", "2025-05-05T10:00:00Z", Map.of("owner", "ops")));

        VolumeEnsurer.ensure(engine, null, List.of("sancho_postgres_data"), "shop", false, log);

        assertEquals(List.of(), engine.calls);
        assertEquals(Map.of("owner", "ops"), engine.volumes.get("sancho_postgres_data").labels());
        assertTrue(lines.contains("INFO volume sancho_postgres_data exists, created 2025-05-05T10:00:00Z, driver local"
                + " (not created by sancho)"), lines.toString());
    }

    @Test
    void aDriverMismatchFailsBeforeAnythingIsCreated() {
        engine.volumes.put("sancho_postgres_data",
                new VolumeInfo("sancho_postgres_data", "local", "2025-05-05T10:00:00Z", Map.of()));

        ConfigException e = assertThrows(ConfigException.class,
                () -> VolumeEnsurer.ensure(engine, runbookStack("nfs"), List.of("other"), "shop", false, log));

        assertEquals("volume sancho_postgres_data exists with driver local but docker-compose.yml volumes.pgdata asks"
                + " for driver nfs: sancho never changes an existing volume; declare driver local or migrate the data"
                + " to a new volume yourself", e.getMessage());
        assertEquals(List.of(), engine.calls, "nothing created when one volume is wrong");
        assertFalse(Files.exists(dir.resolve("letsencrypt")));
    }

    @Test
    void bindDirectoriesAreCreatedPrivateAndFileLookingSourcesAreNot() throws IOException {
        var result = VolumeEnsurer.ensure(engine, runbookStack(null), null, "shop", false, log);

        Path le = dir.resolve("letsencrypt");
        assertTrue(Files.isDirectory(le));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(le)));
        assertEquals(List.of(le), result.createdDirectories());
        assertFalse(Files.exists(dir.resolve("conf")), "nginx.conf looks like a file: no directory in its place");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("WARN bind-mount source " + dir.resolve("conf/nginx.conf"))),
                lines.toString());
    }

    @Test
    void aDryRunReportsAndCreatesNothing() {
        var result = VolumeEnsurer.ensure(engine, runbookStack(null), List.of("extra_vol"), "shop", true, log);

        assertEquals(List.of("sancho_postgres_data", "shop_cache", "extra_vol"), result.createdVolumes());
        assertEquals(List.of(), engine.calls);
        assertTrue(engine.volumes.isEmpty());
        assertFalse(Files.exists(dir.resolve("letsencrypt")));
        assertTrue(lines.contains("INFO [dry-run] would create volume extra_vol (driver local, labels"
                + " sancho.managed=true, sancho.project=shop) for pom <volumes>"), lines.toString());
        assertTrue(lines.contains("INFO [dry-run] nothing was changed"));
    }

    @Test
    void aVolumeInBothPomAndComposeIsEnsuredOnce() {
        VolumeEnsurer.ensure(engine, runbookStack(null), List.of("sancho_postgres_data"), "shop", false, log);
        assertEquals(1, engine.calls.stream().filter(c -> c.equals("create volume sancho_postgres_data")).count());
    }

    @Test
    void anInvalidPomVolumeNameIsAConfigurationErrorNamingTheParameter() {
        for (String bad : new String[] {"has space", "/abs/path", "x", "", "-dash"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> VolumeEnsurer.ensure(engine, null, List.of("ok_vol", bad), "shop", false, log), bad);
            assertTrue(e.getMessage().startsWith("parameter volumes (pom <volumes>): '" + bad.trim() + "' is not a valid"
                    + " volume name"), e.getMessage());
        }
        assertEquals(List.of(), engine.calls);
    }

    @Test
    void aProjectNameIsRequiredForTheLabels() {
        assertThrows(ConfigException.class, () -> VolumeEnsurer.ensure(engine, null, List.of("v1"), " ", false, log));
    }

    // ---- Traefik's certificate store (issue 5) ------------------------------------------------------------------

    /** A Traefik-like proxy (infrastructure); {@code keys} is the rest of its service definition. */
    private Stack traefik(String keys) {
        return StackResolver.resolve(Fixtures.inline(dir, """
                services:
                  traefik:
                    image: traefik:v3
                    container_name: sancho_traefik_persistent
                """ + keys.indent(4)), new StackConfig("sancho", null, Fixtures.DEPLOY_ID, Set.of("traefik"), null));
    }

    /** ./letsencrypt bound at /letsencrypt, the store named on the command line at {@code store}. */
    private Stack traefikWithStoreAt(String store) {
        return traefik("""
                command:
                  - --providers.docker=true
                  - --certificatesresolvers.le.acme.storage=%s
                volumes:
                  - ./letsencrypt:/letsencrypt
                """.formatted(store));
    }

    @Test
    void theAcmeStoreNamedOnTheCommandLineIsCreatedEmptyWithMode600() throws IOException {
        Stack stack = traefikWithStoreAt("/letsencrypt/acme.json");
        var result = VolumeEnsurer.ensure(engine, stack, null, "sancho", false, log);

        Path acme = dir.resolve("letsencrypt/acme.json");
        assertEquals(List.of(acme), result.createdFiles());
        assertEquals(0, Files.size(acme));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(acme)));
        assertTrue(Files.isDirectory(dir.resolve("letsencrypt")));
        assertTrue(lines.contains("INFO created certificate store " + acme + " (empty, mode 600) for traefik's"
                + " /letsencrypt/acme.json (command)"), lines.toString());
    }

    @Test
    void anExistingStoreIsNeverRecreatedEmptiedOrChmodded() throws IOException {
        Path le = Files.createDirectories(dir.resolve("letsencrypt"));
        Path acme = Files.writeString(le.resolve("acme.json"), "{\"le\":{\"Certificates\":[\"keep me\"]}}");
        Files.setPosixFilePermissions(acme, PosixFilePermissions.fromString("rw-r--r--"));
        Stack stack = traefikWithStoreAt("/letsencrypt/acme.json");

        for (int i = 0; i < 2; i++) {
            var result = VolumeEnsurer.ensure(engine, stack, null, "sancho", false, log);
            assertEquals(List.of(), result.createdFiles());
            assertTrue(result.nothingToDo());
        }
        assertEquals("{\"le\":{\"Certificates\":[\"keep me\"]}}", Files.readString(acme));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(acme)),
                "a wrong mode is reported by sancho:verify, not silently changed");
        assertTrue(lines.contains("INFO certificate store " + acme + " exists, left as it is (service traefik)"));
    }

    @Test
    void theStoreCanBeNamedByALabelOrTheEnvironmentAndBoundAsAFile() {
        Stack byLabel = traefik("""
                labels:
                  traefik.certificatesresolvers.myresolver.acme.storage: /data/certs/acme.json
                volumes:
                  - ./certs:/data/certs
                """);
        assertEquals(List.of(dir.resolve("certs/acme.json")),
                VolumeEnsurer.ensure(engine, byLabel, null, "sancho", true, log).createdFiles());

        Stack byEnv = traefik("""
                environment:
                  TRAEFIK_CERTIFICATESRESOLVERS_LE_ACME_STORAGE: /acme.json
                volumes:
                  - ./acme.json:/acme.json
                """);
        var result = VolumeEnsurer.ensure(engine, byEnv, null, "sancho", false, log);
        Path acme = dir.resolve("acme.json");
        assertEquals(List.of(acme), result.createdFiles());
        assertTrue(Files.isRegularFile(acme), "a file bound directly is created as a file, not a directory");
        assertEquals(List.of(), result.createdDirectories());
    }

    @Test
    void aDryRunNamesTheStoreAndCreatesNothing() {
        Stack stack = traefikWithStoreAt("/letsencrypt/acme.json");
        var result = VolumeEnsurer.ensure(engine, stack, null, "sancho", true, log);
        assertEquals(List.of(dir.resolve("letsencrypt/acme.json")), result.createdFiles());
        assertFalse(Files.exists(dir.resolve("letsencrypt")));
        assertTrue(lines.contains("INFO [dry-run] would create certificate store " + dir.resolve("letsencrypt/acme.json")
                + " (empty, mode 600) for traefik's /letsencrypt/acme.json (command)"), lines.toString());
    }

    @Test
    void aStoreOutsideEveryBindMountIsNotOurs() {
        Stack stack = traefikWithStoreAt("/acme.json");
        assertEquals(List.of(), VolumeEnsurer.ensure(engine, stack, null, "sancho", false, log).createdFiles());
        assertFalse(Files.exists(dir.resolve("letsencrypt/acme.json")));
    }
}
