package dev.sancho.maven.swarm;

import dev.sancho.maven.core.Table;

import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import dev.sancho.maven.plan.SwarmSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code sancho:status} on a swarm: nodes, the stack's services, their tasks per node, and the recorded deploys. */
final class SwarmStatus {
    private SwarmStatus() {}

    static List<String> render(DockerEngine engine, Stack stack) {
        SwarmEngine swarm = engine.swarm();
        SwarmInfos.Node self = SwarmState.manager(engine, swarm);
        List<SwarmInfos.Node> nodes = swarm.nodes();
        Map<String, SwarmInfos.Node> byId = nodes.stream().collect(Collectors.toMap(SwarmInfos.Node::id,
                Function.identity()));
        List<String> out = new ArrayList<>();
        out.add("sancho:status — project " + stack.project() + " on the swarm of " + engine.address());
        Table n = new Table("NODE", "HOSTNAME", "ROLE", "STATE", "AVAILABILITY", "ADDRESS", "");
        nodes.forEach(x -> n.row(x.id(), x.hostname(), x.role(), x.state(), x.availability(), x.address(),
                x.id().equals(self.id()) ? "sancho talks to this one" : ""));
        out.add("Nodes:");
        out.addAll(n.lines());
        Table s = new Table("SERVICE", "ROLE", "IMAGE", "DEPLOY", "RUNNING", "UPDATE", "PINNED");
        Map<String, List<String>> perNode = new TreeMap<>();
        for (StackService svc : stack.services()) {
            String name = SwarmSpecs.serviceName(stack, svc);
            var found = swarm.findService(name);
            if (found.isEmpty()) {
                s.row(name, svc.role().label(), "-", "-", "absent", "-", "-");
                continue;
            }
            SwarmInfos.Service x = found.get();
            List<SwarmInfos.Task> wanted = SwarmNodes.wanted(swarm.tasks(name));
            long running = wanted.stream().filter(t -> "running".equals(t.state())).count();
            String pinned = SwarmNodes.pinnedNodeId(x, byId);
            s.row(name, svc.role().label(), x.image(), x.deployId() == null ? "-" : x.deployId(),
                    running + "/" + x.replicas(), x.updateState() == null ? "-" : x.updateState(),
                    pinned == null ? "-" : SwarmNodes.describe(byId.get(pinned), pinned));
            wanted.forEach(t -> perNode.computeIfAbsent(SwarmNodes.describe(byId.get(t.nodeId()), t.nodeId()),
                    k -> new ArrayList<>()).add(name + "." + t.slot() + " " + t.state()
                    + (t.deployId() == null ? "" : " (deploy " + t.deployId() + ")")));
        }
        out.add("Services:");
        out.addAll(s.lines());
        out.add("Tasks per node:");
        perNode.forEach((node, tasks) -> out.add("  " + node + ": " + String.join(", ", tasks)));
        Table d = new Table("DEPLOY", "DEPLOYED AT", "RECORD");
        List<SwarmInfos.Config> records = DeployRecords.newestFirst(swarm, stack.project());
        records.forEach(c -> d.row(c.labels().get(Labels.DEPLOY_ID), c.labels().get(Labels.DEPLOYED_AT), c.name()));
        out.add("Deploys (newest first):");
        out.addAll(records.isEmpty() ? List.of("  none recorded") : d.lines());
        return out;
    }
}
