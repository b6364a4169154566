package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB;
import static dev.sancho.maven.plan.SeedStack.PROXY;
import static dev.sancho.maven.plan.SeedStack.SECRET;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.SeedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;

    private static final Recovery.Options RUN = new Recovery.Options(false, false, Duration.ofSeconds(2),
            Duration.ZERO);

    private static final String KEY_VOLUME = "create volume " + DigestKey.volumeName("sancho");

    private List<String> recover(FakeDockerEngine e, Recovery.Options o, Log log) {
        return Recovery.recover(e, SeedStack.in(dir).stack("d3"), o, log);
    }

    private static void removeByHand(FakeDockerEngine e, String name) {
        e.containers.remove(e.findContainer(name).orElseThrow().id());
    }

    @Test
    void aDeletedDatabaseIsRecreatedOnItsExistingVolumeAndStarted() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        ContainerInfo traefik = e.findContainer(PROXY).orElseThrow();
        removeByHand(e, DB);
        e.healthOnStart.put(DB, "healthy");
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();

        assertEquals(List.of(DB), recover(e, RUN, log));

        assertEquals(List.of(KEY_VOLUME, "create " + DB, "start " + DB), e.calls,
                "only the missing container is touched (and the project's digest key, absent before, created)");
        ContainerInfo db = e.findContainer(DB).orElseThrow();
        assertEquals(DigestKey.find(e, "sancho").orElseThrow().id(), db.label(Labels.DIGEST_KEY_ID),
                "labelled with digests keyed by the engine's key");
        assertEquals("running", db.state());
        ContainerSpec spec = e.specs.get(db.id());
        assertEquals(List.of(new ContainerSpec.Mount("volume", VOLUME, SeedStack.PGDATA, false)), spec.mounts());
        assertEquals("unless-stopped", spec.restartPolicy());
        assertEquals("infra", spec.labels().get(Labels.ROLE));
        assertEquals(traefik, e.findContainer(PROXY).orElseThrow(), "the existing traefik is untouched");
        assertTrue(log.all().contains("Recovered " + DB + " on the existing volumes."), log.all());
        assertFalse(log.all().contains(SECRET), "environment values are never printed");
    }

    @Test
    void anEmptyDataVolumeIsRefusedUnlessToldAndNothingChanges() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        removeByHand(e, DB);
        e.volumeSizes.put(VOLUME, 0L); // recreated under the same name, or a mistyped name someone created
        CheckFailedException ex = assertThrows(CheckFailedException.class, () -> recover(e, RUN, Log.NONE));
        assertEquals("refusing to recreate " + DB + " on volume " + VOLUME + ": it holds no data (0 bytes), so the"
                + " database would start EMPTY. Restore the data into it (or fix the volume name in the compose file),"
                + " or rerun with -Dsancho.allowEmptyVolume if an empty one is really what you want. Nothing was"
                + " changed.", ex.getMessage());
        assertEquals(List.of(), e.calls);
        e.volumeSizes.put(VOLUME, 41_000_000L);
        e.healthOnStart.put(DB, "healthy");
        assertEquals(List.of(DB), recover(e, RUN, Log.NONE), "with data on it: recovered");
    }

    @Test
    void aVolumeTheEngineCannotMeasureCountsAsNewWhenItIsYoungerThanTheProjectsContainers() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        removeByHand(e, DB);
        e.volumes.put(VOLUME, new dev.sancho.maven.docker.VolumeInfo(VOLUME, "nfs", "2026-03-01T00:00:00Z",
                java.util.Map.of()));
        CheckFailedException ex = assertThrows(CheckFailedException.class, () -> recover(e, RUN, Log.NONE));
        assertTrue(ex.getMessage().startsWith("refusing to recreate " + DB + " on volume " + VOLUME + ": it was created"
                + " at 2026-03-01T00:00:00Z, after this project's containers here"), ex.getMessage());
        e.healthOnStart.put(DB, "healthy");
        assertEquals(List.of(DB), recover(e, new Recovery.Options(true, false, Duration.ofSeconds(2), Duration.ZERO),
                Log.NONE), "-Dsancho.allowEmptyVolume");
    }

    @Test
    void aDatabaseRenamedButStillRunningKeepsRecoverFromStartingASecondServer() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        ContainerInfo db = e.findContainer(DB).orElseThrow();
        e.containers.put(db.id(), new ContainerInfo(db.id(), DB + "_old", db.image(), db.imageId(), db.state(),
                db.health(), db.exitCode(), db.labels(), db.created(), db.mounts(), db.networkAliases()));
        CheckFailedException ex = assertThrows(CheckFailedException.class, () -> recover(e, RUN, Log.NONE));
        assertEquals("refusing to create or start " + DB + ": its data volume " + VOLUME + " is mounted by the running"
                + " container " + DB + "_old, and two servers on one data volume corrupt it. Stop that one first"
                + " (docker stop " + DB + "_old), then run this again. Nothing was changed.", ex.getMessage());
        assertEquals(List.of(), e.calls);
    }

    @Test
    void aMissingDataVolumeIsRefusedAndNothingChanges() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        removeByHand(e, DB);
        e.volumes.clear();
        CheckFailedException ex = assertThrows(CheckFailedException.class,
                () -> recover(e, RUN, Log.NONE));
        assertEquals("refusing to recreate sancho_db_v2: its data volume sancho_postgres_data does not exist, so it"
                + " would start EMPTY (a fresh database). Restore the volume from backup, or rerun with"
                + " -Dsancho.allowEmptyVolume if an empty one is really what you want. Nothing was changed.",
                ex.getMessage());
        assertTrue(e.calls.isEmpty(), e.calls.toString());
    }

    @Test
    void allowEmptyVolumeCreatesTheVolumeVisiblyAndRecovers() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        removeByHand(e, DB);
        e.volumes.clear();
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        recover(e, new Recovery.Options(true, false, Duration.ofSeconds(2), Duration.ZERO), log);
        assertEquals(List.of(KEY_VOLUME, "create volume " + VOLUME, "create " + DB, "start " + DB), e.calls);
        assertTrue(log.all().contains("WARN creating EMPTY volume sancho_postgres_data"), log.all());
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        removeByHand(e, DB);
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        assertEquals(List.of(), recover(e, new Recovery.Options(false, true, Duration.ofSeconds(1), Duration.ZERO),
                log));
        assertTrue(e.calls.isEmpty());
        assertTrue(log.all().contains("create  sancho_db_v2               sancho-it/postgres:15 on"
                + " sancho_postgres_data:/var/lib/postgresql/data"), log.all());
        assertTrue(log.all().contains("keep    sancho_traefik_persistent  running, untouched"), log.all());
        assertTrue(log.all().contains("Dry run: nothing changed."));
    }

    @Test
    void existingContainersAreNeverTouchedEvenWhenStopped() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        SeedStack.set(e, DB, "exited", null, null);
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        assertEquals(List.of(), recover(e, RUN, log));
        assertTrue(e.calls.isEmpty());
        assertTrue(log.all().contains("exited, untouched — not started by recover: docker start sancho_db_v2"));
        assertTrue(log.all().contains("Nothing to recover"));
    }

    @Test
    void aRecreatedContainerThatDoesNotBecomeHealthyFailsButIsLeftForInspection() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        removeByHand(e, DB);
        e.healthOnStart.put(DB, "unhealthy");
        CheckFailedException ex = assertThrows(CheckFailedException.class, () -> recover(e, RUN, Log.NONE));
        assertTrue(ex.getMessage().startsWith("recreated sancho_db_v2 but it is not ready (left in place for"
                + " inspection): sancho_db_v2: its healthcheck reports unhealthy"), ex.getMessage());
        assertFalse(e.calls.stream().anyMatch(c -> c.startsWith("remove")), "infrastructure is never removed");
    }

    @Test
    void aMissingImageThatCannotBePulledSaysWhichAndChangesNothing() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        removeByHand(e, DB);
        e.images.remove("sancho-it/postgres:15");
        // the same rule and message as a deploy's missing image
        ConfigException ex = assertThrows(ConfigException.class, () -> recover(e, RUN, Log.NONE));
        assertEquals("image sancho-it/postgres:15 is not on the engine at fake://engine and cannot be pulled (pull"
                + " access denied for sancho-it/postgres:15 (no registry reachable)): build or load it there first"
                + " (docker build -t sancho-it/postgres:15 <dir>, or docker load -i <file>.tar); nothing was changed",
                ex.getMessage());
        assertTrue(e.calls.isEmpty());
    }

    @Test
    void aMissingProjectNetworkIsCreatedFirst() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        removeByHand(e, DB);
        e.networks.clear();
        recover(e, RUN, Log.NONE);
        assertEquals(List.of(KEY_VOLUME, "create network sancho_default", "create " + DB, "start " + DB), e.calls);
    }

    /** The seed's proxy as Traefik with its ACME store in the bind-mounted ./letsencrypt. */
    private dev.sancho.maven.plan.Stack acmeStack() {
        return SeedStack.in(dir).with("traefik", "command",
                "['--providers.docker', '--certificatesresolvers.le.acme.storage=/letsencrypt/acme.json']").stack("d3");
    }

    private String acmeJson() {
        String pem = dev.sancho.maven.plan.TestCertificates.pem(java.time.Instant.now().plus(Duration.ofDays(60)),
                "0c", "shop.example.com");
        return "{\"le\": {\"Certificates\": [{\"domain\": {\"main\": \"shop.example.com\"}, \"certificate\": \""
                + java.util.Base64.getEncoder().encodeToString(pem.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "\"}]}}";
    }

    private static List<String> proxyCalls(FakeDockerEngine e) {
        return e.calls.stream().filter(c -> c.contains(" " + PROXY)).toList();
    }

    @Test
    void aProxyWhoseCertificateStoreIsEmptyIsCreatedButNotStarted() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        removeByHand(e, PROXY);
        e.hostFile(dir.resolve("letsencrypt").resolve("acme.json").toString(), "", 0100600); // the store was lost

        CheckFailedException ex = assertThrows(CheckFailedException.class,
                () -> Recovery.recover(e, acmeStack(), RUN, new Fixtures.RecordingLog()));

        assertTrue(ex.getMessage().startsWith("refusing to start " + PROXY + ": its certificate store"
                + " /letsencrypt/acme.json holds no certificate; started on it, the proxy would request every"
                + " certificate again"), ex.getMessage());
        assertTrue(ex.getMessage().contains("-Dsancho.allowEmptyCertificates"), ex.getMessage());
        assertEquals(List.of("create " + PROXY, "read " + PROXY + " /letsencrypt/acme.json"), proxyCalls(e));
        assertEquals("created", e.findContainer(PROXY).orElseThrow().state());
    }

    @Test
    void aProxyOnItsCertificatesOrToldThatEmptyIsIntendedIsStarted() {
        FakeDockerEngine e = SeedStack.healthy(dir);
        removeByHand(e, PROXY);
        e.hostFile(dir.resolve("letsencrypt").resolve("acme.json").toString(), acmeJson(), 0100600);
        assertEquals(List.of(PROXY), Recovery.recover(e, acmeStack(), RUN, new Fixtures.RecordingLog()));
        assertEquals("running", e.findContainer(PROXY).orElseThrow().state());

        FakeDockerEngine empty = SeedStack.healthy(dir);
        removeByHand(empty, PROXY);
        Recovery.Options allow = new Recovery.Options(false, false, Duration.ofSeconds(2), Duration.ZERO, List.of(),
                true);
        assertEquals(List.of(PROXY), Recovery.recover(empty, acmeStack(), allow, new Fixtures.RecordingLog()));
        assertEquals(List.of("create " + PROXY, "start " + PROXY), proxyCalls(empty), "the store is not even read");
    }
}
