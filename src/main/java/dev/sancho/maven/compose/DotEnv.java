package dev.sancho.maven.compose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads {@code .env} and {@code env_file} files like Compose: {@code KEY=value} lines, optional {@code export},
 * {@code #} comments, blank lines; unquoted values are trimmed and end at {@code " #"}; single-quoted values are
 * literal; double-quoted values understand {@code \n \t \" \\ \$} and may span lines. Unquoted and double-quoted
 * values are interpolated ({@code ${OTHER}}) against earlier lines, then the given lookup.
 */
final class DotEnv {
    private DotEnv() {}

    /**
     * @param file   the file name for messages
     * @param lookup values for interpolation that are not defined earlier in the file (null when unset)
     */
    static Map<String, String> parse(String text, String file, Function<String, String> lookup) {
        Map<String, String> result = new LinkedHashMap<>();
        Interpolator interpolator = new Interpolator(
                name -> result.containsKey(name) ? result.get(name) : lookup.apply(name), Map.of(), name -> {});
        String[] lines = normalize(text).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip();
            if (!isKey(key)) {
                // Only the part before '=' is quoted back: the rest may be a secret.
                String found = eq < 0 ? "a line without '='" : "the key \"" + key + "\"";
                throw new ComposeException(file, lineNo, null, "expected KEY=VALUE, found " + found
                        + "; a key is letters, digits, '_', '.' or '-' and does not start with a digit");
            }
            if (eq < 0) {
                // Compose: a bare KEY takes its value from the environment, or stays unset.
                String fromEnv = lookup.apply(key);
                if (fromEnv != null) {
                    result.put(key, fromEnv);
                }
                continue;
            }
            String raw = line.substring(eq + 1).stripLeading();
            char quote = raw.isEmpty() ? 0 : raw.charAt(0);
            String value;
            try {
                if (quote == '\'' || quote == '"') {
                    StringBuilder quoted = new StringBuilder(raw.substring(1));
                    int close;
                    while ((close = closingQuote(quoted, quote)) < 0) {
                        if (++i >= lines.length) {
                            throw new ComposeException(file, lineNo, null,
                                    "the value of " + key + " opens a " + quote + " quote that is never closed");
                        }
                        quoted.append('\n').append(lines[i]);
                    }
                    String body = quoted.substring(0, close);
                    value = quote == '\'' ? body : interpolator.apply(unescape(body));
                } else {
                    int comment = raw.indexOf(" #");
                    value = interpolator.apply((comment < 0 ? raw : raw.substring(0, comment)).strip());
                }
            } catch (Interpolator.Problem e) {
                throw new ComposeException(file, lineNo, key, e.getMessage());
            }
            result.put(key, value);
        }
        return result;
    }

    private static String normalize(String text) {
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static boolean isKey(String key) {
        return key.matches("[A-Za-z_.-][A-Za-z0-9_.-]*");
    }

    private static int closingQuote(CharSequence s, char quote) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quote == '"') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    /** Escapes are resolved before interpolation; \$ survives as $$ so it stays a literal $. */
    private static String unescape(String body) {
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 == body.length()) {
                out.append(c);
                continue;
            }
            char n = body.charAt(++i);
            switch (n) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '$' -> out.append("$$");
                case '"', '\\' -> out.append(n);
                default -> out.append('\\').append(n);
            }
        }
        return out.toString();
    }
}
