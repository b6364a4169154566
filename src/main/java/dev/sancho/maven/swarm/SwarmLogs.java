package dev.sancho.maven.swarm;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.core.Logs;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Role;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code sancho:logs} on a swarm: the service logs ({@code docker service logs}) of the current deploy's app services,
 * or of the one named by {@code service}. The services are chosen by sancho's labels (project, role, service) and the
 * current deploy's id, never by a name pattern. Each line is prefixed {@code <service>-<slot> | } (the task's slot is
 * its replica number) and passes the build's secret scrubber, as on one engine. Only the tasks the swarm wants
 * running for the current deploy are shown, as on one engine only the current deploy's containers are: lines of a
 * replaced task, or of an earlier deploy's (kept in the swarm's task history, a rolled-back-to deploy's old tasks
 * included), are left out ({@code docker service logs} shows them).
 */
final class SwarmLogs {
    private SwarmLogs() {}

    static void run(DockerEngine engine, Stack stack, Logs.Options options, UnaryOperator<String> scrub,
            Consumer<String> out, Log log) {
        SwarmEngine swarm = engine.swarm();
        List<SwarmInfos.Service> services = services(swarm, stack, options.service());
        int width = services.stream().mapToInt(s -> label(s).length() + 1
                + String.valueOf(Math.max(1, s.replicas())).length()).max().orElse(0);
        Long since = options.since() == null ? null : options.since().getEpochSecond();
        log.debug("logs: services " + services.stream().map(SwarmInfos.Service::name).toList());
        Logs.readAll(services.stream().map(s -> new Logs.Stream(s.name(), sink -> {
            Tasks tasks = new Tasks(swarm, s);
            swarm.streamServiceLogs(s.id(), since, options.tail(), options.follow(), l -> {
                SwarmInfos.Task task = tasks.find(l.taskId());
                if (task != null && (!Objects.equals(task.deployId(), s.deployId())
                        || SwarmNodes.wanted(List.of(task)).isEmpty())) {
                    return; // a replaced task, or one of an earlier deploy, kept in the swarm's task history
                }
                String replica = task == null ? "?" : task.slot() != null ? String.valueOf(task.slot())
                        : task.nodeId(); // a global service's task: one per node
                sink.accept(Logs.prefix(label(s) + "-" + replica, width) + scrub.apply(l.text()));
            });
        })).toList(), options.follow(), out);
    }

    /** The services to read: the current deploy's app services, or the one named, in name order. */
    static List<SwarmInfos.Service> services(SwarmEngine swarm, Stack stack, String service) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, stack.project());
        StackService declared = service == null ? null : Logs.declared(stack, service);
        labels.put(Labels.ROLE, declared == null ? Role.APP.label() : declared.role().label());
        if (declared != null) {
            labels.put(Labels.SERVICE, declared.name());
        }
        List<SwarmInfos.Service> found = swarm.listServices(labels).stream()
                .filter(s -> stack.project().equals(s.labels().get(Labels.PROJECT)))
                .sorted(Comparator.comparing(SwarmInfos.Service::name)).toList();
        if (declared != null && declared.infra()) {
            if (found.isEmpty()) {
                throw new CheckFailedException("infrastructure service " + service + " of project " + stack.project()
                        + " is not on the swarm (mvn sancho:status; mvn sancho:recover)");
            }
            return found;
        }
        String current = DeployRecords.latest(swarm, stack.project()).orElseThrow(() -> new CheckFailedException(
                "no deploy of project " + stack.project() + " is recorded on the swarm (mvn sancho:status)"));
        List<SwarmInfos.Service> live = found.stream().filter(s -> current.equals(s.deployId())).toList();
        if (live.isEmpty()) {
            throw new CheckFailedException("the current deploy " + current + " of project " + stack.project()
                    + " has no service" + (service == null ? "" : " " + service) + " on the swarm (it has "
                    + new TreeSet<>(found.stream().map(SwarmLogs::label).toList()) + ")");
        }
        return live;
    }

    /** The name a line shows for its service: the compose service's ({@code sancho.service}), as on one engine. */
    private static String label(SwarmInfos.Service s) {
        String name = s.labels().get(Labels.SERVICE);
        return name == null ? s.name() : name;
    }

    /** A service's tasks by id, read again when a line names one not seen yet (a task started while following). */
    private static final class Tasks {
        private final SwarmEngine swarm;
        private final SwarmInfos.Service service;
        private final Map<String, SwarmInfos.Task> byId = new LinkedHashMap<>();

        Tasks(SwarmEngine swarm, SwarmInfos.Service service) {
            this.swarm = swarm;
            this.service = service;
            refresh();
        }

        SwarmInfos.Task find(String id) {
            if (id == null) {
                return null;
            }
            if (!byId.containsKey(id)) {
                refresh();
                byId.putIfAbsent(id, null); // pruned from the task history: not asked for again
            }
            return byId.get(id);
        }

        private void refresh() {
            swarm.tasks(service.name()).forEach(t -> byId.put(t.id(), t));
        }
    }
}
