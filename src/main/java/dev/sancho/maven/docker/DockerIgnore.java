package dev.sancho.maven.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} with the Docker CLI's semantics (moby patternmatcher): {@code #} comments, {@code !}
 * exceptions where the last matching line wins, {@code **} for any number of directories (also none), {@code *}
 * and {@code ?} never crossing a {@code /}, and a pattern that matches a directory excluding everything in it.
 *
 * <p>docker-java's own context builder differs (e.g. {@code **}{@code /*.log} keeps a top-level {@code app.log},
 * comment lines become patterns), so a file the user meant to keep out of the image would reach it.
 */
final class DockerIgnore {
    private record Rule(Pattern regex, boolean exception) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    static final DockerIgnore NONE = new DockerIgnore(List.of());

    static DockerIgnore read(Path contextDir) throws IOException {
        Path file = contextDir.resolve(".dockerignore");
        return Files.isRegularFile(file) ? parse(Files.readAllLines(file, StandardCharsets.UTF_8)) : NONE;
    }

    static DockerIgnore parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            if (raw.startsWith("#")) {
                continue;
            }
            String p = raw.trim();
            if (p.isEmpty()) {
                continue;
            }
            boolean exception = p.startsWith("!");
            if (exception) {
                p = p.substring(1).trim();
            }
            p = clean(p);
            if (p.length() > 1 && p.startsWith("/")) {
                p = p.substring(1);
            }
            rules.add(new Rule(Pattern.compile(toRegex(p)), exception));
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /**
     * @param relative path inside the context with {@code /} separators, no leading {@code ./}
     * @return true when the file (or a directory it is in) is excluded
     */
    boolean excludes(String relative) {
        boolean excluded = false;
        int slash = relative.lastIndexOf('/');
        String[] parents = slash < 0 ? new String[0] : relative.substring(0, slash).split("/");
        for (Rule rule : rules) {
            // An exception can only re-include what is excluded so far, and vice versa.
            if (rule.exception() != excluded) {
                continue;
            }
            boolean match = rule.regex().matcher(relative).matches();
            StringBuilder parent = new StringBuilder();
            for (int i = 0; !match && i < parents.length; i++) {
                parent.append(i == 0 ? "" : "/").append(parents[i]);
                match = rule.regex().matcher(parent).matches();
            }
            if (match) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    /** Go's filepath.Clean for slash-separated paths. */
    static String clean(String path) {
        boolean absolute = path.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                } else if (!absolute) {
                    out.add(part);
                }
                continue;
            }
            out.add(part);
        }
        String joined = String.join("/", out);
        return absolute ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    static String toRegex(String pattern) {
        StringBuilder re = new StringBuilder("^");
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < n && pattern.charAt(i + 1) == '/') {
                        i++;
                    }
                    re.append(i + 1 >= n ? ".*" : "(.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '\\') {
                if (i + 1 < n) {
                    re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                } else {
                    re.append("\\\\");
                }
            } else if (c == '[') {
                // a character class as in Go's filepath.Match: [!x] and [^x] negate
                int end = pattern.indexOf(']', i + 1);
                if (end < 0) {
                    re.append("\\[");
                    continue;
                }
                String body = pattern.substring(i + 1, end);
                if (body.startsWith("!")) {
                    body = "^" + body.substring(1);
                }
                re.append('[').append(body.replace("[", "\\[")).append(']');
                i = end;
            } else if (".$+(){}|^]".indexOf(c) >= 0) {
                re.append('\\').append(c);
            } else {
                re.append(c);
            }
        }
        return re.append('$').toString();
    }
}
