package dev.sancho.maven.compose;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Compose Spec interpolation: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}},
 * {@code ${VAR:?error}}, {@code ${VAR?error}}, {@code ${VAR:+alternative}}, {@code ${VAR+alternative}}, nesting
 * ({@code ${A:-${B}}}) and {@code $$} for a literal {@code $}. The colon forms treat an empty value like an unset
 * one. A default or alternative is only interpolated when it is used, as in Compose.
 *
 * <p>Names with a dot, such as {@code ${project.version}}, are not Compose variables (Compose rejects them); they
 * are read from Maven's project properties instead ({@code project.version}, {@code project.artifactId}, the
 * pom's {@code <properties>}). A name is a Maven property when it contains a dot and either is a known property
 * ({@code ${spring-boot.version}}) or its first dot comes before any {@code -}; it then runs up to the first
 * {@code :}, {@code ?} or {@code +}. So {@code ${DOMAIN-example.com}} keeps its Compose meaning (default
 * "example.com"), and a property default is written {@code ${git.commit.id:-unknown}}.
 *
 * <p>Compose never runs shell commands: {@code $(...)} is an error when it would be used.
 */
public final class Interpolator {

    /**
     * What is wrong with one value; the caller adds file, line and path. It names a position in the value, never a
     * part of it: the value may be a secret ({@code DB_PASSWORD=Xy7$(cat)Qz}).
     */
    public static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message);
        }
    }

    /** Defaults within defaults ({@code ${A:-${B:-...}}}) deeper than this are refused: no file needs them. */
    static final int MAX_NESTING = 64;

    private final Function<String, String> variables;
    private final Map<String, String> properties;
    private final Consumer<String> onUnset;
    private int depth;

    /**
     * @param variables  name -> value, null when unset
     * @param properties Maven properties for dotted names
     * @param onUnset    told the name of each plain {@code $VAR}/{@code ${VAR}} that is unset (Compose warns and
     *                   uses an empty string)
     */
    public Interpolator(Function<String, String> variables, Map<String, String> properties, Consumer<String> onUnset) {
        this.variables = variables;
        this.properties = properties == null ? Map.of() : properties;
        this.onUnset = onUnset;
    }

    /** @throws Problem when the template is malformed or a required variable is missing */
    public String apply(String template) {
        return substitute(template, null, 0);
    }

    /**
     * The variable names a template refers to in any form (including inside defaults), without resolving
     * anything. {@code $$VAR} is not a reference. Malformed parts are skipped.
     */
    public static Set<String> variablesIn(String template) {
        Set<String> names = new LinkedHashSet<>();
        collect(template, names, 0);
        return names;
    }

    private static void collect(String s, Set<String> names, int depth) {
        if (depth > MAX_NESTING) {
            return; // apply() refuses such a template
        }
        int i = 0;
        while (i < s.length()) {
            int dollar = s.indexOf('$', i);
            if (dollar < 0 || dollar + 1 >= s.length()) {
                return;
            }
            char next = s.charAt(dollar + 1);
            if (next == '$') {
                i = dollar + 2;
            } else if (next == '{') {
                int close = closingBrace(s, dollar + 2);
                if (close < 0) {
                    return;
                }
                Braced b = Braced.parse(s.substring(dollar + 2, close), name -> false);
                if (b != null) {
                    names.add(b.name);
                    collect(b.word, names, depth + 1);
                }
                i = close + 1;
            } else if (isNameStart(next)) {
                int end = nameEnd(s, dollar + 1);
                names.add(s.substring(dollar + 1, end));
                i = end;
            } else {
                i = dollar + 1;
            }
        }
    }

    /**
     * @param defaultOf the variable whose default is being interpolated, for a clearer $(...) message
     * @param base      where {@code s} starts in the whole value, for the positions in messages
     */
    private String substitute(String s, String defaultOf, int base) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                int close = closingBrace(s, i + 2);
                if (close < 0) {
                    throw new Problem("invalid interpolation at character " + (base + i + 1) + " of the value: a ${"
                            + " without its closing }");
                }
                out.append(braced(s.substring(i + 2, close), base + i));
                i = close + 1;
            } else if (isNameStart(next)) {
                int end = nameEnd(s, i + 1);
                out.append(plain(s.substring(i + 1, end)));
                i = end;
            } else if (next == '(') {
                throw commandSubstitution(base + i, defaultOf);
            } else {
                throw new Problem("invalid interpolation at character " + (base + i + 1) + " of the value: a $ must"
                        + " start a variable ($VAR or ${VAR}); write $$ for a literal $");
            }
        }
        return out.toString();
    }

    /** @param at where the {@code $} of this {@code ${...}} is in the whole value */
    private String braced(String content, int at) {
        if (++depth > MAX_NESTING) {
            throw new Problem("interpolation nested deeper than " + MAX_NESTING + " levels (${A:-${B:-...}})");
        }
        try {
            return bracedAt(content, at);
        } finally {
            depth--;
        }
    }

    private String bracedAt(String content, int at) {
        Braced b = Braced.parse(content, properties::containsKey);
        if (b == null) {
            throw new Problem("invalid interpolation at character " + (at + 1) + " of the value: expected ${VAR},"
                    + " ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alternative} or"
                    + " ${VAR+alternative}");
        }
        int word = at + 2 + content.length() - b.word.length();
        String value = lookup(b.name, b.op);
        boolean set = value != null;
        boolean nonEmpty = set && !value.isEmpty();
        return switch (b.op) {
            case "" -> value != null ? value : unset(b.name);
            case ":-" -> nonEmpty ? value : substitute(b.word, b.name, word);
            case "-" -> set ? value : substitute(b.word, b.name, word);
            case ":+" -> nonEmpty ? substitute(b.word, null, word) : "";
            case "+" -> set ? substitute(b.word, null, word) : "";
            case ":?", "?" -> {
                if (b.op.equals(":?") ? nonEmpty : set) {
                    yield value;
                }
                String why = b.word.isEmpty() ? "" : ": " + b.word;
                throw new Problem("required variable " + b.name + " is missing a value" + why);
            }
            default -> throw new IllegalStateException(b.op);
        };
    }

    private String plain(String name) {
        String value = variables.apply(name);
        return value != null ? value : unset(name);
    }

    private String lookup(String name, String op) {
        if (name.indexOf('.') < 0) {
            return variables.apply(name);
        }
        String value = properties.get(name);
        if (value == null && op.isEmpty()) {
            throw new Problem("${" + name + "} is not a Maven project property (known: project.groupId,"
                    + " project.artifactId, project.version, project.name and the pom's <properties>)");
        }
        return value;
    }

    private String unset(String name) {
        if (name.indexOf('.') < 0) {
            onUnset.accept(name);
        }
        return "";
    }

    private static Problem commandSubstitution(int at, String defaultOf) {
        if (defaultOf != null) {
            return new Problem(defaultOf + " is not set and its default is a shell command ($( at character "
                    + (at + 1) + " of the value); Compose never runs commands. Set " + defaultOf + ", or use"
                    + " ${DEPLOY_ID}, which sancho always sets to the deploy id (choose it with"
                    + " -Dsancho.deployId=...)");
        }
        return new Problem("a shell command substitution $( at character " + (at + 1) + " of the value; Compose never"
                + " runs commands. Write $$( to pass a literal $( to the container");
    }

    /** Index of the } closing a ${ whose content starts at {@code from}, honouring nested ${...}; -1 if none. */
    private static int closingBrace(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '$') {
                i++;
            } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    private static int nameEnd(String s, int from) {
        int i = from;
        while (i < s.length() && isNamePart(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The inside of ${...}: a name, an operator ("" for none) and the word after it. Null when malformed. */
    private record Braced(String name, String op, String word) {
        static Braced parse(String content, Predicate<String> isProperty) {
            if (content.isEmpty() || !isNameStart(content.charAt(0))) {
                return null;
            }
            int end = nameEnd(content, 0);
            int token = end;
            while (token < content.length() && (isNamePart(content.charAt(token)) || ".-".indexOf(content.charAt(token)) >= 0)) {
                token++;
            }
            if (content.substring(0, token).indexOf('.') > 0 && isProperty.test(content.substring(0, token))) {
                end = token;
            } else if (end < content.length() && content.charAt(end) == '.') {
                while (end < content.length() && ":?+}".indexOf(content.charAt(end)) < 0) {
                    end++;
                }
            }
            String name = content.substring(0, end);
            String rest = content.substring(end);
            for (String op : new String[] {":-", ":?", ":+", "-", "?", "+"}) {
                if (rest.startsWith(op)) {
                    return new Braced(name, op, rest.substring(op.length()));
                }
            }
            return rest.isEmpty() ? new Braced(name, "", "") : null;
        }
    }
}
