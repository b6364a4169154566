package dev.sancho.maven.swarm;

import dev.sancho.maven.docker.SwarmInfos;
import java.util.List;
import java.util.Map;

/** Small readings of nodes and tasks that verify and status share. */
final class SwarmNodes {
    private SwarmNodes() {}

    /** The tasks the swarm wants running (not the ones it is shutting down or gave up). */
    static List<SwarmInfos.Task> wanted(List<SwarmInfos.Task> tasks) {
        return tasks.stream().filter(t -> "running".equals(t.desiredState())).toList();
    }

    /** The node id a service's constraints pin it to ({@code node.id==} or {@code node.hostname==}), else null. */
    static String pinnedNodeId(SwarmInfos.Service s, Map<String, SwarmInfos.Node> nodes) {
        for (String c : s.constraints()) {
            String v = c.replace(" ", "");
            if (v.startsWith("node.id==")) {
                return v.substring("node.id==".length());
            }
            if (v.startsWith("node.hostname==")) {
                String host = v.substring("node.hostname==".length());
                return nodes.values().stream().filter(n -> host.equals(n.hostname())).map(SwarmInfos.Node::id)
                        .findFirst().orElse(host);
            }
        }
        return null;
    }

    static String describe(SwarmInfos.Node n, String id) {
        return n == null ? id : n.id() + " (" + n.hostname() + ")";
    }
}
