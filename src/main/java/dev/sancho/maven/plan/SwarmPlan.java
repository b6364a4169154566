package dev.sancho.maven.plan;

import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What a deploy does on a swarm, as data: printed for a dry run, executed in order by {@code core.SwarmDeployRun}.
 * There is no action that removes or scales down a service, or touches a volume: a plan cannot express it.
 *
 * @param drift    infrastructure services whose spec differs from the file: reported, never applied
 * @param refusals reasons the deploy must not run (nothing is changed when there is one)
 */
public record SwarmPlan(List<Action> actions, List<String> drift, List<String> refusals, List<String> notes) {
    public SwarmPlan {
        actions = List.copyOf(actions);
        drift = List.copyOf(drift);
        refusals = List.copyOf(refusals);
        notes = List.copyOf(notes);
    }

    public sealed interface Action {
        String describe();
    }

    /** An overlay, attachable network the stack uses and the swarm lacks (networks are never removed). */
    public record CreateNetwork(String name) implements Action {
        public String describe() {
            return "create overlay network " + name + " (attachable)";
        }
    }

    /**
     * A secret or config the stack's services refer to and the swarm lacks, named by its content's keyed digest
     * (never updated: a changed value is a new object). The plan shows its name, never its value or a digest.
     */
    public record CreateFile(SwarmServiceSpec.FileRef file, List<String> services) implements Action {
        public CreateFile {
            services = List.copyOf(services);
        }

        public String describe() {
            return "create swarm " + file.kind() + " " + file.name() + " (for " + String.join(", ", services) + ")";
        }
    }

    /** @param node where an infrastructure service is pinned, in words; null for an application service */
    public record CreateService(SwarmServiceSpec spec, boolean infra, String node) implements Action {
        public String describe() {
            return "create " + (infra ? "infrastructure" : "application") + " service " + spec.name() + " ("
                    + spec.image() + ", " + spec.replicas() + " replica" + (spec.replicas() == 1 ? "" : "s")
                    + (infra ? ", pinned to " + node : "") + ")";
        }
    }

    /** An existing infrastructure service, kept exactly as it is. */
    public record AdoptService(SwarmInfos.Service current, String node) implements Action {
        public String describe() {
            return "adopt infrastructure service " + current.name() + " as it is (" + current.image() + ", pinned to "
                    + node + "; never updated, scaled or removed by a deploy)";
        }
    }

    public record UpdateService(SwarmInfos.Service current, SwarmServiceSpec spec) implements Action {
        public String describe() {
            return "update application service " + spec.name() + " to deploy " + spec.labels().get(Labels.DEPLOY_ID)
                    + " (" + spec.image() + ", " + spec.replicas() + " replica" + (spec.replicas() == 1 ? "" : "s")
                    + ", " + spec.update().order() + ", on failure " + spec.update().failureAction()
                    + "; was deploy " + current.deployId() + ")";
        }
    }

    public <T extends Action> List<T> actions(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The plan as the log shows it. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("Plan (swarm):");
        actions.forEach(a -> out.add("  " + a.describe()));
        notes.forEach(n -> out.add("  note: " + n));
        drift.forEach(d -> out.add("  drift (reported, not applied): " + d));
        refusals.forEach(r -> out.add("  REFUSED: " + r));
        return out;
    }
}
