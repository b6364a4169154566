package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Service.Mount;
import dev.sancho.maven.compose.Service.MountOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Compose Specification and compose-go say a key means, for what docker-compose 1.29 cannot express (the
 * compose-parity IT covers the rest on a real engine). Each test names its reference: the specification's
 * {@code 05-services.md}/{@code 06-networks.md}/{@code 09-secrets.md}, compose-go's {@code format/volume.go}
 * (ParseVolume), {@code types/hostList.go} (HostsList), {@code loader} tests, docker/compose's
 * {@code pkg/compose/create.go}.
 */
class ComposeSpecExpectationsTest {
    @TempDir
    Path dir;

    private ComposeFile load(String yaml) {
        return Fixtures.inline(dir, yaml);
    }

    private ComposeFile load(String yaml, Map<String, String> env) {
        return Fixtures.inline(dir, yaml, env);
    }

    private String error(String yaml) {
        return assertThrows(ComposeException.class, () -> load(yaml)).getMessage();
    }

    private static MountOptions options(String propagation, String selinux, boolean create, boolean noCopy,
            String subpath, Long size, Integer mode) {
        return new MountOptions(propagation, selinux, create, noCopy, subpath, size, mode);
    }

    // ------------------------------------------------------------------------------------------ mounts

    /** The six mounts: each option kept, the typo warned. Spec 05-services.md "volumes", long syntax. */
    @Test
    void everyMountOptionIsKeptAndATypoIsWarned() {
        Fixtures.write(dir, "conf/app.conf", "x\n");
        ComposeFile c = load("""
                services:
                  db:
                    image: postgres:16
                    volumes:
                      - {type: volume, source: data, target: /var/lib/postgresql/data, volume: {subpath: pg16, nocopy: true}}
                      - {type: tmpfs, target: /cache, tmpfs: {size: 64m, mode: 01777}}
                      - {type: bind, source: /, target: /rootfs, read_only: true, bind: {propagation: rslave, selinux: z}}
                      - ./conf:/etc/conf:ro,Z
                      - /sys:/sys:rslave
                      - {type: tmpfs, target: /typo, tmpfs: {sise: 1m}}
                volumes:
                  data:
                """);
        List<Mount> v = c.services().get("db").volumes();
        assertEquals(new Mount("volume", "data", "/var/lib/postgresql/data", false,
                options(null, null, false, true, "pg16", null, null)), v.get(0));
        assertEquals(new Mount("tmpfs", null, "/cache", false, options(null, null, false, false, null, 64L << 20,
                01777)), v.get(1));
        assertEquals(new Mount("bind", "/", "/rootfs", true, options("rslave", "z", false, false, null, null, null)),
                v.get(2));
        assertEquals(new Mount("bind", dir.resolve("conf").toString(), "/etc/conf", true,
                options(null, "Z", true, false, null, null, null)), v.get(3));
        assertEquals(new Mount("bind", "/sys", "/sys", false, options("rslave", null, true, false, null, null, null)),
                v.get(4));
        assertEquals(new Mount("tmpfs", null, "/typo", false), v.get(5));
        assertEquals(List.of("docker-compose.yml:10: services.db.volumes[5].tmpfs.sise: unknown key; ignored (check"
                + " the spelling)"), c.notApplied());
    }

    /** compose-go ParseVolume: nocopy on a named volume, the last of ro/rw wins, a short bind creates its path. */
    @Test
    void shortSyntaxFlagsAsComposeGoReadsThem() {
        ComposeFile c = load("""
                services:
                  app:
                    image: app:1
                    volumes:
                      - data:/data:nocopy
                      - data:/ro:rw,ro
                      - data:/rw:ro,rw
                      - ./x:/x:z
                      - data:/shared:z
                volumes:
                  data:
                """);
        List<Mount> v = c.services().get("app").volumes();
        assertEquals(options(null, null, false, true, null, null, null), v.get(0).options());
        assertTrue(v.get(1).readOnly());
        assertEquals(false, v.get(2).readOnly());
        assertEquals(options(null, "z", true, false, null, null, null), v.get(3).options());
        assertEquals(options(null, "z", false, false, null, null, null), v.get(4).options(),
                "compose's toBindString sends z for a volume too");
        assertEquals(List.of(), c.notApplied());
    }

    /** compose's buildMountOptions: "mount of type X should not define Y option" is a warning; sancho warns too. */
    @Test
    void optionsOfAnotherTypeAndNotAppliedSubKeysAreWarned() {
        ComposeFile c = load("""
                services:
                  app:
                    image: app:1
                    volumes:
                      - {type: volume, source: data, target: /a, bind: {propagation: rslave}}
                      - {type: bind, source: ./b, target: /b, bind: {recursive: disabled}}
                      - ./c:/c:nocopy
                      - data:/d:rshared
                volumes:
                  data:
                """);
        assertEquals(List.of(
                "docker-compose.yml:5: services.app.volumes[0].bind: applies to type: bind, this mount is type: volume;"
                        + " ignored (as Compose does)",
                "docker-compose.yml:6: services.app.volumes[1].bind.recursive: not honoured by sancho; ignored",
                "docker-compose.yml:7: services.app.volumes[2]: nocopy applies to volumes, not to the bind mount of a"
                        + " host path; ignored",
                "docker-compose.yml:8: services.app.volumes[3]: rshared (propagation) applies to the bind mount of a"
                        + " host path, not to a volume; ignored"), c.notApplied());
        assertThrows(ComposeException.class, c::requireAllApplied, "strict fails on each of them");
    }

    @Test
    void badMountOptionValuesAreOneLineErrors() {
        String head = "services:\n  app:\n    image: app:1\n    volumes:\n";
        assertEquals("docker-compose.yml:5: services.app.volumes[0].bind.propagation: \"sideways\" is not one of"
                + " private, rprivate, shared, rshared, slave, rslave", error(head
                + "      - {type: bind, source: /x, target: /x, bind: {propagation: sideways}}\n"));
        assertEquals("docker-compose.yml:5: services.app.volumes[0].volume.subpath: \"../etc\" must be a relative"
                + " path inside the volume, without ..", error(head
                + "      - {type: volume, source: data, target: /x, volume: {subpath: ../etc}}\nvolumes:\n  data:\n"));
        assertEquals("docker-compose.yml:5: services.app.volumes[0].tmpfs.size: \"lots\" is not a size: write"
                + " bytes, or a number with b, k, m or g (e.g. 512m, 1g, 1024k)", error(head
                + "      - {type: tmpfs, target: /x, tmpfs: {size: lots}}\n"));
        assertEquals("docker-compose.yml:5: services.app.volumes[0].volume.subpath: needs a named volume (source:):"
                + " an anonymous volume is empty, it has no sub-directory to mount", error(head
                + "      - {type: volume, target: /x, volume: {subpath: a}}\n"));
    }

    // ------------------------------------------------------------------------------------ restart policy

    /** docker/compose create.go getRestartPolicy + mapRestartPolicyCondition; spec 05-services.md deploy. */
    @Test
    void deployRestartPolicyIsTheContainersPolicyOnOneEngine() {
        ComposeFile c = load("""
                services:
                  none: {image: a, deploy: {restart_policy: {condition: none}}}
                  failure: {image: a, deploy: {restart_policy: {condition: on-failure, max_attempts: 3}}}
                  failure0: {image: a, deploy: {restart_policy: {condition: on-failure}}}
                  any: {image: a, deploy: {restart_policy: {condition: any}}}
                  default: {image: a, deploy: {restart_policy: {max_attempts: 0}}}
                  both: {image: a, restart: unless-stopped, deploy: {restart_policy: {condition: none, delay: 5s}}}
                  plain: {image: a, restart: always}
                """);
        Map<String, String> expected = Map.of("none", "no", "failure", "on-failure:3", "failure0", "on-failure",
                "any", "always", "default", "always", "both", "no", "plain", "always");
        expected.forEach((name, policy) -> assertEquals(policy, c.services().get(name).restart(), name));
        assertEquals(List.of("docker-compose.yml:7: services.both.deploy.restart_policy.delay: not honoured by sancho;"
                        + " ignored", "docker-compose.yml:7: services.both.restart: \"unless-stopped\" is overridden by"
                        + " deploy.restart_policy, which gives \"no\" (as Compose does)"), c.warnings());
        assertEquals("docker-compose.yml:2: services.x.deploy.restart_policy.max_attempts: applies to condition:"
                + " on-failure only; the engine refuses a retry count with any", error(
                "services:\n  x: {image: a, deploy: {restart_policy: {condition: any, max_attempts: 2}}}\n"));
    }

    // ---------------------------------------------------------------------------------------- networks

    /** Spec 06-networks.md: internal, enable_ipv6, attachable, driver_opts, labels. */
    @Test
    void networkOptionsAreRead() {
        ComposeFile c = load("""
                services:
                  db: {image: postgres, networks: [internal_network]}
                networks:
                  internal_network:
                    internal: true
                    enable_ipv6: true
                    attachable: true
                    driver_opts: {com.docker.network.bridge.name: br-db}
                    labels: [team=db]
                  plain: {}
                """);
        NetworkDef n = c.networks().get("internal_network");
        assertEquals(new NetworkDef.Options(true, true, true, Map.of("com.docker.network.bridge.name", "br-db")),
                n.options());
        assertEquals(Map.of("team", "db"), n.labels());
        assertEquals(NetworkDef.Options.NONE, c.networks().get("plain").options());
        assertEquals(List.of(), c.notApplied());
    }

    // ---------------------------------------------------------------------- variables, paths, extra_hosts

    /** compose-go sets COMPOSE_PROJECT_NAME from the project name for interpolation. */
    @Test
    void composeProjectNameIsTheProjectsName() {
        String yaml = "name: shop\nservices:\n  web:\n    image: nginx\n    labels: [\"p=${COMPOSE_PROJECT_NAME}\", \"s=${SANCHO_PROJECT}\"]\n";
        assertEquals(Map.of("p", "shop", "s", "shop"), load(yaml).services().get("web").labels());
        Map<String, String> fixed = new java.util.LinkedHashMap<>(ComposeLoader.builtins("1", "given"));
        fixed.put(ComposeLoader.PROJECT_NAME, "given");
        Path file = Fixtures.write(dir, "docker-compose.yml", yaml);
        assertEquals(Map.of("p", "given", "s", "given"), ComposeLoader.load(file, Map.of(), Map.of(), fixed, Map.of(),
                Log.NONE).services().get("web").labels(), "sancho.project wins over name:, as -p does");
        String unnamed = "services:\n  web:\n    image: nginx\n    labels: [\"p=${COMPOSE_PROJECT_NAME}\"]\n";
        assertEquals(Map.of("p", "sancho"), load(unnamed).services().get("web").labels(), "else the artifactId");
    }

    /** Spec 09-secrets.md / compose-go: ~ is the user's home in file:. */
    @Test
    void tildeInASecretFileIsTheHome() {
        Path home = Path.of(System.getProperty("user.home"));
        assertTrue(home.isAbsolute());
        ComposeException missing = assertThrows(ComposeException.class, () -> load("""
                services:
                  app: {image: a, secrets: [k]}
                secrets:
                  k: {file: ~/.sancho-i23c-no-such-file}
                """));
        assertEquals("docker-compose.yml:4: secrets.k.file: " + home.resolve(".sancho-i23c-no-such-file")
                + " does not exist", missing.getMessage());
    }

    /** compose-go types/hostList.go: "=" first, comma-separated addresses, brackets removed; a mapping form. */
    @Test
    void extraHostsInEveryFormComposeGoReads() {
        ComposeFile c = load("""
                services:
                  a:
                    image: a
                    extra_hosts:
                      - "v6host=[::1]"
                      - "multi=10.0.0.1,10.0.0.2"
                      - "colon:10.0.0.3"
                      - "gw=host-gateway"
                  b:
                    image: b
                    extra_hosts:
                      one: "[fe80::1]"
                      two: [10.0.0.4, 10.0.0.5]
                """);
        assertEquals(List.of("v6host:::1", "multi:10.0.0.1", "multi:10.0.0.2", "colon:10.0.0.3", "gw:host-gateway"),
                c.services().get("a").extraHosts());
        assertEquals(List.of("one:fe80::1", "two:10.0.0.4", "two:10.0.0.5"), c.services().get("b").extraHosts());
        assertEquals("docker-compose.yml:2: services.a.extra_hosts[0]: the host h has no address: expected host:ip"
                + " or host=ip", error("services:\n  a: {image: a, extra_hosts: [\"h=\"]}\n"));
    }

    // -------------------------------------------------------------------------------- secrets, configs

    /** compose-go loader: external: {name:} is deprecated but read, as for networks and volumes. */
    @Test
    void deprecatedExternalNameIsReadWithAWarning() {
        Path file = Fixtures.write(dir, "docker-compose.yml", """
                services:
                  app: {image: a, secrets: [token]}
                secrets:
                  token:
                    external:
                      name: shop_token_v2
                """);
        ComposeFile c = ComposeLoader.load(List.of(file), null, Map.of(), Map.of(), ComposeLoader.builtins("1", "s"),
                Map.of(), true, Log.NONE);
        assertEquals("shop_token_v2", c.services().get("app").options().secrets().get(0).external());
        assertEquals(List.of("docker-compose.yml:5: secrets.token.external: external: {name: ...} is deprecated;"
                + " write external: true and name: ..."), c.warnings());
    }

    /** Compose fails only for a secret a service uses: an unused external or missing one is no error. */
    @Test
    void unusedSecretsThatCannotBeProvidedDoNotRejectTheStack() {
        ComposeFile c = load("""
                services:
                  app: {image: a}
                secrets:
                  swarm_only: {external: true}
                  not_yet: {file: ./missing.txt}
                  unset: {environment: NOT_SET_ANYWHERE}
                configs:
                  later: {file: ./missing.conf}
                """);
        assertEquals(List.of(), c.services().get("app").options().secrets());
        assertEquals("docker-compose.yml:5: secrets.not_yet.file: " + dir.resolve("missing.txt") + " does not exist",
                error("""
                        services:
                          app: {image: a, secrets: [not_yet]}
                        secrets:
                          swarm_only: {external: true}
                          not_yet: {file: ./missing.txt}
                        """));
    }

    // ------------------------------------------------------------------------------------------- build

    /** Spec 05-services.md build.args: an arg without value is taken from the project's environment, .env included. */
    @Test
    void buildArgsWithoutValueComeFromTheProjectEnvironment() {
        Fixtures.write(dir, ".env", "SENTRY_IMAGE=getsentry/sentry:24.1.0\n");
        Fixtures.write(dir, "Dockerfile", "ARG SENTRY_IMAGE\nFROM ${SENTRY_IMAGE}\n");
        ComposeFile c = load("""
                services:
                  web:
                    build:
                      context: .
                      args: [SENTRY_IMAGE, FROM_SHELL, UNSET_ARG]
                """, Map.of("FROM_SHELL", "shell"));
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("SENTRY_IMAGE", "getsentry/sentry:24.1.0");
        expected.put("FROM_SHELL", "shell");
        expected.put("UNSET_ARG", null);
        assertEquals(expected, c.services().get("web").build().args());
    }
}
