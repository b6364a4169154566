package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import dev.sancho.maven.plan.SwarmConvergence;
import dev.sancho.maven.plan.SwarmSpecs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code sancho:verify} on a swarm: every infrastructure service has its one task running on the node its constraint
 * names, with its volumes in its spec; every application service has converged on the current deploy (every wanted
 * task runs it, healthy); no task of an older deploy is wanted. The current deploy is the one asked for, else the
 * newest deploy record.
 */
public final class SwarmVerify {
    private SwarmVerify() {}

    public static Verifier.Report verify(DockerEngine engine, Stack stack, String expected, Log log) {
        SwarmEngine swarm = engine.swarm();
        SwarmDeployRun.manager(engine, swarm);
        Map<String, SwarmInfos.Node> nodes = swarm.nodes().stream()
                .collect(Collectors.toMap(SwarmInfos.Node::id, Function.identity()));
        String current = expected != null ? expected : latestDeploy(swarm, stack.project()).orElse(null);
        List<Verifier.Check> checks = new ArrayList<>();
        for (StackService s : stack.infrastructure()) {
            String name = SwarmSpecs.serviceName(stack, s);
            Optional<SwarmInfos.Service> svc = swarm.findService(name);
            if (svc.isEmpty()) {
                checks.add(new Verifier.Check(false, "infrastructure", name, "no such service (mvn sancho:deploy"
                        + " creates it)"));
                continue;
            }
            List<SwarmInfos.Task> running = wanted(swarm.tasks(name)).stream()
                    .filter(t -> "running".equals(t.state())).toList();
            String pinned = pinnedNodeId(svc.get(), nodes);
            List<String> missing = s.service().volumes().stream().filter(m -> "volume".equals(m.type())
                    && m.source() != null).map(m -> stack.volumeNames().getOrDefault(m.source(), m.source()))
                    .filter(v -> !svc.get().volumes().contains(v)).toList();
            boolean onNode = running.size() == 1 && (pinned == null || pinned.equals(running.get(0).nodeId()));
            String where = running.size() == 1 ? "on node " + describe(nodes.get(running.get(0).nodeId()),
                    running.get(0).nodeId()) : running.size() + "/1 tasks running";
            checks.add(new Verifier.Check(onNode && missing.isEmpty(), "infrastructure", name,
                    (onNode ? "1/1 running " + where : where + (pinned == null ? "" : ", pinned to node " + pinned))
                            + (missing.isEmpty() ? "" : "; volumes not mounted: " + String.join(", ", missing))));
        }
        for (StackService s : stack.applications()) {
            String name = SwarmSpecs.serviceName(stack, s);
            Optional<SwarmInfos.Service> svc = swarm.findService(name);
            if (svc.isEmpty() || current == null) {
                checks.add(new Verifier.Check(false, "application", name, svc.isEmpty() ? "no such service"
                        : "no deploy recorded in the swarm (deploy first, or name it with sancho.expectedDeployId)"));
                continue;
            }
            List<SwarmInfos.Task> tasks = swarm.tasks(name);
            SwarmConvergence.State st = SwarmConvergence.of(svc.get(), tasks, current);
            List<String> older = wanted(tasks).stream().filter(t -> !current.equals(t.deployId()))
                    .map(t -> "task " + t.id().substring(0, Math.min(12, t.id().length())) + " of deploy "
                            + t.deployId() + " " + t.state()).toList();
            checks.add(new Verifier.Check(st.converged() && older.isEmpty(), "application", name,
                    st.detail() + (older.isEmpty() ? "" : "; older deploy still wanted: " + String.join(", ", older))));
        }
        Verifier.Report report = new Verifier.Report(stack.project(), checks);
        log.info("sancho:verify on the swarm, project " + stack.project() + ", current deploy " + current);
        report.table().forEach(log::info);
        log.info(report.ok() ? "All " + checks.size() + " checks passed." : report.summary());
        return report;
    }

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

    /** The deploy id of the newest deploy record. */
    static Optional<String> latestDeploy(SwarmEngine swarm, String project) {
        return records(swarm, project).stream().findFirst().map(c -> c.labels().get("sancho.deploy-id"))
                .filter(Objects::nonNull);
    }

    /** The project's deploy records, newest first. */
    static List<SwarmInfos.Config> records(SwarmEngine swarm, String project) {
        List<SwarmInfos.Config> all = new ArrayList<>(swarm.listConfigs(SwarmDeployRun.historySelector(project)));
        all.sort(Comparator.comparing(SwarmInfos.Config::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .reversed());
        return all;
    }
}
