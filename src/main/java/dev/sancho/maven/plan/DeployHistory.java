package dev.sancho.maven.plan;

import dev.sancho.maven.docker.ContainerInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The deploys of one project as the engine shows them, read from labels only (no state file to drift). The one
 * place that groups app containers into deploys: deploy, cleanup, retention, rollback, verify and status use it.
 * The current deploy is the one whose application containers run (the newest {@code sancho.deployed-at} if
 * several do, e.g. mid-swap, preferring a complete one); kept deploys are those whose containers are all stopped, newest first: the
 * rollback targets.
 *
 * @param deploys every deploy, newest first
 */
public record DeployHistory(List<Deploy> deploys) {

    /** Label written by the deploy goal: when the deploy was made (ISO-8601 instant). */
    public static final String DEPLOYED_AT = Labels.DEPLOYED_AT;

    public DeployHistory {
        deploys = List.copyOf(deploys);
    }


    public static DeployHistory of(List<ContainerInfo> appContainers) {
        Map<String, List<ContainerInfo>> byId = new LinkedHashMap<>();
        for (ContainerInfo c : appContainers) {
            String id = c.label(Labels.DEPLOY_ID);
            if (id != null && !id.isBlank() && Role.APP.label().equals(c.label(Labels.ROLE))) {
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(c);
            }
        }
        List<Deploy> deploys = new ArrayList<>();
        byId.forEach((id, cs) -> deploys.add(new Deploy(id, deployedAt(cs), cs)));
        deploys.sort(Comparator.comparing(Deploy::deployedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Deploy::id).reversed());
        return new DeployHistory(deploys);
    }

    /** The label if readable, else the oldest container's creation time (a container made by hand or an old version). */
    private static Instant deployedAt(List<ContainerInfo> cs) {
        for (ContainerInfo c : cs) {
            String at = c.label(DEPLOYED_AT);
            if (at != null) {
                try {
                    return Instant.parse(at);
                } catch (DateTimeParseException ignored) {
                    // fall through to the creation time
                }
            }
        }
        return cs.stream().map(ContainerInfo::created).filter(java.util.Objects::nonNull).min(Comparator.naturalOrder())
                .orElse(null);
    }

    /**
     * The deploy that serves: the newest complete running deploy whose containers answer to their service names
     * ({@link Deploy#inDns}); else the newest complete running one; else the newest with a running container. A
     * deploy killed while its new containers waited for their health check runs beside the one that really serves,
     * but out of DNS (new containers join it only once ready), and a complete one wins over a newer interrupted one
     * (killed after starting its first container).
     */
    public Optional<Deploy> current() {
        return deploys.stream().filter(d -> d.anyRunning() && d.missingServices().isEmpty() && d.inDns()).findFirst()
                .or(() -> deploys.stream().filter(d -> d.anyRunning() && d.missingServices().isEmpty()).findFirst())
                .or(() -> deploys.stream().filter(Deploy::anyRunning).findFirst());
    }

    /**
     * Running app containers of deploys other than {@code currentId}: a deploy that should be stopped but runs (an
     * engine restart brought it back, or a deploy was killed before its cutover). Only one deploy may serve.
     */
    public List<ContainerInfo> runningOutside(String currentId) {
        return deploys.stream().filter(d -> !d.id().equals(currentId))
                .flatMap(d -> d.containers().stream()).filter(ContainerInfo::running).toList();
    }

    /**
     * Deploys with no running container, newest first: what retention ({@code sancho.keep}) counts and trims.
     * Unlike {@link #kept()} this includes deploys with a dead or never-started container, so nothing leaks.
     */
    public List<Deploy> inactive() {
        return deploys.stream().filter(d -> !d.anyRunning()).toList();
    }

    /** Complete stopped deploys that can be started again, newest first: the rollback targets. */
    public List<Deploy> kept() {
        return deploys.stream().filter(d -> d.stopped() && d.missingServices().isEmpty()).toList();
    }

    public Optional<Deploy> find(String id) {
        return deploys.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /**
     * One deploy: the application containers sharing a {@code sancho.deploy-id}.
     *
     * @param deployedAt may be null when neither label nor creation time is known
     */
    public record Deploy(String id, Instant deployedAt, List<ContainerInfo> containers) {
        public Deploy {
            containers = containers.stream().sorted(Comparator.comparing(
                    (ContainerInfo c) -> String.valueOf(c.label(Labels.SERVICE))).thenComparing(ContainerInfo::name))
                    .toList();
        }

        /**
         * Every running container of it that sits on a user-defined network answers to an alias there (and at least
         * one does): the engine's DNS routes its service names to it. False when that is not known (containers read
         * from a list call carry no aliases).
         */
        public boolean inDns() {
            List<ContainerInfo> routable = containers.stream().filter(ContainerInfo::running)
                    .filter(c -> !"true".equals(c.label(Labels.JOB))).filter(DnsAliases::canBeInDns).toList();
            return !routable.isEmpty() && routable.stream().allMatch(DnsAliases::inDns);
        }

        public boolean anyRunning() {
            return containers.stream().anyMatch(c -> "running".equals(c.state()) || "restarting".equals(c.state()));
        }

        /**
         * Every container exited normally after having run: a complete, startable deploy. Containers that were
         * created but never started are leftovers of an interrupted deploy, not something to roll back to.
         */
        public boolean stopped() {
            return containers.stream().allMatch(c -> "exited".equals(c.state()));
        }

        /**
         * A one-word summary: running, stopped, interrupted (stopped, but a service of it has no container),
         * partial (some running, or all of an interrupted deploy) or the odd state shared by all.
         */
        public String state() {
            // a one-shot job that completed is not a service that stopped
            List<ContainerInfo> services = containers.stream().filter(c -> !"true".equals(c.label(Labels.JOB)))
                    .toList();
            long running = services.stream().filter(c -> "running".equals(c.state())).count();
            boolean complete = missingServices().isEmpty();
            if (running == services.size() && running > 0) {
                return complete ? "running" : "partial";
            }
            if (stopped()) {
                return complete ? "stopped" : "interrupted";
            }
            if (running > 0) {
                return "partial";
            }
            return containers.stream().map(ContainerInfo::state).distinct().count() == 1
                    ? containers.get(0).state() : "mixed";
        }

        /**
         * Services its containers say the deploy had ({@link Labels#DEPLOY_SERVICES}) but that have no container (or
         * fewer than their {@link Labels#REPLICAS}):
         * an interrupted deploy (killed after starting some of its containers). Empty for a complete deploy and for
         * containers made before the label existed.
         */
        public List<String> missingServices() {
            Set<String> expected = new TreeSet<>();
            Map<String, Integer> present = new LinkedHashMap<>();
            Map<String, Integer> replicas = new LinkedHashMap<>();
            for (ContainerInfo c : containers) {
                String listed = c.label(Labels.DEPLOY_SERVICES);
                if (listed != null && !listed.isBlank()) {
                    expected.addAll(List.of(listed.split(",")));
                }
                String service = String.valueOf(c.label(Labels.SERVICE));
                present.merge(service, 1, Integer::sum);
                replicas.merge(service, replicaCount(c), Math::max);
            }
            // a service with replicas counts as missing while it has fewer containers than its label says
            present.forEach((service, count) -> {
                if (count >= replicas.get(service)) {
                    expected.remove(service);
                } else {
                    expected.add(service);
                }
            });
            return List.copyOf(expected);
        }

        private static int replicaCount(ContainerInfo c) {
            try {
                String n = c.label(Labels.REPLICAS);
                return n == null ? 1 : Math.max(1, Integer.parseInt(n.trim()));
            } catch (NumberFormatException e) {
                return 1;
            }
        }

        /** The first container of the service (its only one unless it has replicas). */
        public Optional<ContainerInfo> container(String service) {
            return containers.stream().filter(c -> service.equals(c.label(Labels.SERVICE))).findFirst();
        }

        /** Every container of the service in this deploy, one per replica, by name. */
        public List<ContainerInfo> containers(String service) {
            return containers.stream().filter(c -> service.equals(c.label(Labels.SERVICE))).toList();
        }
    }
}
