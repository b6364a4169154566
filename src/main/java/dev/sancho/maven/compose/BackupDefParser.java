package dev.sancho.maven.compose;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a service's {@code x-sancho-backup} into a {@link BackupDef}; a bad value fails with file:line. */
final class BackupDefParser {
    static final String KEY = "x-sancho-backup";
    private static final Set<String> KEYS = Set.of("preset", "dump", "restore", "check", "ready", "keep");
    private static final Set<String> PRESETS = Set.of("postgres", "mysql", "mariadb");
    /** Database and user names go into commands as they are: a name is one word, never a shell fragment. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.$-]*");
    private static final String PG_TABLES = "SELECT count(*) FROM information_schema.tables WHERE table_schema"
            + " NOT IN ('pg_catalog', 'information_schema')";

    private final Source src;

    BackupDefParser(Source src) {
        this.src = src;
    }

    /** @return null when the service has no {@code x-sancho-backup} */
    BackupDef parse(YamlNode.Mapping service, String servicePath, Map<String, String> environment) {
        YamlNode node = service.get(KEY);
        String path = servicePath + "." + KEY;
        if (Source.isNull(node)) {
            return null;
        }
        if (node instanceof YamlNode.Scalar) {
            return preset(node, path, src.text(node, path), environment, BackupDef.DEFAULT_KEEP);
        }
        YamlNode.Mapping m = src.mapping(node, path);
        for (YamlNode.Entry e : m.entries()) {
            if (!KEYS.contains(e.key())) {
                throw src.error(e, path + "." + e.key(), "unknown key (x-sancho-backup takes a preset name, or dump:,"
                        + " restore:, check:, ready:, keep:, preset:)");
            }
        }
        Integer keep = src.integer(m.get("keep"), path + ".keep");
        if (keep != null && keep < 1) {
            throw src.error(m.get("keep"), path + ".keep", "must be 1 or more, found " + keep);
        }
        int k = keep == null ? BackupDef.DEFAULT_KEEP : keep;
        String preset = src.text(m.get("preset"), path + ".preset");
        if (preset != null) {
            BackupDef base = preset(m.get("preset"), path + ".preset", preset, environment, k);
            return new BackupDef(base.kind(), or(command(m, "dump", path), base.dump()),
                    or(command(m, "restore", path), base.restore()), or(command(m, "check", path), base.check()),
                    or(command(m, "ready", path), base.ready()), k, base.atomicRestore() && m.get("restore") == null,
                    node.line());
        }
        List<String> dump = command(m, "dump", path);
        List<String> restore = command(m, "restore", path);
        if (dump == null || restore == null) {
            throw src.error(node, path, "needs both dump: and restore: (exec form, e.g. dump: [pg_dump, -Fc, -U, app]),"
                    + " or a preset: postgres, mysql or mariadb");
        }
        return new BackupDef("custom", dump, restore, command(m, "check", path), command(m, "ready", path), k, false,
                node.line());
    }

    private List<String> command(YamlNode.Mapping m, String key, String path) {
        YamlNode node = m.get(key);
        if (Source.isNull(node)) {
            return null;
        }
        List<String> words;
        if (node instanceof YamlNode.Scalar) {
            try {
                words = ShellWords.split(src.text(node, path + "." + key));
            } catch (IllegalArgumentException e) {
                throw src.error(node, path + "." + key, e.getMessage());
            }
        } else {
            words = src.strings(node, path + "." + key);
        }
        if (words.isEmpty() || words.get(0).isBlank()) {
            throw src.error(node, path + "." + key, "is empty: give the command in exec form, e.g. [pg_dump, -Fc]");
        }
        return words;
    }

    private static List<String> or(List<String> a, List<String> b) {
        return a != null ? a : b;
    }

    private BackupDef preset(YamlNode node, String path, String name, Map<String, String> env, int keep) {
        String p = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!PRESETS.contains(p)) {
            throw src.error(node, path, "unknown backup preset \"" + name + "\": use postgres, mysql or mariadb, or"
                    + " give {dump: [...], restore: [...]}");
        }
        if (p.equals("postgres")) {
            String user = word(node, path, env, "POSTGRES_USER", "postgres");
            String db = word(node, path, env, "POSTGRES_DB", user);
            return new BackupDef("postgres", List.of("pg_dump", "-Fc", "-U", user, "-d", db),
                    // one transaction: a restore that fails leaves the database as it was
                    List.of("pg_restore", "--clean", "--if-exists", "--single-transaction", "-U", user, "-d", db),
                    List.of("psql", "-X", "-q", "-t", "-A", "-U", user, "-d", db, "-c", PG_TABLES),
                    // over TCP: an image's initialisation runs a temporary server on the socket only
                    List.of("pg_isready", "-q", "-h", "127.0.0.1", "-U", user, "-d", db), keep, true, node.line());
        }
        String db = env.get("MARIADB_DATABASE") != null ? word(node, path, env, "MARIADB_DATABASE", null)
                : word(node, path, env, "MYSQL_DATABASE", null);
        if (db == null) {
            throw src.error(node, path, "the " + p + " preset backs up the database named by MYSQL_DATABASE or"
                    + " MARIADB_DATABASE, and the service's environment sets neither");
        }
        // The root password stays in the container: the shell reads it from its environment, never from argv. The
        // database name reaches the shell as "$1", never inside the script: a name may hold a $ the shell would
        // expand. MariaDB 11 images have only the mariadb-* tools, MySQL images only mysql*: the preset's own name
        // first, the other as fallback.
        String login = "MYSQL_PWD=\"${MARIADB_ROOT_PASSWORD:-$MYSQL_ROOT_PASSWORD}\" exec ";
        boolean maria = p.equals("mariadb");
        return new BackupDef(p,
                List.of("sh", "-c", login + tool(maria, "mariadb-dump", "mysqldump") + " -uroot --single-transaction"
                        + " --routines --triggers --events --databases \"$1\"", "sh", db),
                List.of("sh", "-c", login + tool(maria, "mariadb", "mysql") + " -uroot"),
                List.of("sh", "-c", login + tool(maria, "mariadb", "mysql") + " -uroot -N -B -e \"SELECT COUNT(*)"
                        + " FROM information_schema.tables WHERE table_schema = '$1'\"", "sh", db),
                List.of("sh", "-c", login + tool(maria, "mariadb-admin", "mysqladmin")
                        + " -uroot -h127.0.0.1 --protocol=tcp status"), keep, false, node.line());
    }

    /** The client tool under the preset's own name when the image has it, else under the other one. */
    private static String tool(boolean maria, String mariadbName, String mysqlName) {
        String first = maria ? mariadbName : mysqlName;
        return "\"$(command -v " + first + " || echo " + (maria ? mysqlName : mariadbName) + ")\"";
    }

    private String word(YamlNode node, String path, Map<String, String> env, String key, String absent) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            return absent;
        }
        if (!NAME.matcher(v).matches()) {
            throw src.error(node, path, "the service's " + key + " is not a plain name (letters, digits, _ . $ -):"
                    + " give dump: and restore: yourself");
        }
        return v;
    }
}
