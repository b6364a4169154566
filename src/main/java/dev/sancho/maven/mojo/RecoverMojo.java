package dev.sancho.maven.mojo;

import dev.sancho.maven.core.Recovery;
import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.docker.EngineUnreachableException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Emergency recovery: recreates MISSING infrastructure containers from the compose file on their existing
 * volumes, starts them and waits until they are ready. Never touches an existing container. Refuses when a data
 * volume is missing (it would start an empty database) unless {@code -Dsancho.allowEmptyVolume}.
 */
@Mojo(name = "recover", threadSafe = true)
public class RecoverMojo extends AbstractChangingMojo {

    /** Create a missing data volume EMPTY and recover onto it, instead of refusing. */
    @Parameter(property = "sancho.allowEmptyVolume", defaultValue = "false")
    protected boolean allowEmptyVolume;

    /**
     * Start a recreated proxy even when its certificate store (e.g. {@code ./letsencrypt}) is missing or empty;
     * without it, such a proxy is created but not started (it would request every certificate again).
     */
    @Parameter(property = "sancho.allowEmptyCertificates", defaultValue = "false")
    protected boolean allowEmptyCertificates;

    /** How long a recreated container may take to become healthy (seconds or a duration). */
    @Parameter(property = "sancho.healthTimeout", defaultValue = Readiness.HEALTH_TIMEOUT)
    protected String healthTimeout;

    /** Without a healthcheck: how long a container must stay running to count as ready (seconds or a duration). */
    @Parameter(property = "sancho.minReadySeconds", defaultValue = Readiness.MIN_READY)
    protected String minReadySeconds;

    @Override
    protected void run() {
        Instant started = Instant.now();
        Recovery.Options options = new Recovery.Options(allowEmptyVolume, dryRun,
                Readiness.healthTimeout(healthTimeout),
                Readiness.minReady(minReadySeconds), maskedVariables(), allowEmptyCertificates);
        Stack stack = loadStack();
        try (DockerEngine engine = connect()) {
            List<String> recreated;
            try {
                recreated = target().recover(engine, stack, options, log());
            } catch (RuntimeException e) {
                Map<String, Object> failed = ResultFile.recover(target().name(), stack.project(), "failed", List.of(),
                        e.getMessage());
                if (!dryRun && !(e instanceof EngineUnreachableException)) {
                    failed.put("audit", audit(engine, stack.project(), stack.identity(), null, "failed", started,
                            e.getMessage(), Map.of("recreated", List.of())));
                }
                writeResult(failed);
                throw e;
            }
            String outcome = dryRun ? "dry-run" : recreated.isEmpty() ? "nothing-to-do" : "recovered";
            Map<String, Object> done = ResultFile.recover(target().name(), stack.project(), outcome, recreated, null);
            if (!dryRun) {
                done.put("audit", audit(engine, stack.project(), stack.identity(), null, outcome, started, null,
                        Map.of("recreated", List.copyOf(recreated))));
            }
            writeResult(done);
        }
    }
}
