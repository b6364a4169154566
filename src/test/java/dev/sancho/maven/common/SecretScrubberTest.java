package dev.sancho.maven.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {

    @Test
    void aValueIsScrubbedWhereverItIsWhateverSurroundsIt() {
        SecretScrubber s = SecretScrubber.of(List.of("Summer2024!"));
        assertEquals("DATABASE_URL=postgres://app:******@db/shop", s.scrub("DATABASE_URL=postgres://app:Summer2024!@db/shop"));
        assertEquals("sh -c 'pg_isready --password=******' ******", s.scrub("sh -c 'pg_isready --password=Summer2024!' Summer2024!"));
        assertEquals("nothing here", s.scrub("nothing here"));
        assertEquals(null, s.scrub(null));
    }

    @Test
    void theSpellingsAValueTakesOnItsWayOutAreScrubbedToo() {
        SecretScrubber s = SecretScrubber.of(List.of("p@ss \"w$rd'x"));
        assertEquals("json ******", s.scrub("json p@ss \\\"w$rd'x"), "JSON / Go %q escaping (an engine error)");
        assertEquals("compose ******", s.scrub("compose p@ss \"w$$rd'x"), "$$ in sancho:config output");
        assertEquals("yaml '******'", s.scrub("yaml 'p@ss \"w$rd''x'"), "YAML single quotes");
        assertEquals("url ******", s.scrub("url p%40ss+%22w%24rd%27x"), "URL-encoded (form)");
        assertEquals("url ******", s.scrub("url p%40ss%20%22w%24rd%27x"), "URL-encoded (path)");
    }

    @Test
    void aMultiLineSecretFileIsScrubbedWholeAndLineByLine() {
        String key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\nAASCBKcwggSjAgEAAoIBAQC7\n"
                + "-----END PRIVATE KEY-----\n";
        SecretScrubber s = SecretScrubber.of(List.of(key, "hunter22\n"));
        assertEquals("[******]", s.scrub("[" + key + "]"));
        assertEquals("line 2: ******", s.scrub("line 2: AASCBKcwggSjAgEAAoIBAQC7"));
        assertEquals("pw ******.", s.scrub("pw hunter22."), "a file's trailing newline is not part of the value");
    }

    @Test
    void shortValuesAndBooleanWordsAreNotSearchedForInFreeText() {
        SecretScrubber s = SecretScrubber.of(List.of("abc", "1", "true", "None", ""));
        assertTrue(s.isEmpty());
        assertEquals("image abc:1 enabled=true None", s.scrub("image abc:1 enabled=true None"));
        assertFalse(SecretScrubber.searchable("abc"));
        assertTrue(SecretScrubber.searchable("abcd"));
    }

    @Test
    void theLongestValueWinsSoNothingIsLeftHalfMasked() {
        SecretScrubber s = SecretScrubber.of(List.of("s3cret", "s3cret-and-more"));
        assertEquals("x ****** y ******", s.scrub("x s3cret-and-more y s3cret"));
    }

    @Test
    void valuesAddedLaterApplyToLaterTextAndAddingIsThreadSafe() throws Exception {
        SecretScrubber s = new SecretScrubber();
        assertEquals("k-00000 here", s.scrub("k-00000 here"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 200; i++) {
            int n = i;
            pool.submit(() -> {
                s.add(String.format("k-%05d", n));
                s.scrub("k-00000");
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals("****** ****** here", s.scrub("k-00000 k-00199 here"));
        assertTrue(s.reveals("x k-00042"));
        assertFalse(s.reveals("x k-00200"));
    }
}
