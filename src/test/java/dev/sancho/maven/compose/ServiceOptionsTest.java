package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.compose.ServiceOptions.Device;
import dev.sancho.maven.compose.ServiceOptions.Logging;
import dev.sancho.maven.compose.ServiceOptions.Resources;
import dev.sancho.maven.compose.ServiceOptions.Ulimit;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime keys of a service, read with Compose's syntax: every key, each alternative spelling, each check. */
class ServiceOptionsTest {
    @TempDir
    Path dir;

    private ComposeFile load(String service) {
        return Fixtures.inline(dir, "services:\n  s:\n    image: app:1\n" + service.indent(4));
    }

    private ServiceOptions options(String service) {
        ComposeFile c = load(service);
        assertEquals(List.of(), c.warnings());
        return c.services().get("s").options();
    }

    private String error(String service) {
        return assertThrows(ComposeException.class, () -> load(service)).getMessage();
    }

    @Test
    void aServiceWithoutRuntimeKeysHasNone() {
        assertSame(ServiceOptions.NONE, ServiceOptions.NONE);
        assertEquals(ServiceOptions.NONE, options("restart: always"));
    }

    @Test
    void everyRuntimeKeyIsRead() {
        ServiceOptions o = options("""
                mem_limit: 512m
                memswap_limit: 1g
                mem_reservation: 256m
                mem_swappiness: 10
                cpus: 0.5
                cpu_shares: 512
                cpu_quota: 50000
                cpu_period: 100000
                cpuset: 0-1
                pids_limit: 100
                oom_kill_disable: true
                oom_score_adj: -500
                ulimits:
                  nproc: 65535
                  nofile: {soft: 20000, hard: 40000}
                cap_add: [NET_ADMIN, SYS_PTRACE]
                cap_drop: [MKNOD]
                security_opt: [no-new-privileges:true]
                privileged: false
                read_only: true
                tmpfs: /run
                shm_size: 64m
                init: true
                sysctls: {net.core.somaxconn: 1024}
                devices: [/dev/fuse]
                dns: 1.1.1.1
                dns_search: example.com
                dns_opt: [use-vc]
                domainname: example.com
                expose: [8081, "9000-9001/udp"]
                pid: host
                ipc: shareable
                group_add: [audio, 1001]
                tty: true
                stdin_open: true
                logging: {driver: json-file, options: {max-size: 10m, max-file: 3}}
                cgroup_parent: /sancho
                userns_mode: host
                platform: linux/amd64
                runtime: runc
                storage_opt: {size: 1G}
                """);
        assertEquals(512L << 20, o.memLimit());
        assertEquals(1L << 30, o.memswapLimit());
        assertEquals(256L << 20, o.memReservation());
        assertEquals(10, o.memSwappiness());
        assertEquals(new BigDecimal("0.5"), o.cpus());
        assertEquals(512, o.cpuShares());
        assertEquals(50000L, o.cpuQuota());
        assertEquals(100000L, o.cpuPeriod());
        assertEquals("0-1", o.cpuset());
        assertEquals(100L, o.pidsLimit());
        assertEquals(true, o.oomKillDisable());
        assertEquals(-500, o.oomScoreAdj());
        assertEquals(List.of(new Ulimit("nproc", 65535, 65535), new Ulimit("nofile", 20000, 40000)), o.ulimits());
        assertEquals(List.of("NET_ADMIN", "SYS_PTRACE"), o.capAdd());
        assertEquals(List.of("MKNOD"), o.capDrop());
        assertEquals(List.of("no-new-privileges:true"), o.securityOpt());
        assertEquals(false, o.privileged());
        assertEquals(true, o.readOnly());
        assertEquals(List.of("/run"), o.tmpfs());
        assertEquals(64L << 20, o.shmSize());
        assertEquals(true, o.init());
        assertEquals(Map.of("net.core.somaxconn", "1024"), o.sysctls());
        assertEquals(List.of(new Device("/dev/fuse", "/dev/fuse", "rwm")), o.devices());
        assertEquals(List.of("1.1.1.1"), o.dns());
        assertEquals(List.of("example.com"), o.dnsSearch());
        assertEquals(List.of("use-vc"), o.dnsOpt());
        assertEquals("example.com", o.domainname());
        assertEquals(List.of("8081", "9000-9001/udp"), o.expose());
        assertEquals("host", o.pid());
        assertEquals("shareable", o.ipc());
        assertEquals(List.of("audio", "1001"), o.groupAdd());
        assertEquals(true, o.tty());
        assertEquals(true, o.stdinOpen());
        assertEquals(new Logging("json-file", Map.of("max-size", "10m", "max-file", "3")), o.logging());
        assertEquals("/sancho", o.cgroupParent());
        assertEquals("host", o.usernsMode());
        assertEquals("linux/amd64", o.platform());
        assertEquals("runc", o.runtime());
        assertEquals(Map.of("size", "1G"), o.storageOpt());
        assertEquals(Resources.NONE, o.deploy());
    }

    @Test
    void byteSizesAreComposesUnits() {
        assertEquals(536870912L, ByteSize.parse("512m"));
        assertEquals(1073741824L, ByteSize.parse("1g"));
        assertEquals(1048576L, ByteSize.parse("1024k"));
        assertEquals(1048576L, ByteSize.parse("1024K"));
        assertEquals(1610612736L, ByteSize.parse("1.5GB"));
        assertEquals(67108864L, ByteSize.parse("64MiB"));
        assertEquals(300L, ByteSize.parse("300"));
        assertEquals(300L, ByteSize.parse("300b"));
        assertEquals(1L << 40, ByteSize.parse("1t"));
        assertEquals(2147483648L, options("mem_limit: 2147483648").memLimit(), "a YAML number is bytes");
        assertEquals(-1L, options("memswap_limit: -1").memswapLimit(), "-1: unlimited swap");
        assertEquals("docker-compose.yml:4: services.s.mem_limit: \"lots\" is not a size: write bytes, or a number"
                + " with b, k, m or g (e.g. 512m, 1g, 1024k)", error("mem_limit: lots"));
        assertEquals("docker-compose.yml:4: services.s.shm_size: \"-1\" is not a size: write bytes, or a number"
                + " with b, k, m or g (e.g. 512m, 1g, 1024k)", error("shm_size: -1"));
    }

    @Test
    void ulimitsTakeOneNumberOrSoftAndHard() {
        assertEquals(List.of(new Ulimit("nofile", 1024, 1024)), options("ulimits: {nofile: 1024}").ulimits());
        assertEquals(List.of(new Ulimit("nofile", 1024, 2048)),
                options("ulimits:\n  nofile:\n    soft: 1024\n    hard: 2048").ulimits());
        assertEquals("docker-compose.yml:5: services.s.ulimits.nofile: needs both soft: and hard: (or a single number"
                + " for both)", error("ulimits:\n  nofile: {soft: 1}"));
        assertEquals("docker-compose.yml:5: services.s.ulimits.nofile: soft 10 is above hard 5",
                error("ulimits:\n  nofile: {soft: 10, hard: 5}"));
    }

    @Test
    void tmpfsIsOnePathOrAList() {
        assertEquals(List.of("/run"), options("tmpfs: /run").tmpfs());
        assertEquals(List.of("/run", "/tmp:size=64m,mode=1777"),
                options("tmpfs:\n  - /run\n  - /tmp:size=64m,mode=1777").tmpfs());
        assertEquals("docker-compose.yml:5: services.s.tmpfs[0]: a tmpfs mount needs an absolute path in the"
                + " container (e.g. /run or /tmp:size=64m)", error("tmpfs:\n  - run"));
    }

    @Test
    void sysctlsAreAMappingOrAList() {
        assertEquals(Map.of("net.core.somaxconn", "1024", "net.ipv4.tcp_syncookies", "0"),
                options("sysctls:\n  net.core.somaxconn: 1024\n  net.ipv4.tcp_syncookies: 0").sysctls());
        assertEquals(Map.of("net.core.somaxconn", "1024", "net.ipv4.tcp_syncookies", "0"),
                options("sysctls:\n  - net.core.somaxconn=1024\n  - net.ipv4.tcp_syncookies=0").sysctls());
    }

    @Test
    void devicesGetComposesDefaults() {
        assertEquals(List.of(new Device("/dev/fuse", "/dev/fuse", "rwm"), new Device("/dev/sda", "/dev/xvda", "rwm"),
                new Device("/dev/null", "/dev/nul2", "r"), new Device("/dev/zero", "/dev/zero", "rw"),
                new Device("/dev/tty0", "/dev/tty9", "rwm")),
                options("""
                        devices:
                          - /dev/fuse
                          - /dev/sda:/dev/xvda
                          - /dev/null:/dev/nul2:r
                          - /dev/zero:rw
                          - {source: /dev/tty0, target: /dev/tty9}
                        """).devices());
        assertEquals("docker-compose.yml:5: services.s.devices[0]: unknown device permissions \"x\": use r, w, m",
                error("devices:\n  - /dev/a:/dev/b:x"));
    }

    @Test
    void dnsKeysAreOneValueOrAList() {
        ServiceOptions o = options("dns: [1.1.1.1, 8.8.8.8]\ndns_search: [a.example, b.example]\ndns_opt: use-vc");
        assertEquals(List.of("1.1.1.1", "8.8.8.8"), o.dns());
        assertEquals(List.of("a.example", "b.example"), o.dnsSearch());
        assertEquals(List.of("use-vc"), o.dnsOpt());
    }

    @Test
    void deployResourcesAreRead() {
        ServiceOptions o = options("""
                deploy:
                  resources:
                    limits: {cpus: "1.5", memory: 1g, pids: 200}
                    reservations: {memory: 128m}
                """);
        assertEquals(new Resources(new BigDecimal("1.5"), 1L << 30, 200L, 128L << 20), o.deploy());
    }

    @Test
    void deployKeysThatDoNotApplyToOneContainerAreWarned() {
        ComposeFile c = load("""
                deploy:
                  mode: replicated
                  resources:
                    reservations: {cpus: "0.5", memory: 64m}
                """);
        assertEquals(List.of("docker-compose.yml:5: services.s.deploy.mode: not honoured by sancho; ignored",
                "docker-compose.yml:7: services.s.deploy.resources.reservations.cpus: not honoured by sancho; ignored"),
                c.warnings());
        assertEquals(64L << 20, c.services().get("s").options().deploy().reservationMemory());
    }

    private static final String SWARM_DEPLOY = """
            deploy:
              mode: replicated
              replicas: 2
              endpoint_mode: dnsrr
              placement:
                constraints: [node.role==manager]
                preferences: [{spread: node.labels.zone}]
              update_config: {parallelism: 1, delay: 2s, order: start-first, failure_action: rollback, monitor: 5s, max_failure_ratio: 0.1}
              rollback_config: {parallelism: 2, order: stop-first}
              restart_policy: {condition: on-failure}
              labels: {team: shop}
            """;

    private ComposeFile loadFor(boolean swarm, String service) {
        Path file = Fixtures.write(dir, "docker-compose.yml", "services:\n  s:\n    image: app:1\n" + service.indent(4));
        return ComposeLoader.load(List.of(file), null, Map.of(), Map.of(), ComposeLoader.builtins("d1", "sancho"),
                Map.of(), swarm, dev.sancho.maven.common.Log.NONE);
    }

    @Test
    void onASwarmTheDeployKeysItMapsAreNotWarnedTheOthersAre() {
        ComposeFile c = loadFor(true, SWARM_DEPLOY);
        assertEquals(List.of(
                "docker-compose.yml:10: services.s.deploy.placement.preferences: not honoured by sancho; ignored"),
                c.warnings());
        assertEquals(new SwarmDeploy.Restart("on-failure", null, null, null), c.swarmDeploy("s").restart());
        assertEquals(Map.of("team", "shop"), c.swarmDeploy("s").labels());
        assertEquals(2, c.swarmDeploy("s").replicas());
        assertEquals(List.of("node.role==manager"), c.swarmDeploy("s").constraints());
        assertEquals("dnsrr", c.swarmDeploy("s").endpointMode());
        assertEquals("start-first", c.swarmDeploy("s").update().order());
        assertEquals("stop-first", c.swarmDeploy("s").rollback().order());
    }

    @Test
    void onOneEngineTheSwarmOnlyDeployKeysAreWarned() {
        ComposeFile c = loadFor(false, SWARM_DEPLOY);
        assertEquals(List.of("docker-compose.yml:5: services.s.deploy.mode: not honoured by sancho; ignored",
                "docker-compose.yml:7: services.s.deploy.endpoint_mode: not honoured by sancho; ignored",
                "docker-compose.yml:8: services.s.deploy.placement: not honoured by sancho; ignored",
                "docker-compose.yml:11: services.s.deploy.update_config: not honoured by sancho; ignored",
                "docker-compose.yml:12: services.s.deploy.rollback_config: not honoured by sancho; ignored",
                "docker-compose.yml:14: services.s.deploy.labels: not honoured by sancho; ignored"), c.warnings());
        // restart_policy is the container's restart policy on one engine, as Compose v2 applies it
        assertEquals("on-failure", c.services().get("s").restart());
    }

    @Test
    void restartPolicyValuesAreChecked() {
        ComposeException e = assertThrows(ComposeException.class, () -> loadFor(true,
                "deploy:\n  restart_policy: {condition: always}\n"));
        assertEquals("docker-compose.yml:5: services.s.deploy.restart_policy.condition: expected none, on-failure or"
                + " any, found \"always\"", e.getMessage());
        ComposeFile c = loadFor(true, "deploy:\n  restart_policy: {condition: any, delay: 5s, max_attempts: 3,"
                + " window: 2m, wait: 1s}\n");
        assertEquals(new SwarmDeploy.Restart("any", java.time.Duration.ofSeconds(5), 3, java.time.Duration.ofMinutes(2)),
                c.swarmDeploy("s").restart());
        assertEquals(List.of("docker-compose.yml:5: services.s.deploy.restart_policy.wait: unknown key; ignored"
                + " (check the spelling)"), c.warnings());
    }

    @Test
    void onASwarmAMisspelledUpdateConfigKeyIsWarned() {
        ComposeFile c = loadFor(true, "deploy:\n  update_config: {parallelism: 1, oder: start-first}\n");
        assertEquals(List.of("docker-compose.yml:5: services.s.deploy.update_config.oder: unknown key; ignored"
                + " (check the spelling)"), c.warnings());
    }

    @Test
    void valuesAreChecked() {
        assertEquals("docker-compose.yml:4: services.s.mem_swappiness: 101 is out of range: use 0 to 100",
                error("mem_swappiness: 101"));
        assertEquals("docker-compose.yml:4: services.s.oom_score_adj: -1001 is out of range: use -1000 to 1000",
                error("oom_score_adj: -1001"));
        assertEquals("docker-compose.yml:4: services.s.cpus: expected a number of CPUs (e.g. 0.5 or 2), found"
                + " \"half\"", error("cpus: half"));
        assertEquals("docker-compose.yml:4: services.s.cpu_quota: expected a whole number, found \"5.5\"",
                error("cpu_quota: 5.5"));
        assertEquals("docker-compose.yml:4: services.s.privileged: expected true or false, found \"maybe\"",
                error("privileged: maybe"));
        assertEquals("docker-compose.yml:6: services.s.cap_add[1]: unknown capability \"NET_ADMINN\" (e.g. NET_ADMIN,"
                + " SYS_PTRACE, ALL)", error("cap_add:\n  - CAP_SYS_ADMIN\n  - NET_ADMINN"));
        assertEquals("docker-compose.yml:5: services.s.expose[0]: \"80/http\" is not a port or range with an optional"
                + " protocol (8080, 8000-8010, 53/udp)", error("expose:\n  - 80/http"));
        assertEquals("docker-compose.yml:5: services.s.expose[0]: \"9-1\" is out of range: ports are 1-65535, ranges"
                + " low-high", error("expose:\n  - 9-1"));
        assertEquals("docker-compose.yml:4: services.s.pid: service \"db\" is not defined (services: s)",
                error("pid: service:db"));
        assertEquals("docker-compose.yml:5: services.s.logging.driver: logging driver \"my-plugin\" is not one sancho"
                + " can set: use awslogs, etwlogs, fluentd, gcplogs, gelf, journald, json-file, local, loki, none,"
                + " splunk, syslog", error("logging:\n  driver: my-plugin"));
    }

    @Test
    void valuesAreInterpolated() {
        ComposeFile c = Fixtures.inline(dir, "services:\n  s:\n    image: app:1\n    mem_limit: ${MEM}\n"
                + "    logging:\n      options:\n        tag: ${TAG}\n", Map.of("MEM", "1g", "TAG", "shop"));
        assertEquals(1L << 30, c.services().get("s").options().memLimit());
        assertEquals(new Logging(null, Map.of("tag", "shop")), c.services().get("s").options().logging());
    }
}
