package dev.sancho.maven.swarm;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.core.Time;
import dev.sancho.maven.core.VolumeEnsurer;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import dev.sancho.maven.plan.SwarmConvergence;
import dev.sancho.maven.plan.SwarmPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bind-mount sources of pinned infrastructure, made on the node it is pinned to, as one engine's deploy makes
 * them on its host: missing directories 0750, a missing Traefik certificate store an empty file 0600; what exists is
 * left as it is. Without them the swarm rejects every task of the service ({@code bind source path does not exist}).
 * A one-shot service with the infrastructure service's own image and placement mounts the node's {@code /} and
 * creates what is missing; it is removed when it has finished.
 */
final class SwarmBindSources {
    private static final Duration POLL = Duration.ofMillis(500);

    private SwarmBindSources() {}

    /** One infrastructure service's sources and where it runs ({@code node} in the plan's words: "node X (...)"). */
    /** @param adopted the swarm service when it exists already (adopted), else null */
    record Need(String service, String image, List<String> constraints, String node,
            VolumeEnsurer.BindSources sources, String adopted) {}

    /** What the plan's infrastructure services (created or adopted) need on their nodes. */
    static List<Need> needs(Stack stack, SwarmPlan plan) {
        List<Need> out = new ArrayList<>();
        for (SwarmPlan.Action a : plan.actions()) {
            String service;
            String image;
            List<String> constraints;
            String node;
            String adopted = null;
            if (a instanceof SwarmPlan.CreateService c && c.infra()) {
                service = c.spec().labels().get(Labels.SERVICE);
                image = c.spec().image();
                constraints = c.spec().constraints();
                node = c.node();
            } else if (a instanceof SwarmPlan.AdoptService ad) {
                service = serviceOf(stack, ad.current());
                image = ad.current().image();
                constraints = ad.current().constraints();
                node = ad.node();
                adopted = ad.current().name();
            } else {
                continue;
            }
            if (service == null || constraints.isEmpty()) {
                continue; // not pinned: no one node to prepare
            }
            VolumeEnsurer.BindSources sources = VolumeEnsurer.bindSources(stack, service);
            if (!sources.isEmpty()) {
                out.add(new Need(service, image, constraints, node, sources, adopted));
            }
        }
        return out;
    }

    private static String serviceOf(Stack stack, SwarmInfos.Service current) {
        String label = current.labels().get(Labels.SERVICE);
        if (label != null) {
            return label;
        }
        return stack.services().stream().filter(s -> current.name().equals(s.containerName()))
                .map(StackService::name).findFirst().orElse(null);
    }

    /** Makes what is missing on each node; fails in one line naming the paths, the node and the fix. */
    static void ensure(SwarmEngine swarm, String project, List<Need> needs, Duration timeout, Log log) {
        for (Need n : needs) {
            String paths = describe(n.sources());
            if (n.adopted() != null && swarm.tasks(n.adopted()).stream().anyMatch(t -> "running".equals(t.state()))) {
                continue; // a running task mounts them: they exist
            }
            SwarmServiceSpec spec = spec(project, n);
            String id = swarm.createService(spec);
            try {
                String failure = await(swarm, spec.name(), timeout);
                if (failure != null) {
                    throw new CheckFailedException("could not create the bind-mount sources of service " + n.service()
                            + " (" + paths + ") on " + n.node() + ": " + failure + ". Create them on that node"
                            + " yourself (directories 0750, acme.json an empty file 0600), then deploy again;"
                            + " nothing else was changed");
                }
            } finally {
                swarm.removeService(id);
            }
            log.info("bind-mount sources of service " + n.service() + " exist on " + n.node() + ": " + paths
                    + " (missing ones created: directories 0750, certificate stores 0600)");
        }
    }

    /** What a dry run says instead. */
    static void preview(List<Need> needs, Log log) {
        needs.forEach(n -> log.info("[dry-run] would make sure the bind-mount sources of service " + n.service()
                + " exist on " + n.node() + ": " + describe(n.sources())));
    }

    static SwarmServiceSpec spec(String project, Need n) {
        StringBuilder sh = new StringBuilder("set -e");
        for (Path d : n.sources().directories()) {
            String p = quote("/host" + d);
            sh.append("; [ -e ").append(p).append(" ] || { mkdir -p ").append(p).append(" && chmod 0750 ").append(p)
                    .append("; }");
        }
        for (Path f : n.sources().stores()) {
            String p = quote("/host" + f);
            String parent = quote("/host" + f.getParent());
            sh.append("; [ -e ").append(p).append(" ] || { [ -e ").append(parent).append(" ] || { mkdir -p ")
                    .append(parent).append(" && chmod 0750 ").append(parent).append("; }; (umask 077 && : > ")
                    .append(p).append(") && chmod 0600 ").append(p).append("; }");
        }
        String name = ("sancho-bindsrc-" + project + "-" + n.service()).replaceAll("[^A-Za-z0-9_-]", "-");
        name = name.length() > 63 ? name.substring(0, 63) : name;
        Map<String, String> labels = Map.of(Labels.PROJECT, project, Labels.MANAGED, "true");
        return new SwarmServiceSpec(name, labels, n.image(), List.of("sh", "-c", sh.toString()), null, List.of(),
                labels, List.of(new SwarmServiceSpec.Mount("bind", "/", "/host", false)), List.of(), null, "0:0",
                null, null, null, 1, n.constraints(), null, null, null, null, List.of(), null, null,
                new SwarmServiceSpec.RestartPolicy("none", null, null, null));
    }

    /** Null when the one task completed; else why not, in one line. */
    private static String await(SwarmEngine swarm, String name, Duration timeout) {
        long deadline = Time.nanoTime() + timeout.toNanos();
        String last = "no task yet";
        while (true) {
            List<SwarmInfos.Task> tasks = swarm.tasks(name);
            for (SwarmInfos.Task t : tasks) {
                if ("complete".equals(t.state())) {
                    return null;
                }
                String why = t.error() != null && !t.error().isBlank() ? t.error() : t.message();
                if (List.of("failed", "rejected").contains(t.state())) {
                    return "its task " + t.state() + ": " + why;
                }
                last = "its task " + t.state() + (why == null ? "" : ": " + why);
            }
            Optional<SwarmInfos.Service> s = swarm.findService(name);
            if (s.isPresent()) {
                String permanent = SwarmConvergence.permanent(s.get(), tasks);
                if (permanent != null) {
                    return permanent;
                }
            }
            if (Time.nanoTime() > deadline) {
                return last + " after " + timeout.toSeconds() + " s (sancho.healthTimeout)";
            }
            Time.sleep(POLL, "the bind-mount sources on the node");
        }
    }

    private static String describe(VolumeEnsurer.BindSources s) {
        List<String> all = new ArrayList<>();
        s.directories().forEach(p -> all.add(p.toString()));
        s.stores().forEach(p -> all.add(p.toString()));
        return String.join(", ", all);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
