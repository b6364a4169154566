package dev.sancho.maven.compose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads {@code .env} and {@code env_file} files exactly as Compose does (compose-go's {@code dotenv} parser, whose
 * fixtures {@code DotEnvTest} follows case by case):
 * <ul>
 *   <li>{@code KEY=value} or {@code KEY: value}, optional {@code export }, blanks around the separator; a key is
 *       letters, digits, {@code _ . - [ ]}; a key that starts with a digit (or an empty one) is read and dropped,
 *       as compose-go's reader does; a bare {@code KEY} line takes the value from the environment, or stays unset;</li>
 *   <li>{@code #} starts a comment at the start of a statement; an unquoted value ends at the line end or at
 *       {@code " #"}, and is trimmed on the right;</li>
 *   <li>single quotes are literal but for {@code \'}; double quotes understand {@code \a \b \f \n \r \t \v \\ \"
 *       \$ \0NNN}, keep any other backslash, and may span lines;</li>
 *   <li>unquoted and double-quoted values are interpolated ({@code ${OTHER}}): the given lookup (sancho's builtins,
 *       the environment) first, then earlier lines of the file.</li>
 * </ul>
 * Errors name {@code file:line} and never quote a value.
 */
final class DotEnv {
    private DotEnv() {}

    /**
     * @param file   the file name for messages
     * @param lookup values for interpolation and bare keys, before earlier lines of the file (null when unset)
     */
    static Map<String, String> parse(String text, String file, Function<String, String> lookup) {
        Map<String, String> result = new LinkedHashMap<>();
        new Parser(normalize(text), file, lookup, result).run();
        // compose-go reads these and drops them: no interpolation or container could use them
        result.keySet().removeIf(k -> k.isEmpty() || Character.isDigit(k.codePointAt(0)));
        return result;
    }

    private static String normalize(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static final class Parser {
        private final String src;
        private final String file;
        private final Function<String, String> lookup;
        private final Map<String, String> out;
        private final Interpolator interpolator;
        private int pos;
        private int line = 1;

        Parser(String src, String file, Function<String, String> lookup, Map<String, String> out) {
            this.src = src;
            this.file = file;
            this.lookup = lookup;
            this.out = out;
            this.interpolator = new Interpolator(name -> {
                String v = lookup.apply(name);
                return v != null ? v : out.get(name);
            }, Map.of(), name -> {});
        }

        void run() {
            while (statementStart()) {
                int keyLine = line;
                String key = key();
                if (key == null) { // a bare KEY line
                    continue;
                }
                if (key.indexOf(' ') >= 0) {
                    throw error(keyLine, spaceInKey(key));
                }
                out.put(key, value(key, keyLine));
            }
        }

        /** Skips blanks and comment lines; false at the end of the text. */
        private boolean statementStart() {
            while (true) {
                while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                    if (src.charAt(pos) == '\n') {
                        line++;
                    }
                    pos++;
                }
                if (pos >= src.length()) {
                    return false;
                }
                if (src.charAt(pos) != '#') {
                    return true;
                }
                int nl = src.indexOf('\n', pos);
                if (nl < 0) {
                    pos = src.length();
                    return false;
                }
                pos = nl;
            }
        }

        /**
         * The key and its separator; null for a bare {@code KEY} line (its value taken from the lookup, when there).
         */
        private String key() {
            if (src.startsWith("export", pos) && pos + 6 < src.length() && isSpace(src.charAt(pos + 6))) {
                pos += 6;
                while (pos < src.length() && isSpace(src.charAt(pos))) {
                    pos++;
                }
            }
            int start = pos;
            int i = pos;
            while (i < src.length()) {
                int cp = src.codePointAt(i);
                if (cp == '=' || cp == ':' || cp == '\n') {
                    String key = src.substring(start, i).stripTrailing();
                    pos = i + 1;
                    if (cp == '\n') {
                        if (key.indexOf(' ') < 0) {
                            line++;
                            inherit(key);
                            return null;
                        }
                        return key; // the caller reports the space
                    }
                    while (pos < src.length() && isSpace(src.charAt(pos))) {
                        pos++;
                    }
                    return key;
                }
                if (!isSpace(cp) && !Character.isLetterOrDigit(cp) && "_.-[]".indexOf(cp) < 0) {
                    throw error(line, "unexpected character " + quoted(cp) + " in the variable name \""
                            + src.substring(start, i) + "\" (a key is letters, digits, '_', '.', '-', '[' or ']')");
                }
                i += Character.charCount(cp);
            }
            // the last line, a key without separator or line end: taken from the environment like a bare KEY
            String key = src.substring(start).stripTrailing();
            pos = src.length();
            if (key.indexOf(' ') >= 0) {
                throw error(line, spaceInKey(key));
            }
            inherit(key);
            return null;
        }

        private void inherit(String key) {
            String value = lookup.apply(key);
            if (value != null) {
                out.put(key, value);
            }
        }

        private String value(String key, int keyLine) {
            char quote = pos < src.length() ? src.charAt(pos) : 0;
            if (quote != '\'' && quote != '"') {
                int nl = src.indexOf('\n', pos);
                String value = nl < 0 ? src.substring(pos) : src.substring(pos, nl);
                pos = nl < 0 ? src.length() : nl + 1;
                line++;
                int comment = value.indexOf(" #");
                if (comment >= 0) {
                    value = value.substring(0, comment);
                }
                return interpolate(value.stripTrailing(), key, keyLine);
            }
            boolean escaped = false;
            StringBuilder chars = new StringBuilder();
            for (int i = pos + 1; i < src.length(); i++) {
                char c = src.charAt(i);
                if (c == '\n') {
                    line++;
                }
                if (c != quote) {
                    if (!escaped && c == '\\') {
                        escaped = true;
                        continue;
                    }
                    if (escaped) {
                        escaped = false;
                        chars.append('\\');
                    }
                    chars.append(c);
                    continue;
                }
                if (escaped) { // \" or \' (whichever quotes the value)
                    escaped = false;
                    chars.append(c);
                    continue;
                }
                pos = i + 1;
                return quote == '"' ? interpolate(expandEscapes(chars.toString()), key, keyLine) : chars.toString();
            }
            throw error(keyLine, "the value of " + key + " opens a " + quote + " quote that is never closed");
        }

        private String interpolate(String value, String key, int keyLine) {
            try {
                return interpolator.apply(value);
            } catch (Interpolator.Problem e) {
                throw new ComposeException(file, keyLine, key, e.getMessage());
            }
        }

        private ComposeException error(int at, String problem) {
            return new ComposeException(file, at, null, problem);
        }
    }

    /**
     * The escapes of a double-quoted value, as compose-go expands them: {@code \a \b \f \n \r \t \v \\ \"}, an octal
     * {@code \0NNN}, and {@code \$}, which stays a literal {@code $} (written {@code $$} for the interpolation that
     * follows); any other backslash is kept as it is.
     */
    static String expandEscapes(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(i + 1);
            String simple = switch (n) {
                case 'a' -> "\u0007";
                case 'b' -> "\b";
                case 'f' -> "\f";
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case 'v' -> "\u000B";
                case '\\' -> "\\";
                case '"' -> "\"";
                case '$' -> "$$";
                default -> null;
            };
            if (simple != null) {
                out.append(simple);
                i++;
                continue;
            }
            if (n == '0') {
                int end = i + 2;
                while (end < s.length() && end < i + 5 && Character.isDigit(s.charAt(end))) {
                    end++;
                }
                String digits = s.substring(i + 2, end);
                i = end - 1;
                // compose-go rewrites \0NNN as Go's \NNN: three octal digits up to 377 give that byte; anything
                // else keeps the text without its 0
                if (digits.matches("[0-7]{3}") && Integer.parseInt(digits, 8) <= 0xFF) {
                    out.append((char) Integer.parseInt(digits, 8));
                } else {
                    out.append('\\').append(digits);
                }
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String spaceInKey(String key) {
        return "expected KEY=VALUE, found the key \"" + key + "\", which contains a space";
    }

    private static boolean isSpace(int c) {
        return c == '\t' || c == 0x0B || c == '\f' || c == '\r' || c == ' ' || c == 0x85 || c == 0xA0;
    }

    private static String quoted(int cp) {
        return "'" + new String(Character.toChars(cp)) + "'";
    }
}
