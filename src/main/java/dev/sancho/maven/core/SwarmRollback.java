package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmSpecsJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sancho:rollback -Dsancho.deployId=X} on a swarm: re-applies the application specs deploy X recorded in the
 * swarm (its config), under the swarm lock, with the deploy's health gate (every task of X running, healthy). The
 * record is written again, so X is the newest deploy afterwards. Infrastructure is not touched.
 */
public final class SwarmRollback {
    private SwarmRollback() {}

    public static void run(DockerEngine engine, String project, String deployId, LockOptions lock, Duration health,
            boolean dryRun, Log log) {
        SwarmEngine swarm = engine.swarm();
        SwarmDeployRun.manager(engine, swarm);
        String name = SwarmDeployRun.historyName(project, deployId);
        SwarmInfos.Config record = swarm.findConfig(name).orElseThrow(() -> new CheckFailedException("deploy "
                + deployId + " of project " + project + " is not recorded in the swarm (kept: " + String.join(", ",
                SwarmVerify.records(swarm, project).stream().map(c -> c.labels().get("sancho.deploy-id")).toList())
                + ")"));
        Map<String, String> specs = SwarmSpecsJson.byName(new String(record.data(), StandardCharsets.UTF_8));
        specs.keySet().forEach(n -> log.info("  update application service " + n + " back to deploy " + deployId));
        if (dryRun) {
            log.info("[dry-run] nothing was changed");
            return;
        }
        // The one-line timeline, as a deploy's: lock, update (the specs sent), converge, record
        Timeline timeline = new Timeline();
        try {
            try (SwarmLock held = SwarmLock.acquire(swarm, project, lock, log)) {
                timeline.mark("lock");
                List<String> names = new ArrayList<>();
                specs.forEach((service, json) -> {
                    SwarmInfos.Service current = swarm.findService(service).orElseThrow(() -> new CheckFailedException(
                            "service " + service + " of deploy " + deployId + " no longer exists: deploy instead"));
                    swarm.updateServiceFromJson(current, json);
                    names.add(service);
                });
                timeline.mark("update");
                try {
                    SwarmDeployRun.await(swarm, "rollback to " + deployId, names, deployId, health, log);
                } finally {
                    timeline.mark("converge");
                }
                Map<String, String> labels = new LinkedHashMap<>(record.labels());
                labels.put("sancho.deployed-at", Instant.now().toString());
                swarm.removeConfig(record.id());
                swarm.createConfig(name, labels, record.data());
                timeline.mark("record");
                log.info("Rolled back to deploy " + deployId + " on the swarm: " + String.join(", ", names));
            }
            timeline.mark("lock");
            log.info(timeline.line("rolled back to " + deployId));
        } catch (RuntimeException e) {
            timeline.mark("failed");
            log.info(timeline.line("rollback to " + deployId + " failed", "after"));
            throw e;
        }
    }
}
