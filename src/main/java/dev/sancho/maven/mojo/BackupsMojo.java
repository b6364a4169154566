package dev.sancho.maven.mojo;

import dev.sancho.maven.core.BackupRecord;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Lists the project's proven backups (newest first): id, service, the deploy current when it was taken, time, size
 * and SHA-256; also as JSON in {@code target/sancho/backups.json}. Changes nothing.
 */
@Mojo(name = "backups", threadSafe = true)
public class BackupsMojo extends AbstractEngineMojo {

    @Override
    protected void run() {
        Stack stack = loadStack();
        try (DockerEngine engine = connect()) {
            List<BackupRecord> all = target().backups(engine, stack, log());
            if (all.isEmpty()) {
                getLog().info("Project " + stack.project() + " has no proven backup (mvn sancho:backup takes one)");
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "SERVICE", "DEPLOY", "TAKEN", "SIZE", "SHA-256", "REASON"});
                for (BackupRecord b : all) {
                    rows.add(new String[] {b.id(), b.service(), String.valueOf(b.deployId()), b.takenAt().toString(),
                        b.humanSize(), b.sha256().substring(0, 12), String.valueOf(b.reason())});
                }
                int[] width = new int[rows.get(0).length];
                rows.forEach(r -> {
                    for (int i = 0; i < r.length; i++) {
                        width[i] = Math.max(width[i], r[i].length());
                    }
                });
                for (String[] r : rows) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < r.length; i++) {
                        line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
                    }
                    getLog().info(scrub(line.toString().stripTrailing()));
                }
            }
            writeResult(result("backups", target().name(), stack.project(), "listed", all, null));
        }
    }

    static Map<String, Object> result(String goal, String target, String project, String outcome,
            List<BackupRecord> backups, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("goal", goal);
        m.put("target", target);
        m.put("project", project);
        m.put("outcome", outcome);
        List<Object> list = new ArrayList<>();
        backups.forEach(b -> list.add(b.fields()));
        m.put("backups", list);
        m.put("error", error);
        return m;
    }
}
