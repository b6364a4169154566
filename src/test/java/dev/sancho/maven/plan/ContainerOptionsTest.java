package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.docker.ContainerFile;
import dev.sancho.maven.docker.ContainerOptions;
import dev.sancho.maven.docker.ContainerOptions.Device;
import dev.sancho.maven.docker.ContainerOptions.ExposedPort;
import dev.sancho.maven.docker.ContainerOptions.Ulimit;
import dev.sancho.maven.docker.ContainerSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's runtime keys in the engine's terms, with Compose's defaults, and how they enter the digests. */
class ContainerOptionsTest {
    @TempDir
    Path dir;

    private Service service(String keys) {
        ComposeFile c = Fixtures.inline(dir, "services:\n  s:\n    image: app:1\n" + keys.indent(4));
        return c.services().get("s");
    }

    private ContainerOptions options(String keys) {
        return ContainerSpecs.options(service(keys));
    }

    @Test
    void aServiceWithoutRuntimeKeysSetsNothing() {
        assertSame(ContainerOptions.NONE, options("restart: always"));
    }

    @Test
    void everyKeyBecomesTheEngineSetting() {
        ContainerOptions o = options("""
                mem_limit: 512m
                memswap_limit: 1g
                mem_reservation: 256m
                mem_swappiness: 10
                cpus: 0.5
                cpu_shares: 512
                cpu_quota: 50000
                cpu_period: 100000
                cpuset: "0"
                pids_limit: 100
                oom_kill_disable: true
                oom_score_adj: -500
                ulimits: {nproc: 65535, nofile: {soft: 20000, hard: 40000}}
                cap_add: [NET_ADMIN]
                cap_drop: [MKNOD]
                security_opt: [no-new-privileges:true]
                privileged: true
                read_only: true
                tmpfs: [/run, "/tmp:size=64m,mode=1777"]
                shm_size: 64m
                init: true
                sysctls: [net.core.somaxconn=1024]
                devices: ["/dev/null:/dev/nul2:r", /dev/zero]
                dns: 1.1.1.1
                dns_search: [example.com]
                dns_opt: [use-vc]
                domainname: example.com
                expose: ["8081", "9000-9001/udp"]
                pid: host
                ipc: shareable
                group_add: [audio]
                tty: true
                stdin_open: true
                logging: {driver: local, options: {max-size: 10m}}
                cgroup_parent: /sancho
                userns_mode: host
                platform: linux/amd64
                runtime: runc
                storage_opt: {size: 1G}
                """);
        Map<String, String> tmpfs = new LinkedHashMap<>();
        tmpfs.put("/run", "");
        tmpfs.put("/tmp", "size=64m,mode=1777");
        assertEquals(new ContainerOptions(512L << 20, 1L << 30, 256L << 20, 10L, 500_000_000L, 512, 50000L, 100000L,
                "0", 100L, true, -500, List.of(new Ulimit("nproc", 65535, 65535), new Ulimit("nofile", 20000, 40000)),
                List.of("NET_ADMIN"), List.of("MKNOD"), List.of("no-new-privileges:true"), true, true, tmpfs, 64L << 20,
                true, Map.of("net.core.somaxconn", "1024"),
                List.of(new Device("/dev/null", "/dev/nul2", "r"), new Device("/dev/zero", "/dev/zero", "rwm")),
                List.of("1.1.1.1"), List.of("example.com"), List.of("use-vc"), "example.com",
                List.of(new ExposedPort(8081, "tcp"), new ExposedPort(9000, "udp"), new ExposedPort(9001, "udp")),
                "host", "shareable", List.of("audio"), true, true, "local", Map.of("max-size", "10m"), "/sancho", "host",
                "linux/amd64", "runc", Map.of("size", "1G"), null, null, null, null, null, null, null, null, null, null,
                null, null), o);
    }

    @Test
    void cpusAreNanoCpusWithoutRoundingErrors() {
        assertEquals(300_000_000L, options("cpus: 0.3").nanoCpus());
        assertEquals(1_500_000_000L, options("cpus: '1.5'").nanoCpus());
        assertEquals(2_000_000_000L, options("cpus: 2").nanoCpus());
    }

    @Test
    void deployResourcesWinOverTheServiceKeysLikeCompose() {
        ContainerOptions o = options("""
                mem_limit: 1g
                cpus: 2
                pids_limit: 10
                mem_reservation: 1m
                deploy:
                  resources:
                    limits: {cpus: "0.25", memory: 256m, pids: 50}
                    reservations: {memory: 64m}
                """);
        assertEquals(256L << 20, o.memory());
        assertEquals(250_000_000L, o.nanoCpus());
        assertEquals(50L, o.pidsLimit());
        assertEquals(64L << 20, o.memoryReservation());

        ContainerOptions only = options("deploy:\n  resources:\n    limits: {memory: 128m}");
        assertEquals(128L << 20, only.memory());
        assertEquals(null, only.nanoCpus());
        ContainerOptions keys = options("mem_limit: 1g\ndeploy:\n  resources:\n    limits: {cpus: '1'}");
        assertEquals(1L << 30, keys.memory(), "a limit deploy does not set keeps the service key");
    }

    @Test
    void exposedPortsKeepTheirProtocol() {
        assertEquals(List.of(new ExposedPort(53, "udp"), new ExposedPort(80, "tcp")),
                options("expose: [53/udp, 80]").exposedPorts());
    }

    private static ContainerSpec spec(ContainerOptions options) {
        return new ContainerSpec("shop_db", "postgres:15", null, null, Map.of(), Map.of(), List.of(), List.of(),
                Map.of(), "unless-stopped", null, null, null, null, List.of(), null, null, options);
    }

    @Test
    void anEnvironmentSecretIsAFileCopiedInAndOnlyItsDigestEntersTheHash() {
        String yaml = """
                services:
                  s:
                    image: app:1
                    secrets: [token, {source: token, target: /etc/t, mode: 0400, uid: "70"}]
                    configs: [conf]
                secrets:
                  token:
                    environment: API_TOKEN
                configs:
                  conf:
                    content: "a=1"
                """;
        Service svc = Fixtures.inline(dir, yaml, Map.of("API_TOKEN", "tok-2718")).services().get("s");
        ContainerOptions o = ContainerSpecs.options(svc);
        assertEquals(List.of(ContainerFile.text("/run/secrets/token", "tok-2718", 0444, null, null),
                ContainerFile.text("/etc/t", "tok-2718", 0400, 70, null),
                ContainerFile.text("/conf", "a=1", 0444, null, null)), o.files());
        assertEquals(List.of(), ContainerSpecs.mounts(null, svc), "copied, not bind-mounted");
        ContainerSpec spec = spec(o);
        String digests = ContainerSpecs.fieldDigests(spec);
        assertTrue(ContainerSpecs.parseFieldDigests(digests).containsKey("secret_files"), digests);
        assertFalse(spec.toString().contains("tok-2718"), spec::toString);
        assertFalse(spec.toString().contains(ContainerFile.text("/", "tok-2718", 0, null, null).sha256()),
                "no unsalted digest of a secret either");
        ContainerSpec changed = spec(ContainerSpecs.options(
                Fixtures.inline(dir, yaml, Map.of("API_TOKEN", "tok-2719")).services().get("s")));
        assertNotEquals(ContainerSpecs.configHash(spec), ContainerSpecs.configHash(changed), "a new value redeploys");
        assertNotEquals(digests, ContainerSpecs.fieldDigests(changed));
    }

    @Test
    void theUnkeyedDigestOfCopiedFilesIsSpelledAsBeforeKeyedDigestsSoOldLabelsStillCompare() throws Exception {
        ContainerFile f = ContainerFile.text("/run/secrets/token", "tok-2718", 0400, 70, null);
        ContainerSpec spec = spec(ContainerSpecs.options(Fixtures.inline(dir, """
                services:
                  s:
                    image: app:1
                    secrets: [{source: token, mode: 0400, uid: "70"}]
                secrets:
                  token:
                    environment: API_TOKEN
                """, Map.of("API_TOKEN", "tok-2718")).services().get("s")));
        // the text earlier versions digested: ContainerFile's toString of then, in a list
        String then = "[/run/secrets/token mode=0400 uid=70 sha256=" + f.sha256() + "]";
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(then.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 4);
        assertEquals(expected, ContainerSpecs.parseFieldDigests(ContainerSpecs.fieldDigests(spec)).get("secret_files"));
    }

    @Test
    void anUnsetOptionLeavesBothDigestsAsTheyWere() {
        ContainerSpec plain = new ContainerSpec("shop_db", "postgres:15", null, null, Map.of(), Map.of(), List.of(),
                List.of(), Map.of(), "unless-stopped", null, null, null, null, List.of(), null, null);
        assertEquals(ContainerSpecs.configHash(plain), ContainerSpecs.configHash(spec(ContainerOptions.NONE)));
        assertEquals(ContainerSpecs.fieldDigests(plain), ContainerSpecs.fieldDigests(spec(ContainerOptions.NONE)));
        assertFalse(ContainerSpecs.fieldDigests(plain).contains("mem_limit"));
    }

    @Test
    void aSetOptionChangesTheHashAndAddsItsOwnFieldDigest() {
        ContainerSpec plain = spec(ContainerOptions.NONE);
        ContainerSpec limited = spec(ContainerSpecs.options(service("mem_limit: 1g")));
        assertNotEquals(ContainerSpecs.configHash(plain), ContainerSpecs.configHash(limited));
        Map<String, String> before = ContainerSpecs.parseFieldDigests(ContainerSpecs.fieldDigests(plain));
        Map<String, String> after = ContainerSpecs.parseFieldDigests(ContainerSpecs.fieldDigests(limited));
        assertTrue(after.containsKey("mem_limit"), after::toString);
        after.remove("mem_limit");
        assertEquals(before, after, "no other field digest moves");
        ContainerSpec more = spec(ContainerSpecs.options(service("mem_limit: 2g")));
        assertNotEquals(ContainerSpecs.fieldDigests(limited), ContainerSpecs.fieldDigests(more));
    }

    @Test
    void writingAnEngineDefaultOfFalseChangesNoDigest() {
        ContainerSpec plain = spec(ContainerOptions.NONE);
        ContainerSpec explicit = spec(ContainerSpecs.options(service(
                "privileged: false\nread_only: false\ntty: false\nstdin_open: false\noom_kill_disable: false")));
        assertEquals(false, explicit.options().privileged(), "still sent to the engine as written");
        assertEquals(ContainerSpecs.configHash(plain), ContainerSpecs.configHash(explicit));
        assertEquals(ContainerSpecs.fieldDigests(plain), ContainerSpecs.fieldDigests(explicit));
        assertNotEquals(ContainerSpecs.configHash(plain),
                ContainerSpecs.configHash(spec(ContainerSpecs.options(service("privileged: true")))));
    }

    @Test
    void theDriftReportNamesTheRuntimeKeyThatChanged() {
        SeedStack seed = SeedStack.in(dir);
        Stack before = seed.stack("d1");
        Stack after = seed.with("db", "mem_limit", "1g").with("db", "cap_add", "[NET_ADMIN]").stack("d2");
        ContainerSpec old = ContainerSpecs.forService(before, before.service("db").orElseThrow());
        ContainerSpec now = ContainerSpecs.forService(after, after.service("db").orElseThrow());
        Map<String, String> was = ContainerSpecs.parseFieldDigests(old.labels().get(Labels.CONFIG_FIELDS));
        Map<String, String> is = ContainerSpecs.parseFieldDigests(now.labels().get(Labels.CONFIG_FIELDS));
        assertEquals(1L << 30, now.options().memory());
        assertTrue(is.containsKey("mem_limit") && is.containsKey("cap_add") && !was.containsKey("mem_limit"));
        assertNotEquals(old.labels().get(Labels.CONFIG_HASH), now.labels().get(Labels.CONFIG_HASH));
    }

    @Test
    void sanchoConfigPrintsTheRuntimeKeysSoThatComposeReadsThemBackTheSame(@TempDir Path again) {
        Stack stack = SeedStack.in(dir)
                .with("db", "mem_limit", "1g").with("db", "cpus", "0.5").with("db", "ulimits", "{nofile: {soft: 1, hard: 2}, nproc: 3}")
                .with("db", "tmpfs", "[/run]").with("db", "devices", "[/dev/fuse]").with("db", "sysctls", "[a.b=1]")
                .with("db", "logging", "{driver: local, options: {max-size: 1m}}").with("db", "cap_add", "[NET_ADMIN]")
                .with("db", "read_only", "true").with("db", "expose", "['5433']").with("db", "shm_size", "64m")
                .with("db", "deploy", "{resources: {limits: {memory: 2g, pids: 9}, reservations: {memory: 1m}}}")
                .stack("d1");
        String yaml = StackYaml.render(stack, List.of());
        assertTrue(yaml.contains("    mem_limit: 1073741824\n"), yaml);
        Service reread = Fixtures.inline(again, yaml).services().get("db");
        assertEquals(stack.service("db").orElseThrow().service().options(), reread.options());
    }
}
