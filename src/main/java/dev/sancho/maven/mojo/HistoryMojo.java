package dev.sancho.maven.mojo;

import dev.sancho.maven.core.History;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints the project's audit trail, newest first: every deploy, rollback, recover and unlock that ran against this
 * engine, from any machine, with its outcome (failed ones marked {@code !}), duration, who ran it (user, host, CI
 * job), the git commit and the images it put in service. The trail lives on the engine (volume
 * {@code <project>_sancho_audit}, the last 1000 records) and outlives {@code keep} and every cleanup. Read-only; the
 * same records as JSON in {@code target/sancho/history.json}. The table is the goal's product: under {@code mvn -q}
 * it goes to standard output. {@code -Dsancho.project=NAME} alone (no compose file needed) shows that project's trail.
 */
@Mojo(name = "history", threadSafe = true)
public class HistoryMojo extends AbstractEngineMojo {

    @Override
    protected void run() {
        boolean named = project != null && !project.isBlank();
        Stack stack = named && (identity == null || identity.isBlank()) ? null : loadStack();
        String projectName = named ? project.trim() : stack.project();
        String owner = stack == null ? null : stack.identity();
        try (DockerEngine engine = connect()) {
            List<Map<String, Object>> records = target().history(engine, projectName, owner, log());
            printProduct(History.render(projectName, engine.address(), target().auditStore(projectName),
                    records));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("goal", "history");
            result.put("target", target().name());
            result.put("project", projectName);
            result.put("records", records);
            writeResult(result);
        }
    }
}
