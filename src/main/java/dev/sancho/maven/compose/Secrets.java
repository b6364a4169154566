package dev.sancho.maven.compose;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one rule for which values are secret. An environment variable is secret when its name contains
 * PASSWORD, SECRET, TOKEN or KEY (any case), or equals one of the extra names the user configured
 * ({@code sancho.maskedVariables}). Anything that prints environment values, configuration or container output
 * goes through here.
 */
public final class Secrets {
    private Secrets() {}

    public static final String MASK = "******";

    private static final String[] MARKERS = {"PASSWORD", "SECRET", "TOKEN", "KEY"};

    /** Values shorter than this are not scrubbed from free text: replacing every "a" would destroy the text. */
    static final int MIN_SCRUB_LENGTH = 4;

    public static boolean isSecret(String name, Collection<String> extraNames) {
        if (name == null) {
            return false;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        for (String marker : MARKERS) {
            if (upper.contains(marker)) {
                return true;
            }
        }
        return extraNames != null && extraNames.stream().anyMatch(name::equalsIgnoreCase);
    }

    /** A copy in the same order with each secret value replaced by {@link #MASK} (null values stay null). */
    public static Map<String, String> mask(Map<String, String> environment, Collection<String> extraNames) {
        Map<String, String> masked = new LinkedHashMap<>();
        environment.forEach((k, v) -> masked.put(k, v != null && isSecret(k, extraNames) ? MASK : v));
        return masked;
    }

    /**
     * Replaces every occurrence of a secret value of {@code environment} in free text (container logs, error
     * messages from the engine) by {@link #MASK}. Values shorter than 4 characters are left alone.
     */
    public static String scrub(String text, Map<String, String> environment, Collection<String> extraNames) {
        if (text == null) {
            return null;
        }
        // Longest first, so a secret that contains another one is not left half-masked.
        List<String> secrets = environment.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue().length() >= MIN_SCRUB_LENGTH)
                .filter(e -> isSecret(e.getKey(), extraNames))
                .map(Map.Entry::getValue)
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }
}
