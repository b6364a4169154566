package dev.sancho.maven.common;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes secret VALUES from free text: every line sancho logs, every error message, every file it writes passes
 * through one of these at the plugin's boundary. Values are added where they come from (settings.xml servers,
 * secret-named or masked variables, secret files, {@code environment:} secret sources), whatever name they travel
 * under afterwards, and each is replaced by {@link #MASK} wherever it appears.
 *
 * <p>Besides the value itself, the spellings it takes on its way out are removed too: JSON/Go string escaping (an
 * engine error quoting an argv), Compose's {@code $$} for a literal {@code $} and YAML's doubled {@code ''} (the
 * {@code sancho:config} output), URL encoding (a password inside a connection string), and for a multi-line value
 * (a key file) each of its lines.
 *
 * <p>A value shorter than {@link #MIN_LENGTH} characters, and the words {@code true}, {@code false}, {@code null},
 * {@code none}, are not searched for: replacing every "1" or "true" would destroy the text and tell nothing. Such a
 * value is still masked where it is a whole field (an environment entry in {@code sancho:config}). Thread-safe:
 * parallel steps log through the same scrubber.
 */
public final class SecretScrubber {
    public static final String MASK = "******";

    /** Shorter values are not searched for in free text. */
    public static final int MIN_LENGTH = 4;

    private static final Set<String> NOT_SEARCHED = Set.of("true", "false", "null", "none");

    private final Set<String> values = new LinkedHashSet<>();
    /** Every spelling to remove, longest first, so a secret containing another is not left half-masked. */
    private volatile List<String> forms = List.of();

    public SecretScrubber() {}

    public static SecretScrubber of(Collection<String> values) {
        SecretScrubber s = new SecretScrubber();
        s.addAll(values);
        return s;
    }

    public void add(String value) {
        addAll(value == null ? List.of() : List.of(value));
    }

    public synchronized void addAll(Collection<String> more) {
        boolean changed = false;
        for (String v : more) {
            if (v != null && values.add(v)) {
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        Set<String> all = new LinkedHashSet<>();
        for (String v : values) {
            spellings(v, all);
        }
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        forms = List.copyOf(sorted);
    }

    /** True when nothing would be scrubbed. */
    public boolean isEmpty() {
        return forms.isEmpty();
    }

    /** The text with every secret value replaced by {@link #MASK}; null stays null. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String f : forms) {
            if (out.contains(f)) {
                out = out.replace(f, MASK);
            }
        }
        return out;
    }

    /** True when {@code text} holds a secret value in any spelling. */
    public boolean reveals(String text) {
        return text != null && !scrub(text).equals(text);
    }

    private static void spellings(String value, Set<String> out) {
        List<String> bases = new ArrayList<>();
        bases.add(value);
        bases.add(value.strip()); // a secret file's trailing newline
        if (value.indexOf('\n') >= 0) {
            value.lines().map(String::strip).forEach(bases::add);
        }
        for (String b : bases) {
            if (!searchable(b)) {
                continue;
            }
            out.add(b);
            out.add(jsonEscaped(b));
            out.add(b.replace("$", "$$"));
            out.add(b.replace("'", "''"));
            out.add(URLEncoder.encode(b, StandardCharsets.UTF_8));
            out.add(URLEncoder.encode(b, StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }

    static boolean searchable(String value) {
        return value.length() >= MIN_LENGTH && !NOT_SEARCHED.contains(value.toLowerCase(Locale.ROOT));
    }

    /** As JSON and Go's %q write a string's content (without the quotes). */
    static String jsonEscaped(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
