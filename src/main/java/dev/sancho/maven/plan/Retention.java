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
 * {@link DeployHistory#inactive}).</li>
 * </ul>
 */
public final class Retention {
    private Retention() {}

    public static List<Action.RemoveContainer> cleanup(String project, Set<String> infraNames,
            List<ContainerInfo> containers, int keep) {
        List<Action.RemoveContainer> out = new ArrayList<>();
        List<ContainerInfo> started = new ArrayList<>();
        for (ContainerInfo c : containers) {
            if (!Safety.removable(c, project, infraNames)) {
                continue;
            }
            if ("created".equals(c.state())) {
                out.add(new Action.RemoveContainer(c, "created but never started: leftover of deploy "
                        + c.label(Labels.DEPLOY_ID)));
            } else {
                started.add(c);
            }
        }
        List<DeployHistory.Deploy> kept = DeployHistory.of(started).inactive();
        for (int i = keep; i < kept.size(); i++) {
            DeployHistory.Deploy d = kept.get(i);
            for (ContainerInfo c : d.containers()) {
                out.add(new Action.RemoveContainer(c, "deploy " + d.id() + " is beyond keep=" + keep));
            }
        }
        return out;
    }
}
