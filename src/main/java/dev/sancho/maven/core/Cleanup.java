package dev.sancho.maven.core;

import dev.sancho.maven.common.Parallel;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Action;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.ProjectIdentity;
import dev.sancho.maven.plan.Retention;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The runbook's {@code pre-deploy-cleanup.sh}: removes this project's app containers that can no longer serve
 * (see {@link Retention}). Never infrastructure, never an unlabelled container, never a volume. Call it while
 * holding the deploy lock (or in a dry run): a deploy in progress has created-but-not-started containers too.
 */
public final class Cleanup {
    private Cleanup() {}

    /** @param removed names removed (or, in a dry run, that would be) */
    /**
     * @param removedDeploys deploys none of whose containers is left (in a dry run: would be left)
     */
    public record Result(List<String> removed, String currentDeploy, List<String> keptDeploys,
            Set<String> removedDeploys) {
        public String summary(boolean dryRun) {
            return "pre-deploy-cleanup: " + (dryRun ? "would remove " : "removed ") + removed.size() + " container"
                    + (removed.size() == 1 ? "" : "s") + (removed.isEmpty() ? "" : " (" + String.join(", ", removed)
                    + ")") + "; current deploy " + (currentDeploy == null ? "none" : currentDeploy)
                    + "; kept deploys " + (keptDeploys.isEmpty() ? "none" : String.join(", ", keptDeploys));
        }
    }

    /** @param identity the project's identity ({@link dev.sancho.maven.plan.ProjectIdentity}); null when unknown */
    public static Result run(DockerEngine engine, String project, String identity, Set<String> infraNames, int keep,
            boolean dryRun, Log log) {
        List<ContainerInfo> apps = engine.listContainers(Labels.appSelector(project)).stream()
                .filter(c -> ProjectIdentity.belongs(c.label(Labels.IDENTITY), identity)).toList();
        List<Action.RemoveContainer> removals = Retention.cleanup(project, identity, infraNames, apps, keep);
        // Removals are independent engine calls: in parallel (200 stale containers took 21 s one by one). Each one
        // is still re-inspected and checked by Safety on its own; the summary keeps the plan's order.
        String[] done = new String[removals.size()];
        List<Integer> indices = java.util.stream.IntStream.range(0, removals.size()).boxed().toList();
        Parallel.run(indices, i -> {
            Action.RemoveContainer r = removals.get(i);
            if (dryRun) {
                log.info("  would remove " + r.what());
                done[i] = r.name();
            } else if (Executor.remove(engine, r, project, identity, infraNames)) {
                done[i] = r.name();
                log.info("  removed " + r.what());
            }
        });
        List<String> removed = new ArrayList<>();
        Set<String> removedDeploys = new java.util.LinkedHashSet<>();
        for (int i = 0; i < done.length; i++) {
            if (done[i] != null) {
                removed.add(done[i]);
                String deployId = removals.get(i).container().label(Labels.DEPLOY_ID);
                if (deployId != null) {
                    removedDeploys.add(deployId);
                }
            }
        }
        Set<String> removedIds = new java.util.HashSet<>();
        removals.forEach(r -> removedIds.add(r.container().id()));
        List<ContainerInfo> left = apps.stream().filter(c -> !removedIds.contains(c.id())).toList();
        // a deploy is gone only when none of its containers is left (a leftover removed beside a running one is not)
        left.forEach(c -> removedDeploys.remove(c.label(Labels.DEPLOY_ID)));
        DeployHistory history = DeployHistory.of(left);
        String current = history.current().map(DeployHistory.Deploy::id).orElse(null);
        List<String> kept = history.inactive().stream().map(DeployHistory.Deploy::id).toList();
        return new Result(removed, current, kept, removedDeploys);
    }
}
