package dev.sancho.maven.core;

import static dev.sancho.maven.plan.SeedStack.DB;
import static dev.sancho.maven.plan.SeedStack.PGDATA;
import static dev.sancho.maven.plan.SeedStack.PROXY;
import static dev.sancho.maven.plan.SeedStack.SECRET;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.FakeDockerEngine.Exec;
import dev.sancho.maven.plan.SeedStack;
import dev.sancho.maven.plan.Stack;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final VirtualTime time = new VirtualTime();

    @TempDir
    Path dir;

    private Verifier.Report verify(FakeDockerEngine e, VerifyOptions o) {
        return Verifier.verify(e, SeedStack.in(dir).stack("d3"), o, Log.NONE);
    }

    private static Verifier.Check row(Verifier.Report r, String kind, String subject) {
        return r.checks().stream().filter(c -> c.kind().equals(kind) && c.subject().equals(subject)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + subject + " in " + r.table()));
    }

    private static void assertFails(Verifier.Report r, String kind, String subject, String reason) {
        Verifier.Check c = row(r, kind, subject);
        assertFalse(c.ok(), c.toString());
        assertTrue(c.detail().contains(reason), c.detail());
        assertFalse(r.ok());
        CheckFailedException ex = assertThrows(CheckFailedException.class, r::requireOk);
        assertTrue(ex.getMessage().contains(subject + ": " + c.detail()), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), "one line");
    }

    @Test
    void aHealthyStackPassesEveryCheckAndPrintsOneTable() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        Verifier.Report r = Verifier.verify(e, SeedStack.in(dir).stack("d3"), VerifyOptions.defaults(), log);
        assertTrue(r.ok(), String.join("\n", r.table()));
        assertEquals("running, healthy", row(r, "infra", DB).detail());
        assertEquals("running (no healthcheck)", row(r, "infra", PROXY).detail());
        assertEquals("exists (external)", row(r, "volume", VOLUME).detail());
        assertEquals("volume " + VOLUME, row(r, "mount", DB + ":" + PGDATA).detail());
        assertEquals("exists (directory)", row(r, "bind", "./letsencrypt").detail());
        assertEquals("bind ./letsencrypt", row(r, "mount", PROXY + ":/letsencrypt").detail());
        assertTrue(row(r, "deploy", "d2").detail().startsWith("current, deployed 2026-01-02T10:00:00Z"));
        assertEquals("running, healthy", row(r, "app", "sancho_backend_d2").detail());
        assertEquals("running (no healthcheck)", row(r, "app", "sancho_frontend_d2").detail());
        assertTrue(log.all().contains("All " + r.checks().size() + " checks passed."));
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("  ✔  infra   sancho_db_v2")), log.all());
        assertFalse(log.all().contains(SECRET));
        // verify changes nothing (it only asks, from inside a container, what the service names resolve to)
        assertTrue(e.calls.stream().allMatch(c -> c.startsWith("exec sancho_traefik_persistent getent ahostsv4 ")),
                e.calls::toString);
        assertEquals("resolves to sancho_backend_d2 (172.18.0.4), deploy d2 (from inside sancho_traefik_persistent)",
                row(r, "dns", "backend on sancho_default").detail());
        assertEquals("resolves to sancho_db_v2 (172.18.0.2), its infrastructure container (from inside"
                + " sancho_traefik_persistent)", row(r, "dns", "db on sancho_default").detail());
    }

    @Test
    void verifyFailsWhenTheNameAnswersWithAnotherDeployThanTheCurrentOne() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        // an interrupted cutover: d2 serves, but the old d1 backend runs again under the name
        SeedStack.set(e, "sancho_backend_d1", "running", null, null);
        Verifier.Report r = verify(e, VerifyOptions.defaults());
        assertFails(r, "dns", "backend on " + SeedStack.NETWORK, "also resolves to sancho_backend_d1 (172.18.0.");
        assertFails(r, "stray", "sancho_backend_d1", "two versions answer behind one name");

        // the other way round: the current deploy answers to no name (it never joined DNS, or lost its alias)
        FakeDockerEngine lost = SeedStack.healthy(dir);
        SeedStack.aliases(lost, "sancho_backend_d2", java.util.Map.of(SeedStack.NETWORK, List.of()));
        Verifier.Report r2 = verify(lost, VerifyOptions.defaults());
        Verifier.Check c = row(r2, "dns", "backend on " + SeedStack.NETWORK);
        assertFalse(c.ok());
        assertTrue(c.detail().startsWith("does not resolve; not to sancho_backend_d2 (172.18.0.4) of deploy d2 (from"
                + " inside sancho_traefik_persistent); to give it the name: docker network disconnect sancho_default"
                + " sancho_backend_d2 && docker network connect --alias backend sancho_default sancho_backend_d2"),
                c.detail());
    }

    @Test
    void aStrayContainerOutOfDnsIsNamedAsTheLeftoverOfAnInterruptedCutover() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        SeedStack.set(e, "sancho_backend_d1", "running", null, null);
        SeedStack.aliases(e, "sancho_backend_d1", java.util.Map.of(SeedStack.NETWORK, List.of()));
        Verifier.Report r = verify(e, VerifyOptions.defaults());
        assertTrue(row(r, "dns", "backend on " + SeedStack.NETWORK).ok(), "what a client sees is right");
        assertFails(r, "stray", "sancho_backend_d1", "it answers to no service name, left by an interrupted deploy");
    }

    @Test
    void aDatabaseRecreatedByHandOffTheNetworkFailsNamingTheNetworkAndTheFix() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        // the runbook's emergency `docker run --name sancho_db_v2 ...` without --network: the default bridge
        SeedStack.aliases(e, DB, java.util.Map.of("bridge", List.of()));
        Verifier.Report r = verify(e, VerifyOptions.defaults());
        assertTrue(row(r, "infra", DB).ok(), "it runs");
        assertFails(r, "network", DB, "not attached to network sancho_default, so the other services cannot reach it"
                + " as db (recreated by hand without --network?): docker network connect --alias db sancho_default "
                + DB);
    }

    @Test
    void aSecondServerOnTheDatabaseVolumeFailsVerify() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        // docker start sancho_db_v2_old: a kept old server on the same volume, answering db too
        ContainerInfo old = e.add(DB + "_old", SeedStack.DB_IMAGE, "running", java.util.Map.of());
        e.containers.put(old.id(), new ContainerInfo(old.id(), old.name(), old.image(), old.imageId(), "running",
                null, null, java.util.Map.of(), old.created(), List.of(new ContainerInfo.MountInfo("volume", VOLUME,
                        PGDATA, false)), java.util.Map.of(SeedStack.NETWORK, List.of("db"))));
        Verifier.Report r = verify(e, VerifyOptions.defaults());
        assertFails(r, "server", VOLUME, "also mounted by the running container sancho_db_v2_old beside sancho_db_v2:"
                + " two servers on one data volume corrupt it. Stop it: docker stop sancho_db_v2_old");
        assertFails(r, "dns", "db on " + SeedStack.NETWORK, "also resolves to sancho_db_v2_old (172.18.0.");
    }

    @Test
    void aOneShotJobPassesWhenItCompletedAndFailsOtherwise() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        java.util.Map<String, String> labels = SeedStack.app("migrate", "d2", "2026-01-02T10:00:00Z");
        labels.put(dev.sancho.maven.plan.Labels.JOB, "true");
        SeedStack.put(e, "sancho_migrate_d2", "exited", null, labels, List.of());
        Stack stack = SeedStack.in(dir).withJob("migrate", "backend").stack("d3");

        Verifier.Report done = Verifier.verify(e, stack, VerifyOptions.defaults(), Log.NONE);
        assertTrue(done.ok(), String.join("\n", done.table()));
        assertEquals("completed (exit code 0)", row(done, "job", "sancho_migrate_d2").detail());

        SeedStack.set(e, "sancho_migrate_d2", "exited", null, null); // exit code 137
        Verifier.Report failed = Verifier.verify(e, stack, VerifyOptions.defaults(), Log.NONE);
        assertEquals("exited with code 137, expected to have completed with exit code 0 — docker logs"
                + " sancho_migrate_d2", row(failed, "job", "sancho_migrate_d2").detail());
        assertFalse(failed.ok());
    }

    @Test
    void aStoppedDatabaseFailsWithItsStateAndHowToStartIt() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        SeedStack.set(e, DB, "exited", null, null);
        assertFails(verify(e, VerifyOptions.defaults()), "infra", DB,
                "not running: exited (exit code 137) — docker logs sancho_db_v2, then docker start sancho_db_v2");
    }

    @Test
    void aMissingDatabasePointsToRecover() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.containers.remove(e.findContainer(DB).orElseThrow().id());
        Verifier.Report r = verify(e, VerifyOptions.defaults());
        assertFails(r, "infra", DB, "missing: no container has exactly this name; mvn sancho:recover recreates it");
        assertTrue(row(r, "volume", VOLUME).ok(), "the volume is still reported on its own");
    }

    @Test
    void unhealthyStartingRestartingPausedAndCreatedEachSayWhat() throws Exception {
        String[][] cases = {
            {"running", "unhealthy", "running but unhealthy"},
            {"running", "starting", "healthcheck has not passed yet"},
            {"restarting", null, "restarting (crash loop?)"},
            {"paused", null, "paused — docker unpause sancho_db_v2"},
            {"created", null, "created but never started — docker start sancho_db_v2"},
        };
        for (String[] c : cases) {
            FakeDockerEngine e = SeedStack.healthy(dir);
            SeedStack.set(e, DB, c[0], c[1], null);
            assertFails(verify(e, VerifyOptions.defaults()), "infra", DB, c[2]);
        }
    }

    @Test
    void aMissingExternalVolumeFails() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.volumes.clear();
        assertFails(verify(e, VerifyOptions.defaults()), "volume", VOLUME,
                "does not exist — an external volume is never created by a deploy");
    }

    @Test
    void aDatabaseWithoutTheVolumeMountedFailsAndSaysWhereTheDataIs() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        SeedStack.set(e, DB, "running", "healthy", List.of(new ContainerInfo.MountInfo("volume",
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", PGDATA, false)));
        assertFails(verify(e, VerifyOptions.defaults()), "mount", DB + ":" + PGDATA,
                "has an anonymous volume 0123456789ab there, not volume sancho_postgres_data — the data is NOT in"
                        + " sancho_postgres_data");
    }

    @Test
    void nothingMountedAtTheDataPathFails() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        SeedStack.set(e, DB, "running", "healthy", List.of());
        assertFails(verify(e, VerifyOptions.defaults()), "mount", DB + ":" + PGDATA,
                "nothing is mounted at /var/lib/postgresql/data (expected volume sancho_postgres_data)");
    }

    @Test
    void aMissingBindDirectoryFails() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        Files.delete(dir.resolve("letsencrypt"));
        assertFails(verify(e, VerifyOptions.defaults()), "bind", "./letsencrypt", "does not exist on this host");
    }

    @Test
    void bindSourcesAreNotCheckedOnARemoteEngine() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        Files.delete(dir.resolve("letsencrypt"));
        Verifier.Report r = verify(e, new VerifyOptions(null, false, List.of()));
        assertTrue(r.ok(), String.join("\n", r.table()));
        assertTrue(row(r, "bind", "./letsencrypt").detail().startsWith("not checked here"));
    }

    @Test
    void acmeJsonMustBeMode600() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        Path acme = Files.writeString(dir.resolve("letsencrypt/acme.json"), "{}");
        Files.setPosixFilePermissions(acme, PosixFilePermissions.fromString("rw-r--r--"));
        assertFails(verify(e, VerifyOptions.defaults()), "file", "./letsencrypt/acme.json",
                "mode 644, must be 600 (Traefik refuses it otherwise): chmod 600 " + acme);

        Files.setPosixFilePermissions(acme, PosixFilePermissions.fromString("rw-------"));
        Verifier.Report r = verify(e, VerifyOptions.defaults());
        assertTrue(r.ok());
        assertEquals("mode 600", row(r, "file", "./letsencrypt/acme.json").detail());
    }

    @Test
    void noRunningDeployFailsAndNamesTheKeptOnes() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        SeedStack.set(e, "sancho_backend_d2", "exited", null, null);
        SeedStack.set(e, "sancho_frontend_d2", "exited", null, null);
        assertFails(verify(e, VerifyOptions.defaults()), "deploy", "sancho",
                "no deploy is running (no running application container with label sancho.project=sancho);"
                        + " stopped deploys: d2, d1 — mvn sancho:rollback starts the newest");
    }

    @Test
    void anUnhealthyAppContainerOfTheCurrentDeployFails() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        SeedStack.set(e, "sancho_backend_d2", "running", "unhealthy", null);
        assertFails(verify(e, VerifyOptions.defaults()), "app", "sancho_backend_d2", "running but unhealthy");
    }

    @Test
    void aServiceMissingFromTheCurrentDeployFails() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.containers.remove(e.findContainer("sancho_frontend_d2").orElseThrow().id());
        assertFails(verify(e, VerifyOptions.defaults()), "app", "service frontend",
                "deploy d2 has no container for this service");
    }

    @Test
    void theExpectedDeployMustBeTheRunningOne() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        assertFails(verify(e, new VerifyOptions("d1", true, List.of())), "deploy", "d1",
                "is stopped, not running; deploy d2 is current");
        assertFails(verify(e, new VerifyOptions("nope", true, List.of())), "deploy", "nope",
                "no application container of project sancho carries this deploy id (known: d2, d1)");
        assertTrue(verify(e, new VerifyOptions("d2", true, List.of())).ok());
    }

    @Test
    void execProbesPassOnExitZeroAndReportTheOutputOtherwise() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.execs.put(DB + " pg_isready -U maestro", Exec.exits(0, "/var/run/postgresql:5432 - accepting connections\n"));
        e.execs.put(DB + " pg_isready", Exec.exits(2, "/var/run/postgresql:5432 - no response\n"));
        VerifyOptions.ExecProbe good = new VerifyOptions.ExecProbe(null, "db", List.of("pg_isready", "-U", "maestro"),
                Duration.ofSeconds(5));
        VerifyOptions.ExecProbe bad = new VerifyOptions.ExecProbe("db answers", "db", List.of("pg_isready"),
                Duration.ofSeconds(5));
        VerifyOptions.ExecProbe app = new VerifyOptions.ExecProbe("backend", "backend", List.of("maestro"),
                Duration.ofSeconds(5));
        Verifier.Report r = verify(e, new VerifyOptions(null, true, List.of(good, bad, app)));
        assertEquals("exit 0: /var/run/postgresql:5432 - accepting connections",
                row(r, "probe", "db: pg_isready -U maestro").detail());
        assertTrue(e.calls.contains("exec sancho_backend_d2 maestro"), "app probes run in the current deploy");
        assertFails(r, "probe", "db answers", "exit 2 in sancho_db_v2: /var/run/postgresql:5432 - no response");
    }

    @Test
    void anExecProbeThatDoesNotFinishWithinItsTimeoutFails() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        e.execs.put(DB + " pg_isready", new Exec(0, "still starting\n", Duration.ofSeconds(10)));
        e.execs.put(DB + " psql -c select", Exec.hangs("waiting for a lock\n"));
        VerifyOptions.ExecProbe slow = new VerifyOptions.ExecProbe(null, "db", List.of("pg_isready"),
                Duration.ofSeconds(5));
        VerifyOptions.ExecProbe patient = new VerifyOptions.ExecProbe("patient", "db", List.of("pg_isready"),
                Duration.ofSeconds(30));
        VerifyOptions.ExecProbe hung = new VerifyOptions.ExecProbe("hung", "db", List.of("psql", "-c", "select"),
                Duration.ofSeconds(5));
        Verifier.Report r = verify(e, new VerifyOptions(null, true, List.of(slow, patient, hung)));

        assertTrue(row(r, "probe", "patient").ok(), "the probe's own timeout is the limit: " + r.table());
        // exiting 0 too late is no pass; what it printed so far says why
        assertFails(r, "probe", "db: pg_isready", "in sancho_db_v2: still starting");
        assertFails(r, "probe", "hung", "in sancho_db_v2: waiting for a lock");
    }

    @Test
    void anExecProbeOnAStoppedContainerIsNotRun() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        SeedStack.set(e, DB, "exited", null, null);
        Verifier.Report r = verify(e, new VerifyOptions(null, true, List.of(new VerifyOptions.ExecProbe(null, "db",
                List.of("pg_isready"), Duration.ofSeconds(5)))));
        assertFails(r, "probe", "db: pg_isready", "not run: sancho_db_v2 is exited");
        assertFalse(e.calls.stream().anyMatch(c -> c.startsWith("exec " + DB)));
    }

    @Test
    void anExecProbeOnAnUnknownServiceIsAConfigError() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        ConfigException ex = assertThrows(ConfigException.class, () -> verify(e, new VerifyOptions(null, true,
                List.of(new VerifyOptions.ExecProbe(null, "dbx", List.of("true"), Duration.ofSeconds(1))))));
        assertEquals("<probes>: exec probe 'dbx: true': no service dbx in docker-compose.yml", ex.getMessage());
    }

    @Test
    void httpProbesCompareTheStatus() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.createContext("/broken", x -> {
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            Duration t = Duration.ofSeconds(3);
            assertEquals("HTTP 200", Verifier.httpProbe(new VerifyOptions.HttpProbe(null, port, "/health", 200, t))
                    .detail());
            Verifier.Check broken = Verifier.httpProbe(new VerifyOptions.HttpProbe(null, port, "/broken", 200, t));
            assertFalse(broken.ok());
            assertEquals("HTTP 503, expected 200", broken.detail());
            assertEquals("GET 127.0.0.1:" + port + "/broken", broken.subject());
        } finally {
            server.stop(0);
        }
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Verifier.Check refused = Verifier.httpProbe(new VerifyOptions.HttpProbe("api", closed, "/", 200,
                Duration.ofSeconds(2)));
        assertFalse(refused.ok());
        assertEquals("connection refused on 127.0.0.1:" + closed + " (is the port published?)", refused.detail());
    }

    @Test
    void modeIsPrintedInOctal() {
        assertEquals("644", Verifier.mode(PosixFilePermissions.fromString("rw-r--r--")));
        assertEquals("600", Verifier.mode(PosixFilePermissions.fromString("rw-------")));
        assertEquals("755", Verifier.mode(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @Test
    void aStackWithoutApplicationsNeedsNoDeploy() throws Exception {
        FakeDockerEngine e = SeedStack.healthy(dir);
        Stack infraOnly = SeedStack.in(dir).withoutServices("backend", "frontend").stack("d3");
        e.containers.values().removeIf(c -> c.name().matches(".*_d[12]"));
        assertTrue(Verifier.verify(e, infraOnly, VerifyOptions.defaults(), Log.NONE).ok());
    }
}
