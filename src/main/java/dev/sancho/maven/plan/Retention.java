package dev.sancho.maven.plan;

import dev.sancho.maven.docker.ContainerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which app containers pre-deploy-cleanup removes. Pure. Only this project's app containers are considered and
 * each passes {@link Safety}; running containers are never selected.
 * <ul>
 * <li>created but never started: leftovers of a failed or interrupted deploy (the deploy lock guarantees no
 * deploy is creating them right now);</li>
 * <li>exited/dead containers of deploys beyond the {@code keep} newest stopped ones (see
 * {@link DeployHistory#inactive});</li>
 * <li>interrupted deploys (a service of theirs has no container, {@link DeployHistory.Deploy#missingServices}):
 * never a rollback target, so they do not count as kept.</li>
 * </ul>
 */
public final class Retention {
    private Retention() {}

    /** @param identity the project's identity ({@link ProjectIdentity}); null when unknown */
    public static List<Action.RemoveContainer> cleanup(String project, String identity, Set<String> infraNames,
            List<ContainerInfo> containers, int keep) {
        List<Action.RemoveContainer> out = new ArrayList<>();
        List<ContainerInfo> started = new ArrayList<>();
        for (ContainerInfo c : containers) {
            if (!Safety.removable(c, project, identity, infraNames)) {
                continue;
            }
            if ("created".equals(c.state())) {
                out.add(new Action.RemoveContainer(c, "created but never started: leftover of deploy "
                        + c.label(Labels.DEPLOY_ID)));
            } else {
                started.add(c);
            }
        }
        for (Verdict v : judge(DeployHistory.of(started).inactive(), keep)) {
            if (v.removeReason() != null) {
                v.deploy().containers().forEach(c -> out.add(new Action.RemoveContainer(c, v.removeReason())));
            }
        }
        return out;
    }

    /**
     * Only the leftovers of failed or interrupted deploys (created but never started, or a deploy with a service
     * missing), every complete deploy kept whatever {@code keep} says: what a rollback clears once its target serves,
     * so that a killed deploy does not stay beside the kept ones until the next deploy.
     */
    public static List<Action.RemoveContainer> leftovers(String project, String identity, Set<String> infraNames,
            List<ContainerInfo> containers) {
        return cleanup(project, identity, infraNames, containers, Integer.MAX_VALUE);
    }

    /** @param removeReason null when the deploy is kept */
    public record Verdict(DeployHistory.Deploy deploy, String removeReason) {}

    /**
     * The one retention rule, for the deploy's own retention and for pre-deploy-cleanup: of the given deploys
     * (newest first, none of them current), the {@code keep} newest complete ones stay; interrupted ones and
     * older ones go.
     */
    public static List<Verdict> judge(List<DeployHistory.Deploy> deploys, int keep) {
        List<Verdict> out = new ArrayList<>();
        int kept = 0;
        for (DeployHistory.Deploy d : deploys) {
            List<String> missing = d.missingServices();
            if (!missing.isEmpty()) {
                out.add(new Verdict(d, "deploy " + d.id() + " was interrupted (no " + String.join(", ", missing)
                        + " container): not a rollback target"));
            } else if (kept < keep) {
                kept++;
                out.add(new Verdict(d, null));
            } else {
                out.add(new Verdict(d, "deploy " + d.id() + " is beyond keep=" + keep));
            }
        }
        return out;
    }
}
