package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two digests of a container's configuration. Their values are stored in labels on containers that live for
 * years (infrastructure), so the unkeyed ones versions before keyed digests wrote are pinned: a change would report
 * drift on every database already deployed. What sancho writes now is keyed ({@link Digests}).
 */
class ConfigDigestTest {

    static ContainerSpec spec(Map<String, String> env) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, "shop");
        labels.put(Labels.DEPLOY_ID, "42"); // volatile: never part of a digest
        return new ContainerSpec("shop_db", "postgres:15", List.of("docker-entrypoint.sh"), List.of("postgres"), env,
                labels, List.of(new ContainerSpec.PortBinding("127.0.0.1", "5432", 5432, "tcp")),
                List.of(new ContainerSpec.Mount("volume", "pgdata", "/var/lib/postgresql/data", false)),
                Map.of("shop_default", List.of("db")), "unless-stopped",
                new ContainerSpec.HealthSpec(List.of("CMD", "pg_isready"), Duration.ofSeconds(1), Duration.ofSeconds(3),
                        5, Duration.ZERO),
                "postgres", "/", "db", List.of("host.docker.internal:host-gateway"), "SIGINT", Duration.ofSeconds(30));
    }

    static final Map<String, String> ENV = Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "s3cret");

    @Test
    void theConfigHashIsPinned() {
        assertEquals("655e207c3acb", ContainerSpecs.configHash(spec(ENV)));
    }

    @Test
    void theFieldDigestsArePinned() {
        assertEquals("command=76745da0,entrypoint=e3bbf988,env.POSTGRES_PASSWORD=b671831b,env.POSTGRES_USER=e1743193,"
                + "extra_hosts=852f66e2,healthcheck=c4672401,hostname=7bdc25d1,image=67ebd6b7,labels=e9de35a8,"
                + "mounts=a47c0236,networks=ae3b8766,ports=a79e2100,restart=b24d9799,stop_grace_period=892df98d,"
                + "stop_signal=71757acb,user=a942b37c,working_dir=8a5edab2", ContainerSpecs.fieldDigests(spec(ENV)));
    }

    @Test
    void aChangedVariableChangesTheHashAndOnlyItsOwnFieldDigest() {
        Map<String, String> before = ContainerSpecs.parseFieldDigests(ContainerSpecs.fieldDigests(spec(ENV)));
        Map<String, String> after = ContainerSpecs.parseFieldDigests(ContainerSpecs.fieldDigests(
                spec(Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "other"))));
        assertNotEquals(ContainerSpecs.configHash(spec(ENV)),
                ContainerSpecs.configHash(spec(Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "other"))));
        before.keySet().forEach(k -> {
            if (k.equals("env.POSTGRES_PASSWORD")) {
                assertNotEquals(before.get(k), after.get(k), k);
            } else {
                assertEquals(before.get(k), after.get(k), k);
            }
        });
    }

    static final byte[] KEY = "a-project-key-of-32-bytes-length".getBytes(StandardCharsets.UTF_8);

    @Test
    void keyedDigestsAreHmacSha256AndNeverThePlainDigest() throws Exception {
        Digests keyed = Digests.keyed(KEY);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        assertEquals(HexFormat.of().formatHex(mac.doFinal("POSTGRES_PASSWORD=s3cret".getBytes(StandardCharsets.UTF_8)),
                0, 4), keyed.hex("POSTGRES_PASSWORD=s3cret", 4));
        Map<String, String> now = ContainerSpecs.parseFieldDigests(ContainerSpecs.fieldDigests(spec(ENV), keyed));
        Map<String, String> plain = ContainerSpecs.parseFieldDigests(ContainerSpecs.fieldDigests(spec(ENV)));
        assertEquals(plain.keySet(), now.keySet());
        assertNotEquals(plain.get("env.POSTGRES_PASSWORD"), now.get("env.POSTGRES_PASSWORD"));
        assertNotEquals("655e207c3acb", ContainerSpecs.configHash(spec(ENV), keyed));
        assertEquals(ContainerSpecs.configHash(spec(ENV), keyed), ContainerSpecs.configHash(spec(ENV),
                Digests.keyed(KEY.clone())), "the same key gives the same digest: change detection works");
        assertNotEquals(ContainerSpecs.configHash(spec(ENV), keyed), ContainerSpecs.configHash(spec(ENV),
                Digests.keyed(Digests.newKey())));
        // the key's id is derived one-way and is all that is printed of it
        assertEquals(12, keyed.id().length());
        assertFalse(keyed.toString().contains(new String(KEY, StandardCharsets.UTF_8)));
        assertNull(Digests.LEGACY.id());
    }

    /** What a container of the stack would carry, created with {@code digests}. */
    private static ContainerInfo created(ContainerSpec spec) {
        return new ContainerInfo("id1", spec.name(), spec.image(), "sha256:1", "running", null, null, spec.labels(),
                null, List.of(), Map.of());
    }

    private static ContainerSpec labelled(Map<String, String> env, Digests digests) {
        ContainerSpec draft = spec(env);
        Map<String, String> labels = new LinkedHashMap<>(draft.labels());
        labels.put(Labels.CONFIG_HASH, ContainerSpecs.configHash(draft, digests));
        labels.put(Labels.CONFIG_FIELDS, ContainerSpecs.fieldDigests(draft, digests));
        if (digests.isKeyed()) {
            labels.put(Labels.DIGEST_KEY_ID, digests.id());
        }
        return ContainerSpecs.withExtraLabels(draft, labels);
    }

    @Test
    void aContainerOfThePreviousVersionIsComparedWithPlainDigestsSoUpgradingReportsNoDrift() {
        Digests engine = Digests.keyed(KEY);
        ContainerInfo old = created(labelled(ENV, Digests.LEGACY)); // no key id, SHA-256 digests
        assertEquals(List.of(), Planner.differences(old, labelled(ENV, engine), engine));
        assertEquals(List.of("differs: environment (POSTGRES_PASSWORD changed)"), Planner.differences(old,
                labelled(Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "other"), engine), engine));

        ContainerInfo keyed = created(labelled(ENV, engine));
        assertEquals(List.of(), Planner.differences(keyed, labelled(ENV, engine), engine));
        assertEquals(List.of("differs: environment (POSTGRES_PASSWORD changed)"), Planner.differences(keyed,
                labelled(Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "other"), engine), engine));
    }

    @Test
    void digestsOfAKeyTheEngineNoLongerHoldsAreNotComparedAndTheReportSaysSo() {
        Digests lost = Digests.keyed(Digests.newKey());
        Digests engine = Digests.keyed(KEY);
        List<String> diff = Planner.differences(created(labelled(ENV, lost)), labelled(ENV, engine), engine);
        assertEquals(1, diff.size());
        assertTrue(diff.get(0).startsWith("configuration not compared: its digests were made with digest key "
                + lost.id() + ", which the engine no longer holds"), diff.get(0));
    }

    @Test
    void noDriftLineShowsADigest() {
        Digests engine = Digests.keyed(KEY);
        ContainerSpec changed = labelled(Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "other"), engine);
        String line = String.join(" ", Planner.differences(created(labelled(ENV, Digests.LEGACY)), changed, engine));
        assertFalse(line.contains(ContainerSpecs.configHash(spec(ENV))), line);
        assertFalse(line.contains(changed.labels().get(Labels.CONFIG_HASH)), line);
    }
}
