package dev.sancho.maven.swarm;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.core.LockOptions;
import dev.sancho.maven.core.Rollback;
import dev.sancho.maven.core.Timeline;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmSpecsJson;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.SwarmSpecs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code sancho:rollback} on a swarm: re-applies the application specs a kept deploy recorded in the swarm (its
 * config), under the swarm lock, with the deploy's health gate (every task of it running, healthy). The record is
 * written again, so that deploy is the newest afterwards. Infrastructure is not touched. Without a deploy named, the
 * newest kept deploy that is not the one the application services run now, as on one engine.
 */
final class SwarmRollback {
    private SwarmRollback() {}

    /** @param deployId the deploy to go back to; null: the newest kept one older than the current */
    static Rollback.Result run(DockerEngine engine, Stack stack, String deployId, LockOptions lock, Duration health,
            boolean dryRun, Log log) {
        SwarmEngine swarm = engine.swarm();
        SwarmState.manager(engine, swarm);
        String project = stack.project();
        List<SwarmInfos.Config> records = DeployRecords.newestFirst(swarm, project);
        List<String> kept = records.stream().map(DeployRecords::deployId).toList();
        String from = running(swarm, stack);
        String target = deployId != null ? deployId : previous(stack, records, from);
        SwarmInfos.Config record = records.stream().filter(c -> target.equals(DeployRecords.deployId(c)))
                .findFirst().orElseThrow(() -> new CheckFailedException("deploy " + target + " of project " + project
                        + " is not recorded in the swarm (kept: " + String.join(", ", kept) + ")"));
        Map<String, String> specs = SwarmSpecsJson.byName(new String(record.data(), StandardCharsets.UTF_8));
        specs.keySet().forEach(n -> log.info("  update application service " + n + " back to deploy " + target));
        if (dryRun) {
            log.info("[dry-run] nothing was changed");
            return new Rollback.Result(from, target);
        }
        // The one-line timeline, as a deploy's: lock, update (the specs sent), converge, record
        Timeline timeline = new Timeline();
        try {
            try (SwarmLock held = SwarmLock.acquire(swarm, project, stack.identity(), lock, log)) {
                timeline.mark("lock");
                List<String> names = new ArrayList<>();
                specs.forEach((service, json) -> {
                    SwarmInfos.Service current = swarm.findService(service).orElseThrow(() -> new CheckFailedException(
                            "service " + service + " of deploy " + target + " no longer exists: deploy instead"));
                    swarm.updateServiceFromJson(current, json);
                    names.add(service);
                });
                timeline.mark("update");
                try {
                    SwarmAwait.until(swarm, "rollback to " + target, names, target, health, log);
                } finally {
                    timeline.mark("converge");
                }
                DeployRecords.renew(swarm, record);
                timeline.mark("record");
                log.info("Rolled back to deploy " + target + " on the swarm: " + String.join(", ", names));
            }
            timeline.mark("lock");
            log.info(timeline.line("rolled back to " + target));
        } catch (RuntimeException e) {
            timeline.mark("failed");
            log.info(timeline.line("rollback to " + target + " failed", "after"));
            throw e;
        }
        return new Rollback.Result(from, target);
    }

    /**
     * The newest kept deploy older than the one the application services run now (as on one engine, so a repeated
     * rollback walks back): records ordered by when their deploy was made ({@code sancho.deployed-at}, which a
     * rollback's renewal keeps), not by the config's age, which the renewal resets.
     */
    private static String previous(Stack stack, List<SwarmInfos.Config> records, String running) {
        List<SwarmInfos.Config> byDeploy = new ArrayList<>(records);
        byDeploy.sort(Comparator.comparing(SwarmRollback::deployedAt).reversed());
        List<String> kept = byDeploy.stream().map(DeployRecords::deployId).filter(Objects::nonNull).toList();
        String current = running != null ? running : kept.isEmpty() ? null : kept.get(0);
        int at = kept.indexOf(current);
        List<String> older = at < 0 ? kept : kept.subList(at + 1, kept.size());
        return older.stream().findFirst()
                .orElseThrow(() -> new CheckFailedException("no earlier deploy of project " + stack.project()
                        + " is kept in the swarm to roll back to (kept: " + (kept.isEmpty() ? "none"
                        : String.join(", ", kept)) + (current == null ? "" : "; current: " + current) + ")"));
    }

    /** The deploy the application services run, when they all run one; else null. */
    private static String running(SwarmEngine swarm, Stack stack) {
        List<String> running = stack.applications().stream()
                .map(s -> swarm.findService(SwarmSpecs.serviceName(stack, s)).map(SwarmInfos.Service::deployId)
                        .orElse(null))
                .filter(Objects::nonNull).distinct().toList();
        return running.size() == 1 ? running.get(0) : null;
    }

    /** When the record's deploy was made; the config's creation when the label is missing or unreadable. */
    private static Instant deployedAt(SwarmInfos.Config record) {
        try {
            return Instant.parse(record.labels().get(Labels.DEPLOYED_AT));
        } catch (RuntimeException e) {
            return record.createdAt() == null ? Instant.EPOCH : record.createdAt();
        }
    }
}
