package dev.sancho.maven.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.core.AuditTrail;
import dev.sancho.maven.core.DeployRun;
import dev.sancho.maven.core.LockOptions;
import dev.sancho.maven.core.Provenance;
import dev.sancho.maven.core.ProxyWaits;
import dev.sancho.maven.core.Target;
import dev.sancho.maven.core.VirtualTime;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail on a fake swarm: one labelled config per record, read back newest first by every deployer, the
 * same scrubbed record as on one engine, a number taken by another writer skipped, bounded like the engine's store.
 */
class SwarmAuditTest {
    private static final String ID = "com.acme:shop:compose.yml";
    private static final Target TARGET = SwarmTarget.INSTANCE;
    private static final UnaryOperator<String> SCRUB = s -> s.replace("s3cret", "****");
    private static final Provenance ALICE = new Provenance("alice", "laptop", null, null, null, "abc123", false);

    @TempDir
    Path dir;

    @RegisterExtension
    final VirtualTime time = new VirtualTime();

    private final FakeSwarm swarm = new FakeSwarm();
    private final FakeDockerEngine engine = new FakeDockerEngine() {
        @Override
        public SwarmEngine swarm() {
            return swarm;
        }
    };
    private final Fixtures.RecordingLog log = new Fixtures.RecordingLog();

    private static Map<String, Object> record(String goal, String deployId, String outcome, String error) {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        return AuditTrail.record(goal, "swarm", "shop", ID, deployId, outcome, t, t.plusSeconds(12), ALICE, error);
    }

    private static String text(SwarmInfos.Config c) {
        return new String(c.data(), StandardCharsets.UTF_8);
    }

    @Test
    void eachGoalAppendsOneLabelledConfigAndHistoryReadsThemNewestFirst() {
        TARGET.audit(engine, "shop", ID, record("deploy", "rel-1", "deployed", null), SCRUB, log);
        TARGET.audit(engine, "shop", ID, record("deploy", "rel-2", "failed", "db password s3cret refused"), SCRUB,
                log);
        TARGET.audit(engine, "shop", null, record("unlock", null, "unlocked", null), SCRUB, log);

        SwarmInfos.Config second = swarm.configs.get("shop_sancho_audit_2");
        assertEquals(Map.of("sancho.project", "shop", "sancho.identity", ID, "sancho.role", "audit",
                "sancho.audit.seq", "2"), second.labels());
        assertTrue(text(second).contains("db password **** refused") && !text(second).contains("s3cret"),
                text(second));
        assertEquals(ID, swarm.configs.get("shop_sancho_audit_3").labels().get("sancho.identity"),
                "an unlock knowing only the project's name records with the trail's identity");
        List<Map<String, Object>> history = TARGET.history(engine, "shop", ID, log);
        assertEquals(List.of(3L, 2L, 1L), history.stream().map(r -> ((Number) r.get("seq")).longValue()).toList());
        assertEquals(List.of("unlock", "deploy", "deploy"), history.stream().map(r -> r.get("goal")).toList());
        assertEquals("failed", history.get(1).get("outcome"));
        assertEquals("alice", history.get(1).get("user"));
        assertEquals(List.of(), log.warnings);
        // another deployer (only the project's name known) sees the same trail
        assertEquals(3, TARGET.history(engine, "shop", null, Log.NONE).size());
    }

    @Test
    void aDeploysRecordNamesTheImagesItsServicesRun() {
        DeployOptions options = new DeployOptions(2, Duration.ofSeconds(30), ProxyWaits.DEFAULT_MIN_READY,
                ProxyWaits.DEFAULT.maxDrain(), Instant.now(), Set.of());
        TARGET.deploy(engine, new DeployRun.Request(StackResolver.resolve(Fixtures.inline(dir, """
                services:
                  backend:
                    image: shop/app:1
                """), new StackConfig("shop", "shop", "rel-1", Set.of(), null, true)), DeployRun.Steps.ALL,
                options, new LockOptions(Duration.ZERO, Duration.ofMinutes(30)), List.of(), Map.of(), List.of(),
                List.of(), false, ProxyWaits.DEFAULT, false, false), Log.NONE);
        Map<String, Object> r = record("deploy", "rel-1", "deployed", null);
        TARGET.audit(engine, "shop", ID, r, SCRUB, log);
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("image", "shop/app:1");
        image.put("id", null);
        assertEquals(Map.of("backend", image), r.get("images"));
        assertTrue(text(swarm.configs.get("shop_sancho_audit_1")).contains("\"image\": \"shop/app:1\""),
                text(swarm.configs.get("shop_sancho_audit_1")));
    }

    /** Two deployers at once: the one whose number was taken a moment before takes the next, losing no record. */
    @Test
    void aNumberAnotherWriterTookIsSkipped() {
        TARGET.audit(engine, "shop", ID, record("deploy", "rel-1", "deployed", null), SCRUB, log);
        swarm.onCreateConfig = name -> {
            if (name.equals("shop_sancho_audit_2")) {
                swarm.onCreateConfig = n -> {};
                TARGET.audit(engine, "shop", ID, record("rollback", "rel-0", "rolled-back", null), SCRUB, log);
            }
        };
        TARGET.audit(engine, "shop", ID, record("deploy", "rel-2", "deployed", null), SCRUB, log);
        List<Map<String, Object>> history = TARGET.history(engine, "shop", ID, log);
        assertEquals(List.of("rel-2", "rel-0", "rel-1"), history.stream().map(r -> r.get("deployId")).toList());
        assertEquals(3L, ((Number) history.get(0).get("seq")).longValue());
        assertEquals(List.of(), log.warnings);
    }

    @Test
    void theTrailIsBoundedAndOnlyItsOwnOldestRecordsAreRemoved() {
        for (long seq = 1; seq <= AuditTrail.CAPACITY; seq++) {
            Map<String, String> labels = new LinkedHashMap<>(AuditTrail.labels("shop", ID));
            labels.put("sancho.audit.seq", String.valueOf(seq));
            swarm.configs.put("shop_sancho_audit_" + seq, new SwarmInfos.Config("old" + seq, "shop_sancho_audit_"
                    + seq, labels, Instant.now(), ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, String> other = new LinkedHashMap<>(AuditTrail.labels("shopfront", null));
        other.put("sancho.audit.seq", "1");
        swarm.createConfig("shopfront_sancho_audit_1", other, new byte[] {'{', '}'});
        swarm.createConfig("sancho-deploy-shop-rel-1", DeployRecords.selector("shop"), new byte[] {'[', ']'});

        TARGET.audit(engine, "shop", ID, record("deploy", "rel-9", "deployed", null), SCRUB, log);

        assertFalse(swarm.configs.containsKey("shop_sancho_audit_1"));
        assertTrue(swarm.configs.containsKey("shop_sancho_audit_2"));
        assertTrue(swarm.configs.containsKey("shop_sancho_audit_1001"));
        assertTrue(swarm.configs.containsKey("shopfront_sancho_audit_1"));
        assertTrue(swarm.configs.containsKey("sancho-deploy-shop-rel-1"));
        assertEquals(AuditTrail.CAPACITY, TARGET.history(engine, "shop", ID, log).size());
    }

    @Test
    void theTrailOfAnotherProjectOfTheSameNameIsNeitherWrittenToNorShown() {
        TARGET.audit(engine, "shop", "org.other:shop:compose.yml", record("deploy", "x", "deployed", null), SCRUB,
                Log.NONE);
        TARGET.audit(engine, "shop", ID, record("deploy", "rel-1", "deployed", null), SCRUB, log);
        assertEquals(1, swarm.configs.size());
        assertTrue(log.warnings.get(0).startsWith("Not recording this deploy in the audit trail: the swarm's configs"
                + " shop_sancho_audit_* belong to another project of the same name"), log.warnings.toString());
        assertEquals(List.of(), TARGET.history(engine, "shop", ID, Log.NONE));
    }
}
