package dev.sancho.maven.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code sancho:history}: the audit trail as a table, newest first, failed runs marked. Pure formatting. */
public final class History {
    static final String FAILED = "!";

    private History() {}

    /** @param store where the trail is kept ({@link Target#auditStore}) */
    public static List<String> render(String project, String address, String store,
            List<Map<String, Object>> records) {
        List<String> out = new ArrayList<>();
        out.add("sancho:history — project " + project + " on " + address + " (" + records.size() + " record"
                + (records.size() == 1 ? "" : "s") + ", newest first, " + FAILED + " = failed; at most "
                + AuditTrail.CAPACITY + " are kept, in " + store + ")");
        if (records.isEmpty()) {
            out.add("  (no records yet: sancho:deploy, rollback, recover and unlock write one each)");
            return out;
        }
        Table t = new Table("  TIME", "GOAL", "DEPLOY", "OUTCOME", "SECONDS", "BY", "CI", "COMMIT", "IMAGES");
        for (Map<String, Object> r : records) {
            boolean failed = "failed".equals(r.get("outcome"));
            t.row((failed ? FAILED + " " : "  ") + time(r.get("time")), text(r.get("goal")), text(r.get("deployId")),
                    text(r.get("outcome")), text(r.get("seconds")), r.get("user") + "@" + r.get("host"), ci(r),
                    commit(r), images(r));
        }
        out.addAll(t.lines());
        return out;
    }

    private static String time(Object t) {
        String s = text(t);
        int dot = s.indexOf('.');
        return dot > 0 && s.endsWith("Z") ? s.substring(0, dot) + "Z" : s;
    }

    private static String ci(Map<String, Object> r) {
        if (!(r.get("ci") instanceof Map<?, ?> ci)) {
            return "-";
        }
        return ci.get("system") + (ci.get("job") == null ? "" : " " + ci.get("job"));
    }

    private static String commit(Map<String, Object> r) {
        if (!(r.get("git") instanceof Map<?, ?> git)) {
            return "-";
        }
        Object c = git.get("commit");
        return Provenance.shortCommit(c == null ? null : c.toString(), String.valueOf(git.get("dirty")));
    }

    private static String images(Map<String, Object> r) {
        if (!(r.get("images") instanceof Map<?, ?> images) || images.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        images.forEach((service, image) -> parts.add(service + "=" + (image instanceof Map<?, ?> m
                ? String.valueOf(m.get("image")) : String.valueOf(image))));
        return String.join(",", parts);
    }

    private static String text(Object o) {
        return o == null ? "-" : o.toString();
    }
}
