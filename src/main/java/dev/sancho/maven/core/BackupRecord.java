package dev.sancho.maven.core;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One proven backup, as its index file in the backups volume records it ({@code index/<id>.properties}, next to
 * {@code dumps/<id>.dump}). Only a backup whose restore into a throwaway copy passed its check gets an index file:
 * what is listed is proven.
 *
 * @param deployId  the deploy that was current when it was taken (null when none ran): what a restore starts
 * @param container the infrastructure container it was dumped from
 * @param image     the image id of that container
 * @param check     the check's output in the source and in the restored copy (equal), e.g. the number of tables
 */
public record BackupRecord(String id, String service, String container, String image, String kind, String deployId,
        Instant takenAt, long size, String sha256, String check, String reason) {

    public String dumpFile() {
        return Backups.DIR + "/dumps/" + id + ".dump";
    }

    public String indexFile() {
        return Backups.DIR + "/index/" + id + ".properties";
    }

    /** The index file's text. No secret reaches it: ids, names, numbers and a check's output only. */
    public String toProperties() {
        Properties p = new Properties();
        fields().forEach((k, v) -> {
            if (v != null) {
                p.setProperty(k, String.valueOf(v));
            }
        });
        StringWriter out = new StringWriter();
        try {
            p.store(out, "sancho backup (proven)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static BackupRecord parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BackupRecord(p.getProperty("id"), p.getProperty("service"), p.getProperty("container"),
                p.getProperty("image"), p.getProperty("kind"), p.getProperty("deployId"),
                Instant.parse(p.getProperty("takenAt")), Long.parseLong(p.getProperty("size", "0")),
                p.getProperty("sha256"), p.getProperty("check"), p.getProperty("reason"));
    }

    /** The fields in order, for the index file and the goals' JSON results. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("service", service);
        m.put("container", container);
        m.put("image", image);
        m.put("kind", kind);
        m.put("deployId", deployId);
        m.put("takenAt", takenAt.toString());
        m.put("size", size);
        m.put("sha256", sha256);
        m.put("check", check);
        m.put("reason", reason);
        return m;
    }

    /** {@code 12.4 MB}. */
    public String humanSize() {
        return human(size);
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
