package dev.sancho.maven.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} with the Docker CLI's semantics (moby patternmatcher and its ignorefile reader): a UTF-8 BOM
 * stripped, {@code #} comments, {@code !} exceptions where the last matching line wins, {@code **} for any number of
 * directories (also none), {@code *} and {@code ?} never crossing a {@code /}, {@code [...]} classes as in Go's
 * regexp ({@code [^a]} negates, {@code [!a]} is the class of {@code !} and {@code a}), and a pattern that matches a
 * directory excluding everything in it. A pattern {@code docker build} rejects is rejected here too.
 *
 * <p>docker-java's own context builder differs (e.g. {@code **}{@code /*.log} keeps a top-level {@code app.log},
 * comment lines become patterns), so a file the user meant to keep out of the image would reach it.
 */
final class DockerIgnore {
    private record Rule(Pattern regex, boolean exception) {}

    private final List<Rule> rules;
    private final Path source;

    private DockerIgnore(List<Rule> rules, Path source) {
        this.rules = rules;
        this.source = source;
    }

    static final DockerIgnore NONE = new DockerIgnore(List.of(), null);

    /** The ignore file in use, null when there is none. */
    Path source() {
        return source;
    }

    /**
     * The ignore file BuildKit uses: {@code <Dockerfile>.dockerignore} beside the Dockerfile when it exists (it then
     * replaces the context's own), else {@code .dockerignore} at the context root.
     */
    static DockerIgnore read(Path contextDir, Path dockerfile) throws IOException {
        if (dockerfile != null) {
            Path specific = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
            if (Files.isRegularFile(specific)) {
                return read(specific);
            }
        }
        Path file = contextDir.resolve(".dockerignore");
        return Files.isRegularFile(file) ? read(file) : NONE;
    }

    private static DockerIgnore read(Path file) throws IOException {
        // Bytes, not readAllLines: bytes that are not UTF-8 are no reason to fail where Docker does not.
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return parse(List.of(text.split("\r?\n", -1)), file);
    }

    static DockerIgnore parse(List<String> lines) {
        return parse(lines, null);
    }

    private static DockerIgnore parse(List<String> lines, Path source) {
        List<Rule> rules = new ArrayList<>();
        int number = 0;
        for (String raw : lines) {
            number++;
            if (number == 1 && raw.startsWith("\uFEFF")) {
                raw = raw.substring(1); // an editor's BOM; Docker strips it from the first line
            }
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
                if (p.isEmpty()) {
                    throw bad(source, number, raw, "an exception needs a pattern after !");
                }
            }
            p = clean(p);
            if (p.length() > 1 && p.startsWith("/")) {
                p = p.substring(1);
            }
            String syntax = GlobSyntax.check(p);
            if (syntax != null) {
                throw bad(source, number, raw, syntax);
            }
            rules.add(new Rule(Pattern.compile(toRegex(p)), exception));
        }
        return new DockerIgnore(List.copyOf(rules), source);
    }

    private static DockerOperationException bad(Path source, int line, String raw, String why) {
        String where = source == null ? ".dockerignore" : source.toString();
        return new DockerOperationException(where + ":" + line + ": bad pattern \"" + raw.trim() + "\" (" + why
                + "); docker build rejects it too");
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

    /**
     * Whether an exception ({@code !...}) could re-include something below an excluded directory, so that the
     * directory must be listed. Rules matching the directory itself or one above it match every path below alike,
     * so only a rule that can match a longer path counts; a regex that did not reach the end of {@code dir/} cannot.
     */
    boolean mayReincludeBelow(String dir) {
        for (Rule rule : rules) {
            if (rule.exception()) {
                Matcher m = rule.regex().matcher(dir + "/");
                if (m.matches() || m.hitEnd()) {
                    return true;
                }
            }
        }
        return false;
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
        int n = pattern.length();
        // patternmatcher's "suffix" match: a leading ** followed by plain text matches any path ending in that text
        // ("**.log" excludes "a/b.log"), not only a name equal to it.
        if (pattern.startsWith("**") && n > 2 && pattern.substring(2).chars().noneMatch(c -> "*?[]\\".indexOf(c) >= 0)) {
            String suffix = pattern.substring(2);
            String re = ".*" + Pattern.quote(suffix);
            if (suffix.startsWith("/")) {
                re += "|" + Pattern.quote(suffix.substring(1));
            }
            return "^(?:" + re + ")$";
        }
        StringBuilder re = new StringBuilder("^");
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
                i = GlobSyntax.appendClass(pattern, i, re);
            } else if (".$+(){}|^]".indexOf(c) >= 0) {
                re.append('\\').append(c);
            } else {
                re.append(c);
            }
        }
        return re.append('$').toString();
    }
}
