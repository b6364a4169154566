package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Durations, shell words and the secret rule: small, but every goal relies on them. */
class SmallPartsTest {

    @Test
    void durationsAreGoDurations() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofNanos(1500), Durations.parse("1us500ns"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertEquals("\"1 minute\" is not a duration; write it like 30s, 1m30s, 500ms or 2h",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("1 minute")).getMessage());
        assertEquals("\"10\" is not a duration; write it like 30s, 1m30s, 500ms or 2h (a unit is required)",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("10")).getMessage());
    }

    @Test
    void shellWordsSplitLikeCompose() {
        assertEquals(List.of("sh", "-c", "echo \"$HOME\" && exit 1"),
                ShellWords.split("sh -c 'echo \"$HOME\" && exit 1'"));
        assertEquals(List.of("a b", "c\"d", "e f", ""), ShellWords.split("\"a b\" \"c\\\"d\" e\\ f ''"));
        assertEquals(List.of(), ShellWords.split("   "));
        assertEquals("the ' quote opened in the command is never closed",
                assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo 'oops")).getMessage());
    }

    @Test
    void secretNamesContainPasswordSecretTokenOrKeyOrAreConfigured() {
        for (String name : List.of("POSTGRES_PASSWORD", "db_password", "JWT_SECRET", "GITHUB_TOKEN", "STRIPE_API_KEY",
                "AWS_SECRET_ACCESS_KEY", "keystore_key", "PGPASSWORD", "MYSQL_ROOT_PASSWD", "SSH_PASSPHRASE",
                // the *_PASS / *PASS forms of real stacks (issue 23)
                "PG_PASS", "SMTP_PASS", "_APP_DB_PASS", "PGPASS", "DBPASS", "DB_PWD", "API_KEY", "APIKEY", "apiKey",
                "redisPass", "SECRET_KEY_BASE", "KEY", "jwtSecret", "MINIO_ROOT_PASS_FILE", "API_KEYS", "APIKEYS")) {
            assertTrue(Secrets.isSecret(name, List.of()), name);
        }
        for (String name : List.of("POSTGRES_USER", "SERVER_PORT", "SPRING_PROFILES_ACTIVE", "KEYCLOAK_URL",
                "CASSANDRA_KEYSPACE", "PASSENGER_APP_ENV", "COMPASS_URL", "PWD", "OLDPWD", "HOSTNAME",
                "DATABASE_URL")) {
            assertFalse(Secrets.isSecret(name, List.of()), name);
        }
        assertTrue(Secrets.isSecret("SMTP_PASS", List.of("smtp_pass")));
        assertFalse(Secrets.isSecret(null, List.of()));
    }

    @Test
    void maskKeepsOrderAndNullsAndScrubRemovesSecretsFromText() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("USER", "maestro");
        env.put("PASSWORD", "maestro-pw");
        env.put("API_TOKEN", null);
        env.put("PIN_KEY", "123");
        Map<String, String> masked = Secrets.mask(env, List.of());
        assertEquals(List.of("USER", "PASSWORD", "API_TOKEN", "PIN_KEY"), List.copyOf(masked.keySet()));
        assertEquals("maestro", masked.get("USER"));
        assertEquals(Secrets.MASK, masked.get("PASSWORD"));
        assertEquals(null, masked.get("API_TOKEN"));
        assertEquals(Secrets.MASK, masked.get("PIN_KEY"));

        assertEquals("FATAL: password authentication failed for maestro using ****** (pin 123)", Secrets.scrub(
                "FATAL: password authentication failed for maestro using maestro-pw (pin 123)", env, List.of()));
    }
}
