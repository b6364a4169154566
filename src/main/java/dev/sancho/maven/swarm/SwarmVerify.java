package dev.sancho.maven.swarm;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.core.Verifier;
import dev.sancho.maven.core.VerifyOptions;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import dev.sancho.maven.plan.SwarmConvergence;
import dev.sancho.maven.plan.SwarmSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code sancho:verify} on a swarm: every infrastructure service has its one task running on the node its constraint
 * names, with its volumes in its spec; every application service has converged on the current deploy (every wanted
 * task runs it, healthy); no task of an older deploy is wanted; then the user's probes. The current deploy is the one
 * asked for, else the newest deploy record. An exec probe runs in a running task of its service on the manager sancho
 * talks to (the engine it can exec on); an http probe sends its GET to 127.0.0.1, as on one engine.
 */
final class SwarmVerify {
    private SwarmVerify() {}

    static Verifier.Report verify(DockerEngine engine, Stack stack, VerifyOptions options, Log log) {
        SwarmEngine swarm = engine.swarm();
        SwarmInfos.Node manager = SwarmState.manager(engine, swarm);
        Map<String, SwarmInfos.Node> nodes = swarm.nodes().stream()
                .collect(Collectors.toMap(SwarmInfos.Node::id, Function.identity()));
        String current = options.expectedDeployId() != null ? options.expectedDeployId()
                : DeployRecords.latest(swarm, stack.project()).orElse(null);
        List<Verifier.Check> checks = new ArrayList<>();
        for (StackService s : stack.infrastructure()) {
            String name = SwarmSpecs.serviceName(stack, s);
            Optional<SwarmInfos.Service> svc = swarm.findService(name);
            if (svc.isEmpty()) {
                checks.add(new Verifier.Check(false, "infrastructure", name, "no such service (mvn sancho:deploy"
                        + " creates it)"));
                continue;
            }
            List<SwarmInfos.Task> running = SwarmNodes.wanted(swarm.tasks(name)).stream()
                    .filter(t -> "running".equals(t.state())).toList();
            String pinned = SwarmNodes.pinnedNodeId(svc.get(), nodes);
            List<String> missing = s.service().volumes().stream().filter(m -> "volume".equals(m.type())
                    && m.source() != null).map(m -> stack.volumeNames().getOrDefault(m.source(), m.source()))
                    .filter(v -> !svc.get().volumes().contains(v)).toList();
            boolean onNode = running.size() == 1 && (pinned == null || pinned.equals(running.get(0).nodeId()));
            String where = running.size() == 1 ? "on node " + SwarmNodes.describe(nodes.get(running.get(0).nodeId()),
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
            List<String> older = SwarmNodes.wanted(tasks).stream().filter(t -> !current.equals(t.deployId()))
                    .map(t -> "task " + t.id().substring(0, Math.min(12, t.id().length())) + " of deploy "
                            + t.deployId() + " " + t.state()).toList();
            checks.add(new Verifier.Check(st.converged() && older.isEmpty(), "application", name,
                    st.detail() + (older.isEmpty() ? "" : "; older deploy still wanted: " + String.join(", ", older))));
        }
        for (VerifyOptions.Probe p : options.probes()) {
            checks.add(p instanceof VerifyOptions.ExecProbe e ? execProbe(engine, swarm, stack, manager, current, e,
                    options.maskedVariables()) : Verifier.httpProbe((VerifyOptions.HttpProbe) p));
        }
        Verifier.Report report = new Verifier.Report(stack.project(), checks);
        log.info("sancho:verify on the swarm, project " + stack.project() + ", current deploy " + current);
        report.table().forEach(log::info);
        log.info(report.ok() ? "All " + checks.size() + " checks passed." : report.summary());
        return report;
    }

    /** In a running task of the service on the manager (of the current deploy, for an application service). */
    private static Verifier.Check execProbe(DockerEngine engine, SwarmEngine swarm, Stack stack,
            SwarmInfos.Node manager, String current, VerifyOptions.ExecProbe p, List<String> masked) {
        StackService s = stack.service(p.service()).orElseThrow(() -> new ConfigException("<probes>: exec probe '"
                + p.label() + "': no service " + p.service() + " in " + stack.compose().path().getFileName()));
        String name = SwarmSpecs.serviceName(stack, s);
        Optional<SwarmInfos.Task> task = SwarmNodes.wanted(swarm.tasks(name)).stream()
                .filter(t -> "running".equals(t.state()) && manager.id().equals(t.nodeId()) && t.containerId() != null)
                .filter(t -> s.infra() || current == null || current.equals(t.deployId())).findFirst();
        if (task.isEmpty()) {
            return new Verifier.Check(false, "probe", p.label(), "not run: service " + name + " has no running task"
                    + (s.infra() ? "" : " of deploy " + current) + " on node " + SwarmNodes.describe(manager,
                    manager.id()) + ", the manager sancho talks to (exec probes run there)");
        }
        return Verifier.execIn(engine, stack, task.get().containerId(), name + "." + task.get().slot(), p, masked);
    }
}
