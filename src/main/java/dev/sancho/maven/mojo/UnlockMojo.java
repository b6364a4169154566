package dev.sancho.maven.mojo;

import dev.sancho.maven.core.DeployLock;
import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.core.DeployLock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Releases the project's deploy lock by hand (after a deploy was killed on another machine) and says who held
 * it. Use it only when that deploy is really gone. {@code -Dsancho.dryRun} only says who holds it.
 */
@Mojo(name = "unlock", threadSafe = true)
public class UnlockMojo extends AbstractChangingMojo {

    @Override
    protected void run() {
        boolean named = project != null && !project.isBlank();
        // given only the project's name (e.g. outside the project), a lock of any identity of that name is released
        Stack stack = named && (identity == null || identity.isBlank()) ? null : loadStack();
        String projectName = named ? project.trim() : stack.project();
        String owner = stack == null ? null : stack.identity();
        try (DockerEngine engine = connect()) {
            Instant now = Instant.now();
            if (dryRun) {
                Optional<DeployLock.Holder> held = target().lockHolder(engine, projectName);
                held.ifPresentOrElse(
                        h -> getLog().info("[dry-run] would release the deploy lock of project " + projectName
                                + ", held by " + h.describe(now) + "; nothing was changed"),
                        () -> getLog().info("[dry-run] no deploy lock is held for project " + projectName
                                + "; nothing was changed"));
                writeResult(ResultFile.unlock(target().name(), projectName, held.isPresent() ? "dry-run" : "not-held",
                        held.map(h -> h.describe(now)).orElse(null)));
                return;
            }
            Optional<DeployLock.Holder> released = target().unlock(engine, projectName, owner);
            released.ifPresentOrElse(
                    h -> getLog().info("Released the deploy lock of project " + projectName + ", held by "
                            + h.describe(now)),
                    () -> getLog().info("No deploy lock is held for project " + projectName));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("released", released.map(h -> h.describe(now)).orElse(null));
            Map<String, Object> record = audit(engine, projectName, owner, null,
                    released.isPresent() ? "unlocked" : "no-lock", now, null, extra);
            Map<String, Object> result = ResultFile.unlock(target().name(), projectName,
                    released.isPresent() ? "released" : "not-held", released.map(h -> h.describe(now)).orElse(null));
            result.put("audit", record);
            writeResult(result);
        }
    }
}
