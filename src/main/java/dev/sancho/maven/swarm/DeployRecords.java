package dev.sancho.maven.swarm;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import dev.sancho.maven.docker.SwarmSpecsJson;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.SwarmPlan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The swarm's deploy history: each deploy's resolved application specs as a swarm config
 * {@code sancho-deploy-<project>-<deployId>}, {@code keep} of them, newest first. Rollback re-applies one.
 */
final class DeployRecords {
    private DeployRecords() {}

    /** The deploy's resolved application specs, as a swarm config; configs of deploys beyond keep are removed. */
    static void write(SwarmEngine swarm, Stack stack, SwarmPlan plan, int keep, Log log) {
        List<SwarmServiceSpec> specs = new ArrayList<>();
        plan.actions(SwarmPlan.CreateService.class).stream().filter(c -> !c.infra()).forEach(c -> specs.add(c.spec()));
        plan.actions(SwarmPlan.UpdateService.class).forEach(u -> specs.add(u.spec()));
        Map<String, String> labels = selector(stack.project());
        labels.put(Labels.DEPLOY_ID, stack.deployId());
        labels.put(Labels.DEPLOYED_AT, Instant.now().toString());
        String name = name(stack.project(), stack.deployId());
        try {
            swarm.findConfig(name).ifPresent(c -> swarm.removeConfig(c.id())); // the same deploy id again
            swarm.createConfig(name, labels, SwarmSpecsJson.of(specs).getBytes(StandardCharsets.UTF_8));
            List<SwarmInfos.Config> kept = newestFirst(swarm, stack.project());
            for (SwarmInfos.Config old : kept.subList(Math.min(Math.max(keep, 1), kept.size()), kept.size())) {
                swarm.removeConfig(old.id());
                log.info("removed the record of deploy " + deployId(old) + " (beyond keep " + keep + ")");
            }
        } catch (RuntimeException e) {
            log.warn("deploy " + stack.deployId() + " is live, but its record in the swarm could not be written: "
                    + e.getMessage());
        }
    }

    /**
     * Writes a record again, as the newest config (a rollback made its deploy current, so keep must not remove it);
     * its {@code sancho.deployed-at} stays the deploy's, so a later rollback still walks back from it.
     */
    static void renew(SwarmEngine swarm, SwarmInfos.Config record) {
        swarm.removeConfig(record.id());
        swarm.createConfig(record.name(), new LinkedHashMap<>(record.labels()), record.data());
    }

    static String name(String project, String deployId) {
        return "sancho-deploy-" + project + "-" + deployId;
    }

    static Map<String, String> selector(String project) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Labels.PROJECT, project);
        m.put(Labels.ROLE, "deploy-record");
        return m;
    }

    static String deployId(SwarmInfos.Config record) {
        return record.labels().get(Labels.DEPLOY_ID);
    }

    /** The deploy id of the newest deploy record. */
    static Optional<String> latest(SwarmEngine swarm, String project) {
        return newestFirst(swarm, project).stream().findFirst().map(DeployRecords::deployId).filter(Objects::nonNull);
    }

    /** The project's deploy records, newest first. */
    static List<SwarmInfos.Config> newestFirst(SwarmEngine swarm, String project) {
        List<SwarmInfos.Config> all = new ArrayList<>(swarm.listConfigs(selector(project)));
        all.sort(Comparator.comparing(SwarmInfos.Config::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .reversed());
        return all;
    }
}
