package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Compose Specification's merge rules, one by one, on the YAML trees of two files: {@code compose.yml} and
 * the {@code override.yml} merged over it. Compared as plain maps and lists ({@code null} for YAML null).
 */
class ComposeMergeTest {

    private final Origins origins = new Origins();
    private final Source src = new Source("compose.yml", Path.of("/project"),
            Map.of("PORT", "8080", "TAG", "2")::get, Map.of(), origins);

    private YamlNode.Mapping read(String yaml, String file) {
        YamlNode.Mapping m = (YamlNode.Mapping) YamlReader.read(yaml, file);
        origins.record(m, file);
        return m;
    }

    private YamlNode.Mapping mergeNodes(String base, String override) {
        return new ComposeMerge(src).files(read(base, "compose.yml"), read(override, "override.yml"));
    }

    private Object merge(String base, String override) {
        return plain(mergeNodes(base, override));
    }

    /** The value at {@code services.app.<key>} after merging two service definitions. */
    private Object app(String key, String base, String override) {
        Object merged = merge("services:\n  app:\n" + indent(base), "services:\n  app:\n" + indent(override));
        return get(get(get(merged, "services"), "app"), key);
    }

    private static String indent(String yaml) {
        StringBuilder b = new StringBuilder();
        yaml.lines().forEach(l -> b.append("    ").append(l).append('\n'));
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Object get(Object map, String key) {
        return ((Map<String, Object>) map).get(key);
    }

    static Object plain(YamlNode node) {
        if (node instanceof YamlNode.Scalar s) {
            return s.value();
        }
        if (node instanceof YamlNode.Sequence s) {
            List<Object> items = new ArrayList<>();
            s.items().forEach(i -> items.add(plain(i)));
            return items;
        }
        if (node instanceof YamlNode.Mapping m) {
            Map<String, Object> map = new LinkedHashMap<>();
            m.entries().forEach(e -> map.put(e.key(), plain(e.value())));
            return map;
        }
        return null;
    }

    // ----------------------------------------------------------------------------------------- mappings

    @Test
    void mappingsMergeKeyByKeyAndTheLaterScalarWins() {
        Object merged = merge("""
                name: shop
                services:
                  app:
                    image: shop/app:1
                    restart: always
                    healthcheck:
                      interval: 10s
                      retries: 3
                """, """
                name: shop-dev
                services:
                  app:
                    image: shop/app:2
                    healthcheck:
                      retries: 5
                  debug:
                    image: busybox
                """);
        assertEquals(Map.of("name", "shop-dev", "services", Map.of(
                "app", Map.of("image", "shop/app:2", "restart", "always",
                        "healthcheck", Map.of("interval", "10s", "retries", "5")),
                "debug", Map.of("image", "busybox"))), merged);
    }

    @Test
    void keysKeepTheirOrderAndNewKeysComeAfter() {
        Object app = get(get(merge("services:\n  app:\n    image: a\n    user: x\n",
                "services:\n  app:\n    hostname: h\n    image: b\n"), "services"), "app");
        assertEquals(List.of("image", "user", "hostname"), List.copyOf(((Map<?, ?>) app).keySet()));
    }

    @Test
    void aLaterNullKeepsTheEarlierValue() {
        assertEquals("shop/app:1", app("image", "image: shop/app:1\n", "image:\n"));
        assertEquals(Map.of("A", "1"), app("environment", "environment:\n  A: \"1\"\n", "environment:\n"));
    }

    @Test
    void extensionFieldsMergeDeeplyToo() {
        Object merged = merge("x-common:\n  a: 1\n  b: 2\nservices: {}\n", "x-common:\n  b: 3\n");
        assertEquals(Map.of("a", "1", "b", "3"), get(merged, "x-common"));
    }

    @Test
    void topLevelVolumesAndNetworksMergeByName() {
        Object merged = merge("""
                services: {}
                volumes:
                  data:
                    driver: local
                networks:
                  front: {}
                """, """
                volumes:
                  data:
                    labels:
                      backup: daily
                  cache: {}
                networks:
                  back: {}
                """);
        assertEquals(Map.of("data", Map.of("driver", "local", "labels", Map.of("backup", "daily")),
                "cache", Map.of()), get(merged, "volumes"));
        assertEquals(List.of("front", "back"), List.copyOf(((Map<?, ?>) get(merged, "networks")).keySet()));
    }

    // ------------------------------------------------------------------------------------- sequences

    @Test
    void aPlainSequenceIsAppended() {
        assertEquals(List.of("no-new-privileges:true", "label:disable"),
                app("security_opt", "security_opt: [\"no-new-privileges:true\"]\n", "security_opt: [\"label:disable\"]\n"));
    }

    @Test
    void portsAreUniqueByHostIpPublishedPortTargetAndProtocol() {
        assertEquals(List.of("127.0.0.1:8080:80", "443:443", "8080:80", "8080:80/udp", "9090:90"), app("ports", """
                ports:
                  - "127.0.0.1:8080:80"
                  - "443:443"
                """, """
                ports:
                  - "443:443"
                  - "8080:80"
                  - "8080:80/udp"
                  - "9090:90"
                """));
    }

    @Test
    void aLongSyntaxPortReplacesTheSameShortOne() {
        Object ports = app("ports", "ports:\n  - \"${PORT}:80\"\n  - \"9000:9000\"\n", """
                ports:
                  - target: 80
                    published: "8080"
                    host_ip: 0.0.0.0
                    mode: host
                """);
        assertEquals(List.of(Map.of("target", "80", "published", "8080", "host_ip", "0.0.0.0", "mode", "host"),
                "9000:9000"), ports);
    }

    @Test
    void volumesAreUniqueByTargetInEitherSyntax() {
        assertEquals(List.of("data-v2:/var/lib/data", Map.of("type", "bind", "source", "./conf", "target", "/etc/app"),
                "/tmp/cache"), app("volumes", """
                volumes:
                  - data:/var/lib/data
                  - ./conf:/etc/app:ro
                """, """
                volumes:
                  - data-v2:/var/lib/data
                  - type: bind
                    source: ./conf
                    target: /etc/app
                  - /tmp/cache
                """));
    }

    @Test
    void secretsAndConfigsAreUniqueByTheirMountPath() {
        assertEquals(List.of(Map.of("source", "db_password", "target", "/run/secrets/db_password", "mode", "0400"),
                "api_key"), app("secrets", "secrets:\n  - db_password\n", """
                secrets:
                  - source: db_password
                    target: /run/secrets/db_password
                    mode: "0400"
                  - api_key
                """));
        assertEquals(List.of(Map.of("source", "nginx", "target", "/etc/nginx/nginx.conf"), "site"),
                app("configs", """
                configs:
                  - source: nginx
                    target: /etc/nginx/nginx.conf
                """, """
                configs:
                  - source: nginx
                    target: /etc/nginx/nginx.conf
                  - site
                """));
    }

    @Test
    void exposeDnsTmpfsCapabilitiesAndDevicesHaveNoDuplicates() {
        assertEquals(List.of("80", "443"), app("expose", "expose: [\"80\"]\n", "expose: [\"80\", \"443\"]\n"));
        assertEquals(List.of("1.1.1.1", "8.8.8.8"), app("dns", "dns: 1.1.1.1\n", "dns: [1.1.1.1, 8.8.8.8]\n"));
        assertEquals(List.of("/run", "/tmp"), app("tmpfs", "tmpfs: /run\n", "tmpfs: [/run, /tmp]\n"));
        assertEquals(List.of("NET_ADMIN", "SYS_TIME"), app("cap_add", "cap_add: [NET_ADMIN]\n",
                "cap_add: [NET_ADMIN, SYS_TIME]\n"));
        assertEquals(List.of("/dev/sdb:/dev/xvda:r"), app("devices", "devices: [\"/dev/sda:/dev/xvda:rwm\"]\n",
                "devices: [\"/dev/sdb:/dev/xvda:r\"]\n"));
    }

    @Test
    void envFilesAreUniqueByPath() {
        assertEquals(List.of(Map.of("path", "common.env", "required", "false"), "local.env"), app("env_file",
                "env_file: common.env\n", "env_file:\n  - path: common.env\n    required: false\n  - local.env\n"));
    }

    // ----------------------------------------------------------------------------- key-value collections

    @Test
    void environmentMergesByKeyWhenBothAreMappings() {
        assertEquals(Map.of("A", "1", "B", "20", "C", "3"), app("environment",
                "environment:\n  A: \"1\"\n  B: \"2\"\n", "environment:\n  B: \"20\"\n  C: \"3\"\n"));
    }

    @Test
    void environmentMergesByKeyAcrossTheTwoSyntaxes() {
        assertEquals(List.of("A=1", "B=20", "C=3"), app("environment",
                "environment:\n  A: \"1\"\n  B: \"2\"\n", "environment:\n  - B=20\n  - C=3\n"));
        assertEquals(List.of("A=1", "B=20", "C"), app("environment",
                "environment:\n  - A=1\n  - B=2\n", "environment:\n  B: \"20\"\n  C:\n"));
    }

    @Test
    void aKeyWithoutValueReplacesTheValueLikeCompose() {
        assertEquals(Map.of("A", "1"), app("environment", "environment:\n  A: x\n", "environment:\n  A: \"1\"\n"));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("A", null);
        assertEquals(env, app("environment", "environment:\n  A: x\n", "environment:\n  A:\n"));
    }

    @Test
    void labelsAnnotationsSysctlsAndBuildArgsMergeByKey() {
        assertEquals(List.of("traefik.enable=true", "tier=web"), app("labels",
                "labels:\n  - traefik.enable=false\n  - tier=web\n", "labels:\n  traefik.enable: \"true\"\n"));
        assertEquals(Map.of("net.core.somaxconn", "2048"), app("sysctls",
                "sysctls:\n  net.core.somaxconn: 1024\n", "sysctls:\n  net.core.somaxconn: 2048\n"));
        assertEquals(Map.of("context", ".", "args", List.of("VERSION=2", "JDK=17")), app("build",
                "build:\n  context: .\n  args:\n    - VERSION=1\n    - JDK=17\n", "build:\n  args:\n    VERSION: \"2\"\n"));
    }

    // --------------------------------------------------------------------------------------- replaced

    @Test
    void commandAndEntrypointAreReplacedNotAppended() {
        assertEquals(List.of("npm", "run", "dev"), app("command", "command: [\"npm\", \"start\"]\n",
                "command: [\"npm\", \"run\", \"dev\"]\n"));
        assertEquals("/bin/sh -c 'exec app'", app("entrypoint", "entrypoint: [\"/entry.sh\"]\n",
                "entrypoint: /bin/sh -c 'exec app'\n"));
        assertEquals(null, app("command", "command: [\"npm\", \"start\"]\n", "command:\n"));
    }

    @Test
    void theHealthcheckTestIsReplacedAndItsTimingsMerged() {
        assertEquals(Map.of("test", List.of("CMD", "true"), "interval", "5s", "retries", "9"), app("healthcheck",
                "healthcheck:\n  test: [\"CMD-SHELL\", \"curl -f http://localhost\"]\n  interval: 5s\n  retries: 3\n",
                "healthcheck:\n  test: [\"CMD\", \"true\"]\n  retries: 9\n"));
    }

    @Test
    void eachUlimitIsReplacedWhole() {
        assertEquals(Map.of("nofile", Map.of("soft", "1024"), "nproc", "65535"), app("ulimits",
                "ulimits:\n  nofile:\n    soft: 20000\n    hard: 40000\n  nproc: 65535\n",
                "ulimits:\n  nofile:\n    soft: 1024\n"));
    }

    // ------------------------------------------------------------------------------- normalised forms

    @Test
    void dependsOnMergesByServiceInEitherSyntax() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("db", Map.of("condition", "service_healthy"));
        expected.put("cache", null);
        expected.put("mail", null);
        assertEquals(expected, app("depends_on", "depends_on: [db, cache]\n", """
                depends_on:
                  db:
                    condition: service_healthy
                  mail:
                """));
    }

    @Test
    void networksMergeByNameAndTheirAliasesHaveNoDuplicates() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("front", Map.of("aliases", List.of("web", "www")));
        expected.put("back", null);
        assertEquals(expected, app("networks", "networks:\n  front:\n    aliases: [web]\n  back:\n",
                "networks:\n  front:\n    aliases: [web, www]\n"));
        Map<String, Object> names = new LinkedHashMap<>();
        names.put("front", null);
        names.put("back", null);
        assertEquals(names, app("networks", "networks: [front]\n", "networks: [front, back]\n"));
    }

    @Test
    void aBuildDirectoryIsItsContext() {
        assertEquals(Map.of("context", "./app", "dockerfile", "Dockerfile.dev"), app("build", "build: ./app\n",
                "build:\n  dockerfile: Dockerfile.dev\n"));
        assertEquals(Map.of("context", "./other", "target", "prod"), app("build", "build:\n  context: .\n  target: prod\n",
                "build: ./other\n"));
    }

    @Test
    void extraHostsAreAppendedWithoutDuplicatesInEitherSyntax() {
        assertEquals(List.of("db:10.0.0.5", "cache=10.0.0.6", "db:10.0.0.7"), app("extra_hosts",
                "extra_hosts: [\"db:10.0.0.5\"]\n", "extra_hosts:\n  - \"db:10.0.0.5\"\n  - \"cache=10.0.0.6\"\n"
                        + "  - \"db:10.0.0.7\"\n"));
        assertEquals(List.of("db=10.0.0.5", "mail=10.0.0.8"), app("extra_hosts", "extra_hosts:\n  db: 10.0.0.5\n",
                "extra_hosts:\n  mail: 10.0.0.8\n"));
    }

    @Test
    void loggingMergesForTheSameDriverAndIsReplacedForAnother() {
        assertEquals(Map.of("driver", "json-file", "options", Map.of("max-size", "10m", "max-file", "5")),
                app("logging", "logging:\n  driver: json-file\n  options:\n    max-size: 10m\n    max-file: \"3\"\n",
                        "logging:\n  options:\n    max-file: \"5\"\n"));
        assertEquals(Map.of("driver", "syslog"), app("logging",
                "logging:\n  driver: json-file\n  options:\n    max-size: 10m\n", "logging:\n  driver: syslog\n"));
    }

    // ------------------------------------------------------------------------------------------ errors

    @Test
    void aListOverAMappingNamesBothFilesAndLines() {
        ComposeException e = assertThrows(ComposeException.class, () -> merge("""
                services:
                  app:
                    image: a
                    healthcheck:
                      interval: 5s
                """, """
                services:
                  app:
                    healthcheck: [CMD, "true"]
                """));
        assertEquals("override.yml:3: services.app.healthcheck: is a list here but a mapping in compose.yml:5, and"
                + " Compose cannot merge the two (write both the same way, or tag this one !override to replace the"
                + " earlier one)", e.getMessage());
    }

    @Test
    void mergedNodesKeepTheFileAndLineTheyCameFrom() {
        YamlNode.Mapping merged = mergeNodes("services:\n  app:\n    image: a\n    ports: [\"80:80\"]\n",
                "\n\nservices:\n  app:\n    ports: [\"443:443\"]\n");
        YamlNode.Mapping app = (YamlNode.Mapping) ((YamlNode.Mapping) merged.get("services")).get("app");
        YamlNode.Sequence ports = (YamlNode.Sequence) app.get("ports");
        assertEquals("compose.yml", src.fileOf(ports.items().get(0)));
        assertEquals("override.yml", src.fileOf(ports.items().get(1)));
        assertEquals(5, ports.items().get(1).line());
        YamlNode.Entry service = ((YamlNode.Mapping) merged.get("services")).entries().get(0);
        assertEquals("compose.yml", src.fileOf(service), "a service is where it was first defined");
        assertEquals(2, service.line());
    }
}
