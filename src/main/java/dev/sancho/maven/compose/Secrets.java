package dev.sancho.maven.compose;

import dev.sancho.maven.common.SecretScrubber;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one rule for which variable NAMES are secret. A name is secret when
 * <ul>
 *   <li>it contains {@code PASSWORD}, {@code PASSWD}, {@code PASSPHRASE}, {@code SECRET} or {@code TOKEN}
 *       (any case: {@code POSTGRES_PASSWORD}, {@code PGPASSWORD}, {@code jwtSecret}, {@code GITHUB_TOKEN}), or</li>
 *   <li>one of its words (split at {@code _ - .} and camelCase) is {@code PASS}, {@code PWD}, {@code KEY} or
 *       {@code KEYS} ({@code SMTP_PASS}, {@code DB_PWD}, {@code STRIPE_API_KEY}, {@code apiKey}, {@code API_KEYS}), or
 *       it ends with one of them ({@code PGPASS}, {@code _APP_DB_PASS}, {@code APIKEY}), or</li>
 *   <li>it is one of the names the user configured ({@code sancho.maskedVariables}, {@code <servers>}).</li>
 * </ul>
 * {@code KEY} inside a word is not a marker ({@code KEYCLOAK_URL}, {@code CASSANDRA_KEYSPACE} are not secret), and
 * the shell's own {@code PWD}/{@code OLDPWD} (the working directory) are not. Anything that prints environment
 * values, configuration or container output goes through here; free text is scrubbed by
 * {@link SecretScrubber}, which also gets the values of secret sources whatever their name.
 */
public final class Secrets {
    private Secrets() {}

    public static final String MASK = SecretScrubber.MASK;

    private static final String[] CONTAINED = {"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN"};
    private static final String[] WORDS = {"PASS", "PWD", "KEY", "KEYS"};
    private static final Set<String> NOT_SECRET = Set.of("PWD", "OLDPWD");

    /** Values shorter than this are not scrubbed from free text: replacing every "a" would destroy the text. */
    static final int MIN_SCRUB_LENGTH = SecretScrubber.MIN_LENGTH;

    public static boolean isSecret(String name, Collection<String> extraNames) {
        if (name == null) {
            return false;
        }
        if (extraNames != null && extraNames.stream().anyMatch(name::equalsIgnoreCase)) {
            return true;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        if (NOT_SECRET.contains(upper)) {
            return false;
        }
        for (String marker : CONTAINED) {
            if (upper.contains(marker)) {
                return true;
            }
        }
        String letters = upper.replaceAll("[^A-Z0-9]", "");
        for (String word : WORDS) {
            if (letters.endsWith(word)) {
                return true;
            }
        }
        for (String word : name.split("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")) {
            String w = word.toUpperCase(Locale.ROOT);
            for (String marker : WORDS) {
                if (w.equals(marker)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The values of {@code variables} whose names are secret ({@link #isSecret}). */
    public static List<String> secretValues(Map<String, String> variables, Collection<String> extraNames) {
        List<String> out = new ArrayList<>();
        if (variables != null) {
            variables.forEach((k, v) -> {
                if (v != null && !v.isEmpty() && isSecret(k, extraNames)) {
                    out.add(v);
                }
            });
        }
        return out;
    }

    /** A copy in the same order with each secret value replaced by {@link #MASK} (null values stay null). */
    public static Map<String, String> mask(Map<String, String> environment, Collection<String> extraNames) {
        Map<String, String> masked = new LinkedHashMap<>();
        environment.forEach((k, v) -> masked.put(k, v != null && isSecret(k, extraNames) ? MASK : v));
        return masked;
    }

    /**
     * Replaces every occurrence of a secret value of {@code environment} in free text (container logs, error
     * messages from the engine) by {@link #MASK}, in every spelling {@link SecretScrubber} knows. Values shorter
     * than 4 characters are left alone.
     */
    public static String scrub(String text, Map<String, String> environment, Collection<String> extraNames) {
        if (text == null) {
            return null;
        }
        return SecretScrubber.of(secretValues(environment, extraNames)).scrub(text);
    }

    /** Secret files larger than this are not read for scrubbing (a key or a password file is far smaller). */
    static final long MAX_SECRET_FILE_BYTES = 64 * 1024;

    /**
     * The secret values the compose file itself carries, whatever the name they end up under: service environment
     * entries and build args with a secret name ({@link #isSecret}), the content of every {@code secrets:} entry of
     * an {@code environment:} source and of every secret {@code file:} (read here, up to 64 KiB).
     */
    public static List<String> valuesOf(ComposeFile compose, Collection<String> extraNames) {
        return valuesOf(compose.services().values(), extraNames);
    }

    /** {@link #valuesOf(ComposeFile, Collection)} of some services. */
    public static List<String> valuesOf(Collection<Service> services, Collection<String> extraNames) {
        List<String> out = new ArrayList<>();
        for (Service svc : services) {
            out.addAll(secretValues(svc.environment(), extraNames));
            if (svc.build() != null) {
                out.addAll(secretValues(svc.build().args(), extraNames));
            }
            for (ServiceOptions.FileMount f : svc.options().secrets()) {
                if (f.content() != null) {
                    out.add(f.content());
                } else if (f.file() != null) {
                    readSmall(java.nio.file.Path.of(f.file())).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    private static java.util.Optional<String> readSmall(java.nio.file.Path file) {
        try {
            if (java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.size(file) <= MAX_SECRET_FILE_BYTES) {
                return java.util.Optional.of(java.nio.file.Files.readString(file,
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not text or not readable: the deploy reports the file itself where it uses it
        }
        return java.util.Optional.empty();
    }
}
