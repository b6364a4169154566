package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.VolumeInfo;
import dev.sancho.maven.plan.Labels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditTrailTest {
    static final String ID = "g:a:compose.yml";
    final List<String> warnings = new ArrayList<>();
    final Log log = new Log() {
        @Override
        public void info(String m) {}

        @Override
        public void warn(String m) {
            warnings.add(m);
        }

        @Override
        public void debug(String m) {}
    };
    final Provenance alice = new Provenance("alice", "laptop", null, null, null, null, null);

    Map<String, Object> record(String deployId, String outcome, String error) {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        return AuditTrail.record("deploy", "engine", "shop", ID, deployId, outcome, t, t.plusMillis(4200), alice,
                error);
    }

    @Test
    void appendsToALabelledVolumeThroughANeverStartedHelperAndReadsNewestFirst() {
        FakeDockerEngine e = new FakeDockerEngine();
        assertTrue(AuditTrail.append(e, "shop", ID, record("d1", "deployed", null), s -> s, log));
        assertTrue(AuditTrail.append(e, "shop", ID, record("d2", "failed", "health check failed"), s -> s, log));
        assertTrue(AuditTrail.append(e, "shop", ID, record("d3", "deployed", null), s -> s, log));
        VolumeInfo v = e.findVolume("shop_sancho_audit").orElseThrow();
        assertEquals(Map.of(Labels.PROJECT, "shop", Labels.IDENTITY, ID, Labels.ROLE, "audit"), v.labels());
        assertTrue(e.calls.stream().noneMatch(c -> c.startsWith("start")), "the helper never runs: " + e.calls);
        assertTrue(e.findContainer("shop_sancho_audit").isEmpty(), "the helper is removed at once");

        List<Map<String, Object>> read = AuditTrail.read(e, "shop", ID, log);
        assertEquals(List.of("d3", "d2", "d1"), read.stream().map(r -> r.get("deployId")).toList());
        assertEquals(List.of(3L, 2L, 1L), read.stream().map(AuditTrail::seq).toList());
        Map<String, Object> failed = read.get(1);
        assertEquals("failed", failed.get("outcome"));
        assertEquals("health check failed", failed.get("error"));
        assertEquals(4.2, failed.get("seconds"));
        assertEquals("alice", failed.get("user"));
        assertEquals("2026-03-01T10:00:00Z", failed.get("time"));
        assertTrue(e.findContainer("shop_sancho_audit").isEmpty());
        assertEquals(List.of(), warnings);
    }

    @Test
    void isARingOfBoundedSize() {
        FakeDockerEngine e = new FakeDockerEngine();
        AuditTrail.append(e, "shop", ID, record("d1", "deployed", null), s -> s, log);
        e.hostFile("volume:shop_sancho_audit/head", (AuditTrail.CAPACITY * 3L + 4) + "\n", 0644);
        AuditTrail.append(e, "shop", ID, record("d2", "deployed", null), s -> s, log);
        assertTrue(e.hostFiles.containsKey("volume:shop_sancho_audit/records/0005.json"), e.hostFiles.keySet().toString());
        // the slot of record CAPACITY + 1 is the one of record 1: overwritten, the store never grows past CAPACITY
        e.hostFile("volume:shop_sancho_audit/head", AuditTrail.CAPACITY + "\n", 0644);
        AuditTrail.append(e, "shop", ID, record("d3", "deployed", null), s -> s, log);
        List<Map<String, Object>> read = AuditTrail.read(e, "shop", ID, log);
        assertEquals(List.of("d2", "d3"), read.stream().map(r -> r.get("deployId")).toList(),
                "d1's slot now holds d3 (seq " + (AuditTrail.CAPACITY + 1) + ")");
        assertEquals("0001", AuditTrail.slot(AuditTrail.CAPACITY + 1L).replaceAll(".*/(\\d+)\\.json", "$1"));
    }

    @Test
    void noSecretValueEntersTheStore() {
        FakeDockerEngine e = new FakeDockerEngine();
        AuditTrail.append(e, "shop", ID, record("d1", "failed", "login failed for s3cr3t-pw"),
                s -> s.replace("s3cr3t-pw", "******"), log);
        e.hostFiles.values().forEach(f -> assertFalse(new String(f.content(), StandardCharsets.UTF_8)
                .contains("s3cr3t-pw")));
        assertEquals("login failed for ******", AuditTrail.read(e, "shop", ID, log).get(0).get("error"));
    }

    @Test
    void aHelperLeftByAKilledBuildIsRemovedButAnotherProjectsContainerOfThatNameNever() {
        FakeDockerEngine e = new FakeDockerEngine();
        AuditTrail.append(e, "shop", ID, record("d1", "deployed", null), s -> s, log);
        // a killed build's helper, two minutes old by the engine's clock
        e.containers.put("old", new ContainerInfo("old", "shop_sancho_audit", "x", "sha256:x", "created", null, null,
                AuditTrail.labels("shop", ID), e.clock().minusSeconds(120), List.of(), Map.of()));
        assertTrue(AuditTrail.append(e, "shop", ID, record("d2", "deployed", null), s -> s, log));
        assertTrue(e.findContainer("shop_sancho_audit").isEmpty());

        e.containers.put("theirs", new ContainerInfo("theirs", "shop_sancho_audit", "x", "sha256:x", "running", null,
                null, Map.of("com.example", "mine"), e.clock().minusSeconds(3600), List.of(), Map.of()));
        assertFalse(AuditTrail.append(e, "shop", ID, record("d3", "deployed", null), s -> s, log));
        assertTrue(e.containers.containsKey("theirs"), "never removed");
        assertTrue(warnings.get(0).contains("is not the audit trail helper of project shop"), warnings.toString());
    }

    @Test
    void aVolumeOfAnotherIdentityIsNeitherWrittenNorShown() {
        FakeDockerEngine e = new FakeDockerEngine();
        String other = "other:project:compose.yml";
        Map<String, Object> theirs = record("d1", "deployed", null);
        theirs.put("identity", other);
        AuditTrail.append(e, "shop", other, theirs, s -> s, log);
        assertFalse(AuditTrail.append(e, "shop", ID, record("d2", "deployed", null), s -> s, log));
        assertTrue(warnings.get(0).contains("belongs to another project of the same name"), warnings.toString());
        assertEquals(List.of(), AuditTrail.read(e, "shop", ID, log));
        assertTrue(warnings.get(1).contains("holds the audit trail of another project"), warnings.toString());
        assertEquals(1, AuditTrail.read(e, "shop", null, log).size(), "given only the name, the trail of that name");
    }

    @Test
    void anEngineWithoutAHelperImageForItsArchitectureWarnsAndTheGoalGoesOn() {
        FakeDockerEngine e = new FakeDockerEngine();
        e.arch = "s390x";
        assertFalse(AuditTrail.append(e, "shop", ID, record("d1", "deployed", null), s -> s, log));
        assertTrue(warnings.get(0).contains("has no helper image"), warnings.toString());
    }
}
