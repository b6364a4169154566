package dev.sancho.maven.plan;

import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.VolumeDef;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The swarm plan of one deploy, from the stack and what the swarm holds. Pure.
 *
 * <p>Infrastructure: created when absent (pinned to the file's {@code deploy.placement.constraints}, else to the
 * manager sancho talks to), adopted when present, never updated; a drifted spec is reported. Its external volumes
 * must exist on the pinned node: sancho can read the volumes of the manager it talks to only, so for another node it
 * says it cannot check. Applications: one service each, created or updated to this deploy's spec.
 */
public final class SwarmPlanner {
    private SwarmPlanner() {}

    /**
     * @param manager          the node sancho talks to
     * @param services         existing services by exact name (the stack's names only)
     * @param networks         names of the networks that exist
     * @param managerVolumes   names of the volumes on the manager sancho talks to
     * @param unpushedBuilds   services built by sancho whose images no other node can pull (sancho.push not set)
     * @param files            the secrets and configs the stack refers to that exist, as "secret:NAME"/"config:NAME"
     * @param digests          the project's digest key on the swarm ({@link Digests#unsaved()} while it has none)
     */
    public record Observed(SwarmInfos.Node manager, Map<String, SwarmInfos.Service> services, Set<String> networks,
            Set<String> managerVolumes, List<String> unpushedBuilds, Set<String> files, Digests digests) {
        public Observed(SwarmInfos.Node manager, Map<String, SwarmInfos.Service> services, Set<String> networks,
                Set<String> managerVolumes, List<String> unpushedBuilds) {
            this(manager, services, networks, managerVolumes, unpushedBuilds, Set.of());
        }

        public Observed(SwarmInfos.Node manager, Map<String, SwarmInfos.Service> services, Set<String> networks,
                Set<String> managerVolumes, List<String> unpushedBuilds, Set<String> files) {
            this(manager, services, networks, managerVolumes, unpushedBuilds, files, Digests.unsaved());
        }

        public Observed {
            files = Set.copyOf(files);
            services = Map.copyOf(services);
            networks = Set.copyOf(networks);
            managerVolumes = Set.copyOf(managerVolumes);
            unpushedBuilds = List.copyOf(unpushedBuilds);
            digests = digests == null ? Digests.unsaved() : digests;
        }
    }

    public static SwarmPlan plan(Stack stack, Observed o) {
        List<SwarmPlan.Action> actions = new ArrayList<>();
        List<String> drift = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!o.unpushedBuilds().isEmpty()) {
            refusals.add("services " + String.join(", ", o.unpushedBuilds()) + " are built by sancho: images must be"
                    + " pullable by every node; set sancho.push");
        }
        Set<String> nets = new TreeSet<>(stack.networkNames().values());
        stack.compose().networks().values().stream().filter(n -> n.external())
                .forEach(n -> nets.remove(stack.networkNames().getOrDefault(n.key(), n.name())));
        nets.stream().filter(n -> !o.networks().contains(n)).forEach(n -> actions.add(new SwarmPlan.CreateNetwork(n)));
        String managerWords = "node " + o.manager().id() + " (" + o.manager().hostname() + ", the manager sancho"
                + " talks to)";
        for (StackService s : stack.infrastructure()) {
            Service svc = s.service();
            List<String> fileConstraints = stack.compose().swarmDeploy(s.name()).constraints();
            List<String> constraints = fileConstraints.isEmpty() ? List.of("node.id==" + o.manager().id())
                    : fileConstraints;
            boolean onManager = constraints.contains("node.id==" + o.manager().id())
                    || constraints.contains("node.hostname==" + o.manager().hostname());
            String node = fileConstraints.isEmpty() ? managerWords : "the node matching "
                    + String.join(" and ", constraints) + (onManager ? " (" + managerWords + ")" : "");
            SwarmServiceSpec spec = SwarmSpecs.of(stack, s, constraints, o.digests());
            Integer asked = stack.compose().swarmDeploy(s.name()).replicas();
            if (asked != null && asked != 1) {
                notes.add("infrastructure service " + spec.name() + ": deploy.replicas " + asked + " ignored, it runs"
                        + " exactly one task");
            }
            Optional<SwarmInfos.Service> current = Optional.ofNullable(o.services().get(spec.name()));
            if (current.isPresent()) {
                actions.add(new SwarmPlan.AdoptService(current.get(), node));
                String recorded = current.get().labels().get(SwarmSpecs.SPEC_FIELDS);
                String keyId = current.get().labels().get(Labels.DIGEST_KEY_ID);
                if (recorded == null) {
                    notes.add("infrastructure service " + spec.name() + " was not created by sancho: its spec is not"
                            + " compared with the file");
                } else if (keyId != null && !keyId.equals(o.digests().id())) {
                    notes.add("infrastructure service " + spec.name() + ": its spec is not compared with the file,"
                            + " its digests were made with digest key " + keyId + ", which the swarm no longer holds"
                            + " (was the config holding it removed?)");
                } else {
                    // created before keyed digests: compared with plain SHA-256 ones, computed here only
                    String desired = keyId == null
                            ? SwarmSpecs.of(stack, s, constraints, Digests.LEGACY).labels().get(SwarmSpecs.SPEC_FIELDS)
                            : spec.labels().get(SwarmSpecs.SPEC_FIELDS);
                    List<String> fields = SwarmSpecs.drift(recorded, desired);
                    if (!fields.isEmpty()) {
                        drift.add("infrastructure service " + spec.name() + ": " + String.join(", ", fields)
                                + " differ from " + stack.compose().file(svc) + ":" + svc.line() + "; the running"
                                + " service is kept as it is (change it deliberately, see the Swarm page of the documentation)");
                    }
                }
                continue;
            }
            for (Service.Mount m : svc.volumes()) {
                if (!"volume".equals(m.type()) || m.source() == null) {
                    continue;
                }
                VolumeDef def = stack.compose().volumes().get(m.source());
                String volume = stack.volumeNames().getOrDefault(m.source(), m.source());
                if (def == null || !def.external()) {
                    continue;
                }
                if (onManager) {
                    if (!o.managerVolumes().contains(volume)) {
                        refusals.add("infrastructure service " + spec.name() + ": its external volume " + volume
                                + " does not exist on " + managerWords + ", where it is pinned; create it there"
                                + " (mvn sancho:ensure-volume, or docker volume create " + volume + ")");
                    }
                } else {
                    notes.add("infrastructure service " + spec.name() + ": cannot check that external volume "
                            + volume + " exists on " + node + ": sancho reads volumes only on the manager it talks"
                            + " to; make sure it is there, or the database starts empty");
                }
            }
            actions.add(new SwarmPlan.CreateService(spec, true, node));
        }
        dependencies(stack, notes, refusals);
        for (StackService s : stack.applications()) {
            SwarmServiceSpec spec = SwarmSpecs.of(stack, s, List.of(), o.digests());
            SwarmInfos.Service current = o.services().get(spec.name());
            actions.add(current == null ? new SwarmPlan.CreateService(spec, false, null)
                    : new SwarmPlan.UpdateService(current, spec));
        }
        files(actions, o, refusals);
        return new SwarmPlan(actions, drift, refusals, notes);
    }

    /** The key under which {@link Observed#files()} lists an existing secret or config. */
    public static String fileKey(SwarmServiceSpec.FileRef f) {
        return f.kind() + ":" + f.name();
    }

    /**
     * Secrets and configs of the services the plan creates or updates (an adopted one is never changed): a missing
     * created one is created first; a missing external one is refused, naming it.
     */
    private static void files(List<SwarmPlan.Action> actions, Observed o, List<String> refusals) {
        Map<String, SwarmServiceSpec.FileRef> needed = new java.util.LinkedHashMap<>();
        Map<String, List<String>> users = new java.util.LinkedHashMap<>();
        for (SwarmPlan.Action a : actions) {
            SwarmServiceSpec spec = a instanceof SwarmPlan.CreateService c ? c.spec()
                    : a instanceof SwarmPlan.UpdateService u ? u.spec() : null;
            if (spec == null) {
                continue;
            }
            for (SwarmServiceSpec.FileRef f : spec.files()) {
                needed.putIfAbsent(fileKey(f), f);
                users.computeIfAbsent(fileKey(f), k -> new ArrayList<>()).add(spec.name());
            }
        }
        List<SwarmPlan.Action> creates = new ArrayList<>();
        needed.forEach((key, f) -> {
            if (o.files().contains(key)) {
                return;
            }
            if (f.external()) {
                refusals.add("external " + f.kind() + " " + f.name() + " (used by " + String.join(", ",
                        users.get(key)) + ") does not exist in the swarm; create it first (docker " + f.kind()
                        + " create " + f.name() + " ...)");
            } else {
                creates.add(new SwarmPlan.CreateFile(f, users.get(key)));
            }
        });
        actions.addAll(0, creates);
    }

    /**
     * {@code depends_on} on a swarm: a dependency on an infrastructure service holds (infrastructure is created and
     * running before any application service is touched); any other is not waited for, and says so; a wait for a
     * one-shot job ({@code service_completed_successfully}) has no swarm form and is refused.
     */
    static void dependencies(Stack stack, List<String> notes, List<String> refusals) {
        Set<String> infra = new LinkedHashSet<>();
        stack.infrastructure().forEach(s -> infra.add(s.name()));
        for (StackService s : stack.services()) {
            Service svc = s.service();
            svc.dependsOn().forEach((dep, condition) -> {
                String at = stack.compose().file(svc, "depends_on." + dep) + ":" + svc.line("depends_on." + dep)
                        + ": services." + s.name() + ".depends_on." + dep + " (" + condition + ")";
                if ("service_completed_successfully".equals(condition)) {
                    refusals.add(at + ": a swarm has no one-shot job to wait for; run " + dep + " before the"
                            + " deploy, or on one engine");
                } else if (!infra.contains(dep) || s.infra()) {
                    notes.add(at + ": not waited for on a swarm (" + (s.infra()
                            ? "infrastructure is created before the applications" : "application services are"
                            + " created and updated together") + ")");
                }
            });
        }
    }

    /** The swarm service names a stack uses (infrastructure fixed names, application stable names). */
    public static Set<String> serviceNames(Stack stack) {
        Set<String> out = new LinkedHashSet<>();
        stack.services().forEach(s -> out.add(SwarmSpecs.serviceName(stack, s)));
        return out;
    }
}
