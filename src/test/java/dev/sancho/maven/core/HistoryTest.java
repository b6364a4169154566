package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTest {
    @Test
    void aTableNewestFirstWithFailedRunsMarked() {
        Instant t = Instant.parse("2026-03-01T10:00:00.123Z");
        Provenance bob = new Provenance("bob", "runner-1", "github-actions", "987", null,
                "0123456789abcdef0123456789abcdef01234567", false);
        Provenance alice = new Provenance("alice", "laptop", null, null, null, null, null);
        Map<String, Object> failed = AuditTrail.record("deploy", "engine", "shop", "id", "d2", "failed",
                t.plusSeconds(60), t.plusSeconds(75), bob, "boom");
        Map<String, Object> ok = AuditTrail.record("deploy", "engine", "shop", "id", "d1", "deployed", t,
                t.plusMillis(4200), alice, null);
        ok.put("images", Map.of("backend", Map.of("image", "app:1", "id", "sha256:1")));
        List<String> out = History.render("shop", "fake://engine", "volume shop_sancho_audit", List.of(failed, ok));
        assertEquals(List.of(
                "sancho:history — project shop on fake://engine (2 records, newest first, ! = failed; at most 1000 are"
                        + " kept, in volume shop_sancho_audit)",
                "  TIME                  GOAL    DEPLOY  OUTCOME   SECONDS  BY            CI                  COMMIT"
                        + "        IMAGES",
                "! 2026-03-01T10:01:00Z  deploy  d2      failed    15.0     bob@runner-1  github-actions 987"
                        + "  0123456789ab  -",
                "  2026-03-01T10:00:00Z  deploy  d1      deployed  4.2      alice@laptop  -                   -"
                        + "             backend=app:1"), out);
    }
}
