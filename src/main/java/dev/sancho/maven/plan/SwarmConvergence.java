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

    /**
     * Task errors that waiting cannot fix: the swarm rejects every new task for the same reason (a bind source that
     * is not on the node, an image no node has and no registry serves, a placement no node satisfies).
     */
    private static final List<String> PERMANENT = List.of("bind source path does not exist", "invalid mount config",
            "no such image", "no suitable node", "pull access denied", "manifest unknown",
            "repository does not exist");

    /**
     * @param failed    the swarm gave up on the update (paused or rolled back); {@code detail} says why
     * @param permanent a task of this deploy (any task, for infrastructure) that the swarm wants running was rejected
     *                  for a reason waiting cannot fix: that one line, else null
     */
    public record State(boolean converged, boolean failed, boolean rollbackDone, String detail, String permanent) {
        public State(boolean converged, boolean failed, boolean rollbackDone, String detail) {
            this(converged, failed, rollbackDone, detail, null);
        }
    }

    /** @param deployId null for an infrastructure service (its spec carries no deploy id): any spec counts */
    public static State of(SwarmInfos.Service service, List<SwarmInfos.Task> tasks, String deployId) {
        if (deployId == null) {
            return infrastructure(service, tasks);
        }
        List<SwarmInfos.Task> wanted = tasks.stream().filter(t -> "running".equals(t.desiredState())).toList();
        long running = wanted.stream().filter(t -> deployId.equals(t.deployId()) && "running".equals(t.state()))
                .count();
        String errors = errors(tasks.stream().filter(t -> deployId.equals(t.deployId())).toList());
        String permanent = permanent(service, tasks.stream().filter(t -> deployId.equals(t.deployId())).toList());
        String update = service.updateState();
        // After a rollback the service's spec is the previous one again: a rollback state with this deploy's spec
        // is left over from an earlier deploy (the swarm keeps it until the next update starts).
        boolean ours = deployId.equals(service.deployId());
        if (update != null && ROLLED_BACK.contains(update) && (!ours || "paused".equals(update))) {
            String why = service.updateMessage() == null ? update : update + " (" + service.updateMessage() + ")";
            return new State(false, true, "rollback_completed".equals(update),
                    "service " + service.name() + ": " + why + (errors.isEmpty() ? "" : "; " + errors), permanent);
        }
        boolean done = !"updating".equals(update) && running == service.replicas()
                && wanted.size() == service.replicas() && ours;
        String summary = "service " + service.name() + ": " + running + "/" + service.replicas() + " tasks of deploy "
                + deployId + " running" + (update == null ? "" : ", update " + update)
                + (errors.isEmpty() ? "" : "; " + errors);
        return new State(done, false, false, summary, done ? null : permanent);
    }

    private static State infrastructure(SwarmInfos.Service service, List<SwarmInfos.Task> tasks) {
        List<SwarmInfos.Task> wanted = tasks.stream().filter(t -> "running".equals(t.desiredState())).toList();
        long running = wanted.stream().filter(t -> "running".equals(t.state())).count();
        String errors = errors(tasks);
        boolean done = running == 1 && wanted.size() == 1;
        return new State(done, false, false, "service " + service.name() + ": "
                + running + "/1 task running" + (errors.isEmpty() ? "" : "; " + errors),
                done ? null : permanent(service, tasks));
    }

    /**
     * The newest task error that waiting cannot fix ({@link #PERMANENT}), as one line naming the service, the task
     * and its node; null when there is none. Only tasks not running count: a running task was not rejected.
     */
    public static String permanent(SwarmInfos.Service service, List<SwarmInfos.Task> tasks) {
        for (int i = tasks.size() - 1; i >= 0; i--) {
            SwarmInfos.Task t = tasks.get(i);
            if ("running".equals(t.state())) {
                continue;
            }
            for (String why : new String[] {t.error(), t.message()}) {
                if (why != null && PERMANENT.stream().anyMatch(p -> why.toLowerCase(java.util.Locale.ROOT)
                        .contains(p))) {
                    return "service " + service.name() + ": task " + shortId(t.id()) + " " + t.state()
                            + (t.nodeId() == null ? "" : " on node " + shortId(t.nodeId())) + ": " + why.strip();
                }
            }
        }
        return null;
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
