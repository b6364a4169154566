package dev.sancho.maven.plan;

import dev.sancho.maven.docker.SwarmInfos;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether one application service has converged on a deploy: every task the swarm wants running runs this deploy's
 * spec and is running (a task with a healthcheck is {@code starting} until healthy, so running means healthy), as
 * many as the spec asks for, and the swarm's update (if any) completed. Pure.
 */
public final class SwarmConvergence {
    private static final Set<String> ROLLED_BACK = Set.of("rollback_started", "rollback_paused",
            "rollback_completed", "paused");

    private SwarmConvergence() {}

    /** @param failed the swarm gave up on the update (paused or rolled back); {@code detail} says why */
    public record State(boolean converged, boolean failed, boolean rollbackDone, String detail) {}

    /** @param deployId null for an infrastructure service (its spec carries no deploy id): any spec counts */
    public static State of(SwarmInfos.Service service, List<SwarmInfos.Task> tasks, String deployId) {
        if (deployId == null) {
            return infrastructure(service, tasks);
        }
        List<SwarmInfos.Task> wanted = tasks.stream().filter(t -> "running".equals(t.desiredState())).toList();
        long running = wanted.stream().filter(t -> deployId.equals(t.deployId()) && "running".equals(t.state()))
                .count();
        String errors = errors(tasks.stream().filter(t -> deployId.equals(t.deployId())).toList());
        String update = service.updateState();
        // After a rollback the service's spec is the previous one again: a rollback state with this deploy's spec
        // is left over from an earlier deploy (the swarm keeps it until the next update starts).
        boolean ours = deployId.equals(service.deployId());
        if (update != null && ROLLED_BACK.contains(update) && (!ours || "paused".equals(update))) {
            String why = service.updateMessage() == null ? update : update + " (" + service.updateMessage() + ")";
            return new State(false, true, "rollback_completed".equals(update),
                    "service " + service.name() + ": " + why + (errors.isEmpty() ? "" : "; " + errors));
        }
        boolean done = !"updating".equals(update) && running == service.replicas()
                && wanted.size() == service.replicas() && ours;
        String summary = "service " + service.name() + ": " + running + "/" + service.replicas() + " tasks of deploy "
                + deployId + " running" + (update == null ? "" : ", update " + update)
                + (errors.isEmpty() ? "" : "; " + errors);
        return new State(done, false, false, summary);
    }

    private static State infrastructure(SwarmInfos.Service service, List<SwarmInfos.Task> tasks) {
        List<SwarmInfos.Task> wanted = tasks.stream().filter(t -> "running".equals(t.desiredState())).toList();
        long running = wanted.stream().filter(t -> "running".equals(t.state())).count();
        String errors = errors(tasks);
        return new State(running == 1 && wanted.size() == 1, false, false, "service " + service.name() + ": "
                + running + "/1 task running" + (errors.isEmpty() ? "" : "; " + errors));
    }

    /**
     * The tasks that are not running, each with the engine's error, else its status message; at most 3. A task that
     * never became healthy carries no error (the swarm ends it: "complete: finished"), so its state is what tells.
     */
    private static String errors(List<SwarmInfos.Task> tasks) {
        return tasks.stream().filter(t -> t.error() != null && !t.error().isBlank() || !"running".equals(t.state()))
                .map(t -> "task " + shortId(t.id()) + " " + t.state() + ": "
                        + (t.error() != null && !t.error().isBlank() ? t.error() : t.message()))
                .distinct().limit(3).collect(Collectors.joining("; "));
    }

    static String shortId(String id) {
        return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
    }
}
