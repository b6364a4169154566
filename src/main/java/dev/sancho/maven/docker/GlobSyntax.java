package dev.sancho.maven.docker;

/**
 * The syntax Go's {@code filepath.Match} accepts, which moby's patternmatcher checks every {@code .dockerignore} line
 * against, and its character classes: {@code [} optionally {@code ^} (negation; {@code !} is a plain character, as
 * in Go's regexp that moby matches with), then one or more characters or {@code lo-hi} ranges, each possibly
 * {@code \}-escaped, then {@code ]}.
 */
final class GlobSyntax {
    private GlobSyntax() {}

    /** @return why the pattern is malformed, or null when Docker accepts it */
    static String check(String pattern) {
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (++i >= n) {
                    return "a trailing \\ escapes nothing";
                }
            } else if (c == '[') {
                try {
                    i = appendClass(pattern, i, null);
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            }
        }
        return null;
    }

    /**
     * Parses the class starting at {@code open} (a {@code [}), appending it as a Java regex class when {@code re} is
     * not null.
     *
     * @return the index of its closing {@code ]}
     * @throws IllegalArgumentException why the class is malformed
     */
    static int appendClass(String p, int open, StringBuilder re) {
        int i = open + 1;
        int n = p.length();
        if (re != null) {
            re.append('[');
        }
        if (i < n && p.charAt(i) == '^') {
            i++;
            if (re != null) {
                re.append('^');
            }
        }
        int ranges = 0;
        while (true) {
            if (i >= n) {
                throw new IllegalArgumentException("a [ without its ]");
            }
            if (p.charAt(i) == ']' && ranges > 0) {
                if (re != null) {
                    re.append(']');
                }
                return i;
            }
            int[] lo = escaped(p, i);
            i = lo[1];
            int hi = lo[0];
            if (i < n && p.charAt(i) == '-') {
                int[] h = escaped(p, i + 1);
                hi = h[0];
                i = h[1];
                if (hi < lo[0]) {
                    throw new IllegalArgumentException("the range " + new String(Character.toChars(lo[0])) + "-"
                            + new String(Character.toChars(hi)) + " is backwards");
                }
            }
            if (re != null) {
                re.append(String.format("\\x{%x}", lo[0]));
                if (hi != lo[0]) {
                    re.append(String.format("-\\x{%x}", hi));
                }
            }
            ranges++;
        }
    }

    /** Go's getEsc: one class character, maybe escaped; a bare - or ] (or nothing) is an error. */
    private static int[] escaped(String p, int i) {
        int n = p.length();
        if (i >= n || p.charAt(i) == '-' || p.charAt(i) == ']') {
            throw new IllegalArgumentException(i >= n ? "a [ without its ]"
                    : "a character class needs a character before " + p.charAt(i));
        }
        if (p.charAt(i) == '\\') {
            i++;
            if (i >= n) {
                throw new IllegalArgumentException("a [ without its ]");
            }
        }
        int cp = p.codePointAt(i);
        return new int[] {cp, i + Character.charCount(cp)};
    }
}
