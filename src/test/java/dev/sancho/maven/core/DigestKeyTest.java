package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.Digests;
import dev.sancho.maven.plan.Labels;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The project's digest key: created once, read back by every later run, never printed. */
class DigestKeyTest {

    @Test
    void theKeyIsCreatedOnceAndReadBackTheSame() {
        FakeDockerEngine engine = new FakeDockerEngine();
        assertTrue(DigestKey.find(engine, "shop").isEmpty());
        assertEquals(Digests.unsaved(), DigestKey.findOrUnsaved(engine, "shop"));

        Fixtures.RecordingLog log = new Fixtures.RecordingLog();
        Digests first = DigestKey.ensure(engine, "shop", log);
        assertTrue(first.isKeyed());
        assertNotEquals(Digests.unsaved(), first);
        Digests again = DigestKey.ensure(engine, "shop", Log.NONE);
        assertEquals(first, again);
        assertEquals(first, DigestKey.find(engine, "shop").orElseThrow());
        assertEquals(1, engine.calls.stream().filter(c -> c.equals("create volume shop_sancho_digest_key")).count());

        Map<String, String> labels = engine.findVolume("shop_sancho_digest_key").orElseThrow().labels();
        assertEquals("shop", labels.get(Labels.PROJECT));
        assertEquals(Labels.ROLE_DIGEST_KEY, labels.get(Labels.ROLE));
        String key = labels.get(Labels.DIGEST_KEY);
        assertFalse(String.join("\n", log.lines).contains(key), "the key is never printed");
        assertTrue(String.join("\n", log.lines).contains(first.id()), log.lines.toString());
        assertNotEquals(first, DigestKey.ensure(engine, "other", Log.NONE), "one key per project");
    }

    @Test
    void aVolumeOfThatNameWithoutAKeyIsOneLine() {
        FakeDockerEngine engine = new FakeDockerEngine();
        engine.createVolume("shop_sancho_digest_key", "local", Map.of(), Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> DigestKey.ensure(engine, "shop", Log.NONE));
        assertTrue(e.getMessage().startsWith("volume shop_sancho_digest_key exists but holds no digest key of project"
                + " shop"), e.getMessage());
    }
}
