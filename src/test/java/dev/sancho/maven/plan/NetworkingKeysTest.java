package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerOptions;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.NetworkIpam;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * network_mode, links, external_links, volumes_from, fixed addresses with ipam, blkio_config, gpus and
 * deploy.resources.reservations.devices, healthcheck.start_interval: from the file to the container spec.
 */
class NetworkingKeysTest {
    private static final String ID = Fixtures.DEPLOY_ID;

    @TempDir
    Path dir;

    private Stack stack(String yaml, String... infrastructure) {
        return StackResolver.resolve(Fixtures.inline(dir, yaml),
                new StackConfig("shop", "shop", ID, Set.of(infrastructure), null));
    }

    private ContainerSpec spec(Stack s, String service) {
        return ContainerSpecs.forService(s, s.service(service).orElseThrow());
    }

    private static final String STACK = """
            services:
              db:
                image: postgres:15
                networks:
                  back:
                    ipv4_address: 172.28.5.10
                    priority: 10
                  front:
                    priority: 100
                    ipv6_address: 2001:db8::10
              sidecar:
                image: app:1
                network_mode: service:db
                pid: service:db
                volumes_from: [db, "container:legacy_data:ro"]
              api:
                image: app:1
                links: [db, "db:database"]
                external_links: [legacy_cache, "legacy_queue:queue"]
                networks: [back]
              hostnet:
                image: app:1
                network_mode: host
            networks:
              back:
                ipam:
                  driver: default
                  config:
                    - subnet: 172.28.5.0/24
                      ip_range: 172.28.5.0/25
                      gateway: 172.28.5.1
                      aux_addresses: {router: 172.28.5.2}
              front:
            """;

    @Test
    void serviceReferencesBecomeTheOtherServicesContainerAndImplyTheStartOrder() {
        Stack s = stack(STACK, "db");
        ContainerOptions sidecar = spec(s, "sidecar").options();
        assertEquals("container:shop_db", sidecar.networkMode());
        assertEquals("container:shop_db", sidecar.pidMode());
        assertEquals(List.of("shop_db:rw", "legacy_data:ro"), sidecar.volumesFrom());
        assertEquals(Map.of(), spec(s, "sidecar").networks(), "a shared network namespace has no networks of its own");
        assertEquals(List.of("shop_db:db", "shop_db:database", "legacy_cache:legacy_cache", "legacy_queue:queue"),
                spec(s, "api").options().links());
        assertEquals("service_started", s.service("api").orElseThrow().service().dependsOn().get("db"));
        assertEquals("service_started", s.service("sidecar").orElseThrow().service().dependsOn().get("db"));
        assertEquals("host", spec(s, "hostnet").options().networkMode());
        assertEquals(Map.of(), spec(s, "hostnet").networks());
    }

    @Test
    void theNetworkWithTheHighestPriorityComesFirstAndFixedAddressesAreKeptPerNetwork() {
        Stack s = stack(STACK, "db");
        ContainerSpec db = spec(s, "db");
        assertEquals(List.of("shop_front", "shop_back"), List.copyOf(db.networks().keySet()));
        assertEquals(Map.of("shop_back", new ContainerOptions.Address("172.28.5.10", null),
                "shop_front", new ContainerOptions.Address(null, "2001:db8::10")), db.options().addresses());
    }

    @Test
    void sanchoCreatesANetworkWithItsIpam() {
        Stack s = stack(STACK, "db");
        Plan plan = Planner.plan(s, new ObservedState(Map.of(), List.of(), Set.of(), Set.of(),
                Set.of("postgres:15", "app:1")), DeployOptions.defaults(Instant.parse("2026-02-01T10:00:00Z")));
        Action.CreateNetwork back = plan.actions(Action.CreateNetwork.class).stream()
                .filter(n -> n.name().equals("shop_back")).findFirst().orElseThrow();
        assertEquals(new NetworkIpam("default", List.of(new NetworkIpam.Pool("172.28.5.0/24", "172.28.5.0/25",
                "172.28.5.1", Map.of("router", "172.28.5.2"))), Map.of()), back.ipam());
        assertEquals("network  create shop_back subnet 172.28.5.0/24", back.describe());
        assertNull(plan.actions(Action.CreateNetwork.class).stream().filter(n -> n.name().equals("shop_front"))
                .findFirst().orElseThrow().ipam());
    }

    @Test
    void infrastructureCannotDependOnAnApplicationContainer() {
        String m = assertThrows(ComposeException.class, () -> stack("""
                services:
                  app:
                    image: app:1
                  db:
                    image: postgres:15
                    network_mode: service:app
                """, "db")).getMessage();
        assertEquals("docker-compose.yml:6: services.db.network_mode: refers to the application service app, whose"
                + " container is replaced every deploy, but db is infrastructure (never recreated): list app under"
                + " <infrastructure> too, or remove db from it", m);
    }

    @Test
    void badValuesAreOneLineAtTheirLine() {
        assertEquals("docker-compose.yml:4: services.a.network_mode: network_mode and networks cannot be used"
                + " together (Compose refuses it too): keep one", error("network_mode: host\n    networks: [x]"));
        assertEquals("docker-compose.yml:4: services.a.network_mode: \"bridged\": use host, none, bridge,"
                + " service:NAME or container:NAME", error("network_mode: bridged"));
        assertEquals("docker-compose.yml:5: services.a.links[0]: service \"nope\" is not defined (services: a)",
                error("links:\n      - nope"));
        assertEquals("docker-compose.yml:5: services.a.volumes_from[0]: expected SERVICE[:ro|rw], service:NAME[:ro|rw]"
                + " or container:NAME[:ro|rw], found \"container:x:rx\"", error("volumes_from:\n      - container:x:rx"));
        assertEquals("docker-compose.yml:6: services.a.networks.default.ipv4_address: \"10.0.0.300\" is not an IPv4"
                + " address (e.g. 172.28.0.10, without /prefix)",
                error("networks:\n      default:\n        ipv4_address: 10.0.0.300"));
    }

    private String error(String keys) {
        return assertThrows(ComposeException.class, () -> Fixtures.inline(dir,
                "services:\n  a:\n    image: x\n    " + keys + "\n")).getMessage();
    }

    @Test
    void blkioAndDeviceRequestsAsComposeV2SendsThem() {
        Stack s = stack("""
                services:
                  gpu:
                    image: app:1
                    gpus: all
                    blkio_config:
                      weight: 300
                      weight_device: [{path: /dev/sda, weight: 400}]
                      device_read_bps: [{path: /dev/sda, rate: 1mb}]
                      device_write_bps: [{path: /dev/sda, rate: 512k}]
                      device_read_iops: [{path: /dev/sda, rate: 100}]
                      device_write_iops: [{path: /dev/sda, rate: 30}]
                    deploy:
                      resources:
                        reservations:
                          devices:
                            - driver: nvidia
                              count: 2
                              capabilities: [gpu, utility]
                            - device_ids: ["0", "3"]
                              capabilities: [compute]
                """);
        ContainerOptions o = spec(s, "gpu").options();
        assertEquals(new ContainerOptions.Blkio(300, List.of(new ContainerOptions.Rate("/dev/sda", 400)),
                List.of(new ContainerOptions.Rate("/dev/sda", 1L << 20)),
                List.of(new ContainerOptions.Rate("/dev/sda", 512L << 10)),
                List.of(new ContainerOptions.Rate("/dev/sda", 100)), List.of(new ContainerOptions.Rate("/dev/sda", 30))),
                o.blkio());
        assertEquals(List.of(
                new ContainerOptions.DeviceRequest(null, -1, List.of(), List.of("gpu"), Map.of()),
                new ContainerOptions.DeviceRequest("nvidia", 2, List.of(), List.of("gpu", "utility"), Map.of()),
                new ContainerOptions.DeviceRequest(null, null, List.of("0", "3"), List.of("compute"), Map.of())),
                o.deviceRequests());
    }

    @Test
    void utsCgroupDeviceCgroupRulesAndMacAddress() {
        Stack s = stack("""
                services:
                  a:
                    image: app:1
                    uts: host
                    cgroup: private
                    device_cgroup_rules: ["c 1:3 mr", "a 7:* rmw"]
                    mac_address: 02:42:ac:11:00:02
                """);
        ContainerOptions o = spec(s, "a").options();
        assertEquals("host", o.utsMode());
        assertEquals("private", o.cgroupnsMode());
        assertEquals(List.of("c 1:3 mr", "a 7:* rmw"), o.deviceCgroupRules());
        assertEquals("02:42:ac:11:00:02", o.macAddress());
        assertEquals("docker-compose.yml:4: services.a.cgroup: \"shared\": use host or private", error("cgroup: shared"));
        assertEquals("docker-compose.yml:4: services.a.mac_address: \"02:42\" is not a MAC address (e.g."
                + " 02:42:ac:11:00:02)", error("mac_address: \"02:42\""));
    }

    @Test
    void startIntervalIsKeptAndEveryNewKeyEntersTheDriftDigestOnlyWhenSet() {
        Stack s = stack("""
                services:
                  db:
                    image: postgres:15
                    healthcheck:
                      test: ["CMD", "pg_isready"]
                      start_period: 30s
                      start_interval: 2s
                """, "db");
        assertEquals(Duration.ofSeconds(2), spec(s, "db").options().healthStartInterval());
        Map<String, String> digests = ContainerSpecs.parseFieldDigests(spec(s, "db").labels().get(Labels.CONFIG_FIELDS));
        assertTrue(digests.containsKey("healthcheck.start_interval"), digests::toString);
        assertTrue(!digests.containsKey("network_mode") && !digests.containsKey("blkio_config"), digests::toString);
    }

    @Test
    void aServiceOfAnotherFileIsNamedInItsErrors() throws Exception {
        Path main = Fixtures.write(dir, "docker-compose.yml", "services:\n  a:\n    image: x\n");
        Fixtures.write(dir, "docker-compose.override.yml", "services:\n  a:\n    links: [ghost]\n");
        String m = assertThrows(ComposeException.class, () -> ComposeLoader.load(
                List.of(main, dir.resolve("docker-compose.override.yml")), null, Map.of(), Map.of(),
                ComposeLoader.builtins("1", "p"), Map.of(), Log.NONE)).getMessage();
        assertEquals("docker-compose.override.yml:3: services.a.links[0]: service \"ghost\" is not defined"
                + " (services: a)", m);
    }

}
