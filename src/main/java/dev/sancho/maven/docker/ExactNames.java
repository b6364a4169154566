package dev.sancho.maven.docker;

import java.util.Collection;

/**
 * Docker's {@code name=} filter is an unanchored regex over names with a leading slash: {@code name=db} also
 * returns {@code xdb_1} and {@code db_old}. Selecting the wrong container here could stop a database, so the
 * engine query is anchored and its answer is checked again, literally.
 */
final class ExactNames {
    private ExactNames() {}

    private static final String REGEX_META = "\\.+*?()|[]{}^$";

    /** The value for Docker's {@code name} filter that matches only {@code name}. */
    static String anchoredFilter(String name) {
        StringBuilder b = new StringBuilder("^/");
        for (char c : name.toCharArray()) {
            if (REGEX_META.indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('$').toString();
    }

    /** True when one of the engine's names (each with a leading slash) is exactly {@code name}. */
    static boolean matches(Collection<String> engineNames, String name) {
        return engineNames != null && engineNames.contains("/" + name);
    }

    /** Docker's name without the leading slash. */
    static String strip(String engineName) {
        return engineName != null && engineName.startsWith("/") ? engineName.substring(1) : engineName;
    }
}
