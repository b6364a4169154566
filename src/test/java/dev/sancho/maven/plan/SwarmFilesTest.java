package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerFile;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compose secrets and configs as swarm objects: named by content, referred to by the service, values never shown. */
class SwarmFilesTest {
    private static final SwarmInfos.Node MANAGER = new SwarmInfos.Node("n1", "host1", "manager", "active", "ready",
            "10.213.1.11");
    private static final String STACK = """
            services:
              db:
                image: postgres:15
                container_name: shop_db
                secrets: [db_password]
              backend:
                image: shop/app:1
                secrets:
                  - db_password
                  - source: api_token
                    target: token
                    uid: "1000"
                    gid: "1001"
                    mode: 0400
                configs:
                  - app_conf
                  - source: motd
                    target: /etc/motd
                    mode: 0440
            secrets:
              db_password:
                environment: DB_PASSWORD
              api_token:
                external: true
                name: shop_api_token_v3
            configs:
              app_conf:
                content: |
                  greeting=hello
              motd:
                file: ./motd.txt
            """;

    @TempDir
    Path dir;

    private Stack stack(String yaml, Map<String, String> env) {
        Fixtures.write(dir, "motd.txt", "welcome\n");
        ComposeFile compose = ComposeLoader.load(List.of(Fixtures.write(dir, "docker-compose.yml", yaml)), null, env,
                Map.of(), ComposeLoader.builtins(Fixtures.DEPLOY_ID, "sancho"), Fixtures.POM, true, Log.NONE);
        return StackResolver.resolve(compose, new StackConfig("shop", "shop", "d1", Set.of("db"), null, true));
    }

    private static SwarmPlanner.Observed observed(Set<String> files) {
        return new SwarmPlanner.Observed(MANAGER, Map.of(), Set.of(), Set.of(), List.of(), files);
    }

    private static final Digests KEY = Digests.keyed("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));

    private static String digest(String text) {
        return KEY.hex(text.getBytes(StandardCharsets.UTF_8), 32);
    }

    private static String sha256(String text) {
        return new ContainerFile("/x", text.getBytes(StandardCharsets.UTF_8), 0444, null, null).sha256();
    }

    @Test
    void createdObjectsAreNamedByContentAndReferredToWithDefaultsAndGivenOwnerAndMode() {
        Stack stack = stack(STACK, Map.of("DB_PASSWORD", "pw-271828"));
        List<SwarmServiceSpec.FileRef> files = SwarmSpecs.files(stack, stack.service("backend").orElseThrow(), KEY);

        String pw = digest("pw-271828");
        assertEquals(List.of(
                new SwarmServiceSpec.FileRef(true, "shop_db_password_" + pw.substring(0, 12),
                        "pw-271828".getBytes(StandardCharsets.UTF_8), pw, "/run/secrets/db_password", "0", "0", 0444),
                new SwarmServiceSpec.FileRef(true, "shop_api_token_v3", null, null, "/run/secrets/token", "1000",
                        "1001", 0400),
                new SwarmServiceSpec.FileRef(false, "shop_app_conf_" + digest("greeting=hello\n").substring(0, 12),
                        "greeting=hello\n".getBytes(StandardCharsets.UTF_8), digest("greeting=hello\n"), "/app_conf",
                        "0", "0", 0444),
                new SwarmServiceSpec.FileRef(false, "shop_motd_" + digest("welcome\n").substring(0, 12),
                        "welcome\n".getBytes(StandardCharsets.UTF_8), digest("welcome\n"), "/etc/motd", "0", "0",
                        0440)), files);
        assertFalse(files.toString().contains("pw-271828"), files.toString());
        assertFalse(files.toString().contains(sha256("pw-271828").substring(0, 12)), "no unsalted digest of a secret");
    }

    @Test
    void namesAreKeyedSoTheSameValueNamesTheSameObjectOnlyUnderTheSameKey() {
        Stack stack = stack(STACK, Map.of("DB_PASSWORD", "Summer2024!"));
        StackService backend = stack.service("backend").orElseThrow();
        String name = SwarmSpecs.files(stack, backend, KEY).get(0).name();
        assertEquals(name, SwarmSpecs.files(stack(STACK, Map.of("DB_PASSWORD", "Summer2024!")), backend, KEY).get(0)
                .name(), "change detection: the same value keeps its object");
        assertNotEquals(name, SwarmSpecs.files(stack, backend, Digests.keyed(Digests.newKey())).get(0).name());
        assertNotEquals("shop_db_password_" + sha256("Summer2024!").substring(0, 12), name,
                "the issue's example: sha256(\"Summer2024!\") must not be in the name");
    }

    @Test
    void aChangedValueIsANewObjectTheUpdateRollsOverTo() {
        String a = SwarmSpecs.files(stack(STACK, Map.of("DB_PASSWORD", "one")),
                stack(STACK, Map.of("DB_PASSWORD", "one")).service("backend").orElseThrow()).get(0).name();
        Stack two = stack(STACK, Map.of("DB_PASSWORD", "two"));
        String b = SwarmSpecs.files(two, two.service("backend").orElseThrow()).get(0).name();
        assertNotEquals(a, b);
        assertTrue(a.startsWith("shop_db_password_") && b.startsWith("shop_db_password_"), a + " " + b);
    }

    @Test
    void thePlanCreatesMissingObjectsFirstShowingNamesAndDigestsOnly() {
        Stack stack = stack(STACK, Map.of("DB_PASSWORD", "pw-271828"));
        SwarmPlan plan = SwarmPlanner.plan(stack, observed(Set.of("secret:shop_api_token_v3")));

        assertEquals(List.of(), plan.refusals());
        List<SwarmPlan.CreateFile> creates = plan.actions(SwarmPlan.CreateFile.class);
        assertEquals(3, creates.size());
        assertEquals(creates, plan.actions().subList(0, 3), "objects exist before any service refers to them");
        assertEquals(List.of("shop_db", "shop_backend"), creates.get(0).services());
        String pw = Digests.unsaved().hex("pw-271828".getBytes(StandardCharsets.UTF_8), 6);
        assertEquals("create swarm secret shop_db_password_" + pw + " (for shop_db, shop_backend)",
                creates.get(0).describe(), "the name only: no digest of the value besides the keyed one in it");
        assertFalse(String.join("\n", plan.lines()).contains("pw-271828"));
    }

    @Test
    void existingObjectsAreNotCreatedAgain() {
        Stack stack = stack(STACK, Map.of("DB_PASSWORD", "pw"));
        Set<String> all = new java.util.HashSet<>();
        stack.services().forEach(s -> SwarmSpecs.files(stack, s).forEach(f -> all.add(SwarmPlanner.fileKey(f))));
        assertEquals(List.of(), SwarmPlanner.plan(stack, observed(all)).actions(SwarmPlan.CreateFile.class));
    }

    @Test
    void aMissingExternalSecretIsRefusedNamingIt() {
        SwarmPlan plan = SwarmPlanner.plan(stack(STACK, Map.of("DB_PASSWORD", "pw")), observed(Set.of()));
        assertEquals(List.of("external secret shop_api_token_v3 (used by shop_backend) does not exist in the swarm;"
                + " create it first (docker secret create shop_api_token_v3 ...)"), plan.refusals());
    }

    @Test
    void aChangedSecretOfTheDatabaseIsDriftNotApplied() {
        Stack first = stack(STACK, Map.of("DB_PASSWORD", "one"));
        SwarmServiceSpec created = SwarmSpecs.of(first, first.service("db").orElseThrow(), List.of("node.id==n1"));
        SwarmInfos.Service db = new SwarmInfos.Service("sid", "shop_db", 7, created.labels(), "postgres:15", 1, null,
                null, null, List.of("node.id==n1"), List.of());

        SwarmPlan same = SwarmPlanner.plan(first, new SwarmPlanner.Observed(MANAGER, Map.of("shop_db", db), Set.of(),
                Set.of(), List.of(), Set.of("secret:shop_api_token_v3")));
        assertEquals(List.of(), same.drift());

        SwarmPlan changed = SwarmPlanner.plan(stack(STACK, Map.of("DB_PASSWORD", "two")), new SwarmPlanner.Observed(
                MANAGER, Map.of("shop_db", db), Set.of(), Set.of(), List.of(), Set.of("secret:shop_api_token_v3")));
        assertEquals(1, changed.drift().size());
        assertTrue(changed.drift().get(0).startsWith("infrastructure service shop_db: files differ"),
                changed.drift().get(0));
        // the new value is created for the backend only: the database keeps its secret
        assertEquals(List.of("shop_backend"), changed.actions(SwarmPlan.CreateFile.class).get(0).services());
    }

    @Test
    void externalIsStillRefusedOnOneEngine() {
        ComposeException e = assertThrows(ComposeException.class, () -> Fixtures.inline(dir,
                "services:\n  a:\n    image: a:1\n    secrets: [s]\nsecrets:\n  s:\n    external: true\n"));
        assertTrue(e.getMessage().contains("external secrets live in a swarm"), e.getMessage());
    }

    @Test
    void aDatabaseCreatedBeforeKeyedDigestsIsComparedWithPlainDigestsSoAnUpgradeReportsNoDrift() {
        Stack first = stack(STACK, Map.of("DB_PASSWORD", "one"));
        // as the previous version labelled it: no key id, SHA-256 field digests
        SwarmServiceSpec old = SwarmSpecs.of(first, first.service("db").orElseThrow(), List.of("node.id==n1"),
                Digests.LEGACY);
        assertFalse(old.labels().containsKey(Labels.DIGEST_KEY_ID));
        SwarmInfos.Service db = new SwarmInfos.Service("sid", "shop_db", 7, old.labels(), "postgres:15", 1, null,
                null, null, List.of("node.id==n1"), List.of());
        Set<String> files = Set.of("secret:shop_api_token_v3");
        SwarmPlanner.Observed now = new SwarmPlanner.Observed(MANAGER, Map.of("shop_db", db), Set.of(), Set.of(),
                List.of(), files, KEY);
        assertEquals(List.of(), SwarmPlanner.plan(first, now).drift(), "upgrading sancho is no drift");
        assertEquals(1, SwarmPlanner.plan(stack(STACK, Map.of("DB_PASSWORD", "two")), now).drift().size(),
                "a real change still is");

        // made with a key the swarm no longer holds: said so, not reported as drift
        SwarmServiceSpec foreign = SwarmSpecs.of(first, first.service("db").orElseThrow(), List.of("node.id==n1"),
                Digests.keyed(Digests.newKey()));
        SwarmInfos.Service db2 = new SwarmInfos.Service("sid", "shop_db", 7, foreign.labels(), "postgres:15", 1, null,
                null, null, List.of("node.id==n1"), List.of());
        SwarmPlan plan = SwarmPlanner.plan(first, new SwarmPlanner.Observed(MANAGER, Map.of("shop_db", db2), Set.of(),
                Set.of(), List.of(), files, KEY));
        assertEquals(List.of(), plan.drift());
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains("its digests were made with digest key "
                + foreign.labels().get(Labels.DIGEST_KEY_ID))), plan.notes().toString());
    }
}
