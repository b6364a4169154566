package dev.sancho.maven.plan;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.ImageInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One step of a {@link Plan}. Pure data: printing and executing are elsewhere. Consecutive
 * {@link StartContainer}s form a wave the executor starts in parallel; {@link AwaitHealthy} is the barrier.
 */
public sealed interface Action {

    /** The line shown in the printed plan. Never contains an environment value. */
    String describe();

    /**
     * Images are pulled (or reported missing) before anything else changes.
     *
     * @param reason why, for the plan line: {@code not present locally}, or the service's {@code pull_policy}
     */
    record PullImage(String image, String reason) implements Action {
        public PullImage(String image) {
            this(image, "not present locally");
        }

        public String describe() {
            return "pull     " + image + " (" + reason + ")";
        }
    }

    /** @param ipam the network's {@code ipam:}, or null */
    record CreateNetwork(String name, String driver, Map<String, String> labels,
            dev.sancho.maven.docker.NetworkIpam ipam, dev.sancho.maven.docker.NetworkOptions options) implements Action {
        public CreateNetwork(String name, String driver, Map<String, String> labels) {
            this(name, driver, labels, null);
        }

        public CreateNetwork(String name, String driver, Map<String, String> labels,
                dev.sancho.maven.docker.NetworkIpam ipam) {
            this(name, driver, labels, ipam, dev.sancho.maven.docker.NetworkOptions.NONE);
        }

        public CreateNetwork {
            options = options == null ? dev.sancho.maven.docker.NetworkOptions.NONE : options;
        }

        public String describe() {
            return "network  create " + name + (driver == null ? "" : " (" + driver + ")")
                    + (ipam == null ? "" : " subnet " + String.join(", ", ipam.pools().stream()
                            .map(dev.sancho.maven.docker.NetworkIpam.Pool::subnet).filter(java.util.Objects::nonNull)
                            .toList()));
        }
    }

    /** @param origin where the volume is declared, e.g. {@code docker-compose.yml volumes.pgdata} (null in a deploy plan) */
    record CreateVolume(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels,
            String origin) implements Action {
        public CreateVolume(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {
            this(name, driver, driverOpts, labels, null);
        }

        public String describe() {
            return "volume   create " + name;
        }

        /** What ensure-volume says of it: {@code volume X (driver local, labels ...) for ORIGIN}. */
        public String what() {
            return "volume " + name + " (driver " + (driver == null ? "local" : driver) + ", labels " + Labels.MANAGED
                    + "=" + labels.get(Labels.MANAGED) + ", " + Labels.PROJECT + "=" + labels.get(Labels.PROJECT) + ")"
                    + (origin == null ? "" : " for " + origin);
        }
    }

    /** A missing host directory of a bind mount (mode 0750). */
    record CreateDirectory(Path path, String service) implements Action {
        public String describe() {
            return "dir      create " + path;
        }

        public String what() {
            return "directory " + path + " (mode 0750) for a bind mount of service " + service;
        }
    }

    /**
     * A Traefik ACME certificate store a proxy names, created empty with mode 600 (Traefik refuses a readable one).
     *
     * @param declaredBy where the store was named ({@code command}, {@code label ...}, {@code environment ...})
     */
    record CreateCertificateStore(Path hostPath, String service, String containerPath, String declaredBy)
            implements Action {
        public String describe() {
            return "file     create " + hostPath;
        }

        public String what() {
            return "certificate store " + hostPath + " (empty, mode 600) for " + service + "'s " + containerPath + " ("
                    + declaredBy + ")";
        }
    }

    /**
     * An image sancho built for a deploy that is gone, with the evidence {@link Safety#requireRemovableImage} checks.
     *
     * @param references what to remove: the tags sancho put on it, or its id when it has none left
     * @param keptDeployIds deploys whose images stay
     * @param inUse         image ids some container uses
     */
    record RemoveImage(ImageInfo image, List<String> references, String deployId, Set<String> keptDeployIds,
            Set<String> inUse) implements Action {
        public RemoveImage {
            references = List.copyOf(references);
            keptDeployIds = Set.copyOf(keptDeployIds);
            inUse = Set.copyOf(inUse);
        }

        public String name() {
            return references.get(0);
        }

        public String describe() {
            return "remove   " + what();
        }

        public String what() {
            return "image " + name() + " (deploy " + deployId + " is no longer kept)";
        }
    }

    /** An infrastructure container that exists and stays exactly as it is. */
    record AdoptContainer(String service, String name, String note) implements Action {
        public String describe() {
            return "infra    " + name + ": adopt, untouched (" + note + ")";
        }
    }

    /** What differs between a running infrastructure container and the compose file. Informational. */
    /**
     * An existing network that differs from the compose file: reported, never applied (a network in use cannot be
     * changed, only removed and created again, which disconnects every container on it).
     */
    record NetworkDrift(String name, List<String> differences) implements Action {
        public String describe() {
            return "drift    network " + name + ": " + String.join("; ", differences) + " -- not applied (a network is"
                    + " never recreated). To apply: stop the containers on it, docker network rm " + name
                    + ", deploy again";
        }
    }

    record DriftReport(String service, String name, List<String> differences, String howToApply) implements Action {
        public String describe() {
            return "drift    " + name + ": " + String.join("; ", differences) + " -- not applied (infrastructure is"
                    + " never recreated). To apply: " + howToApply;
        }
    }

    /**
     * An existing infrastructure container the other services cannot reach by its service name: not attached to a
     * network the compose file gives it, or attached without its aliases (a container recreated by hand with
     * {@code docker run} and no {@code --network}). Informational: infrastructure is never modified.
     *
     * @param fixes one command per problem
     */
    record NetworkGap(String service, String name, List<String> problems, List<String> fixes) implements Action {
        public NetworkGap {
            problems = List.copyOf(problems);
            fixes = List.copyOf(fixes);
        }

        public String describe() {
            return "infra    " + name + ": NOT reachable as " + service + " (" + String.join("; ", problems)
                    + "): the app cannot resolve it. Fix: " + String.join(" ; ", fixes)
                    + " (or docker stop and rename it, then mvn sancho:recover recreates it from the compose file)";
        }
    }

    /** @param infra true for an infrastructure container (fixed name), false for this deploy's app container */
    record CreateContainer(String service, boolean infra, ContainerSpec spec) implements Action {
        public String name() {
            return spec.name();
        }

        public String describe() {
            return (infra ? "infra    " : "create   ") + spec.name() + (infra ? ": create (absent)" : "")
                    + " image " + spec.image() + ", networks " + spec.networks();
        }
    }

    /**
     * @param id   the engine id when the container already exists (stopped infra), null for one created above
     * @param wave consecutive starts of the same wave run in parallel; a later wave starts once the earlier one
     *             has started (and, where a plan puts an {@link AwaitHealthy} between them, is ready)
     */
    record StartContainer(String service, String name, String id, boolean infra, int wave) implements Action {
        public String describe() {
            return "start    " + name + (infra && id != null ? " (infra, was stopped)" : "")
                    + (wave > 0 ? " (after what it depends on)" : "");
        }
    }

    /** One-shot jobs of the new deploy must exit with 0 before what depends on them starts. */
    record AwaitCompleted(List<String> names, Duration timeout) implements Action {
        public String describe() {
            return "await    " + String.join(", ", names) + " completed (exit code 0; timeout " + timeout.toSeconds()
                    + " s)";
        }
    }

    record AwaitHealthy(List<String> names, Duration timeout, Duration minReady) implements Action {
        public String describe() {
            return "await    " + String.join(", ", names) + " ready (healthcheck, else running "
                    + minReady.toSeconds() + " s; timeout " + timeout.toSeconds() + " s)";
        }
    }

    /**
     * A service that publishes a fixed host port cannot run beside its previous deploy: the engine refuses the
     * second bind ("port is already allocated"). So its previous running containers are stopped gracefully right
     * before the wave that starts {@code replacement} (a short outage), and the {@link Cutover} leaves them out. If
     * the new deploy then fails, the executor starts them again and waits up to {@code restartTimeout}.
     *
     * @param hostPorts the fixed host ports the service publishes, for the messages
     */
    record StopFirst(String service, String replacement, List<String> hostPorts, List<OldContainer> stop,
            Duration restartTimeout) implements Action {
        public StopFirst {
            hostPorts = List.copyOf(hostPorts);
            stop = List.copyOf(stop);
        }

        public String describe() {
            return "stop     " + String.join(", ", stop.stream().map(OldContainer::name).toList()) + " first, then start "
                    + replacement + " (" + service + " publishes host " + ports() + ": it cannot run beside the new one;"
                    + " a short outage; started again if the deploy fails)";
        }

        /** Printed once per deploy: why there is an outage and how to avoid it. */
        public String warning() {
            return service + " publishes host " + ports() + ": the previous deploy's " + service + " must stop before"
                    + " the new one starts (a short outage); put it behind the proxy (no host port) for zero-downtime"
                    + " redeploys";
        }

        private String ports() {
            return (hostPorts.size() == 1 ? "port " : "ports ") + String.join(", ", hostPorts);
        }
    }

    /**
     * The new deploy's containers are ready: now they get their service's DNS aliases (until then the name answers
     * with the previous deploy only, so no request reaches a container that has not passed its readiness). Docker
     * cannot add an alias in place: each container's endpoint is replaced, one after another; a new container serves
     * nothing yet, so that costs it nothing. The cutover's DNS wait counts from here.
     */
    record JoinDns(List<Join> joins) implements Action {
        public JoinDns {
            joins = List.copyOf(joins);
        }

        public String describe() {
            return "dns      " + String.join(", ", joins.stream().map(Join::describe).toList())
                    + " once ready";
        }
    }

    /** One container of a {@link JoinDns}: its aliases per network. */
    record Join(String name, Map<String, List<String>> aliases) {
        public Join {
            aliases = Map.copyOf(aliases);
        }

        String describe() {
            return name + " joins " + String.join(", ", new java.util.TreeMap<>(aliases).entrySet().stream()
                    .map(e -> String.join("/", e.getValue()) + " on " + e.getKey()).toList());
        }
    }

    /**
     * A stopped app container lost its DNS aliases (a cutover or a rollback was interrupted between leaving DNS and
     * the stop): they are given back, so a rollback to it starts containers the proxy finds.
     *
     * @param aliases the aliases it lacks, per network
     */
    record RestoreAliases(ContainerInfo container, Map<String, List<String>> aliases) implements Action {
        public RestoreAliases {
            aliases = Map.copyOf(aliases);
        }

        public String name() {
            return container.name();
        }

        public String describe() {
            return "repair   " + container.name() + " (stopped): gets back DNS alias " + String.join(", ",
                    new java.util.TreeMap<>(aliases).entrySet().stream().map(e -> String.join("/", e.getValue())
                            + " on " + e.getKey()).toList()) + " (lost in an interrupted cutover)";
        }
    }

    /**
     * The proxy's {@code x-sancho-proxy: {reload: ...}}: run inside its running container right after the new deploy
     * joined DNS and again right after the previous one left it, so the proxy resolves the service names afresh
     * instead of the cutover waiting out its DNS cache ({@code sancho.proxyResolveInterval}). A reload that fails
     * falls back to those waits.
     *
     * @param command the command, interpolated (never printed)
     * @param shown   the command as written in the compose file, for the plan and the log
     */
    record ReloadProxy(String service, String container, List<String> command, String shown) implements Action {
        public ReloadProxy {
            command = List.copyOf(command);
        }

        public String describe() {
            return "reload   " + container + ": " + shown + " (x-sancho-proxy) once the new deploy is in DNS and"
                    + " again once the previous one left it, instead of waiting out the proxy's DNS cache";
        }

        /** The reload of every infrastructure service of the stack that has {@code x-sancho-proxy}. */
        public static List<ReloadProxy> of(Stack stack) {
            return stack.infrastructure().stream().flatMap(s -> stack.compose().proxy(s.name()).stream()
                    .map(p -> new ReloadProxy(s.name(), s.containerName(), p.reload(), p.shown()))).toList();
        }
    }

    /** The switch: the previous deploy's running app containers are drained and stopped gracefully. */
    record Cutover(List<OldContainer> stop, Duration drain) implements Action {
        public String describe() {
            if (stop.isEmpty()) {
                return "cutover  nothing to stop (no previous deploy running)";
            }
            StringBuilder b = new StringBuilder("cutover  stop");
            stop.forEach(o -> b.append(' ').append(o.name()));
            b.append(" (deploy ").append(String.join(", ",
                    stop.stream().map(OldContainer::deployId).distinct().toList())).append(')');
            if (!drain.isZero()) {
                b.append(", drain up to ").append(drain.toSeconds()).append(" s first");
            }
            return b.toString();
        }
    }

    /** @param stopSignal null = the container's own; {@code grace} before SIGKILL */
    record OldContainer(ContainerInfo container, String stopSignal, Duration grace) {
        public String name() {
            return container.name();
        }

        public String id() {
            return container.id();
        }

        public String deployId() {
            return container.label(Labels.DEPLOY_ID);
        }
    }

    /** Removal of an app container beyond the kept deploys. Checked by {@link Safety} before and at execution. */
    record RemoveContainer(ContainerInfo container, String reason) implements Action {
        public String name() {
            return container.name();
        }

        public String what() {
            return container.name() + " (" + reason + ")";
        }

        public String describe() {
            return "remove   " + container.name() + " (" + reason + ")";
        }
    }

    /**
     * {@code sancho:upgrade} (and a deploy or recover that finds an upgrade interrupted): an infrastructure container
     * leaves its fixed name for its {@link Superseded#name kept name}, or gets the fixed name back. Its id, data,
     * networks and DNS aliases stay. Taking the fixed name back, it first gets {@code restartPolicy} again (it had
     * {@code no} while kept). Skipped when it already has the name {@code to}.
     */
    record RenameInfra(String service, ContainerInfo container, String from, String to, String restartPolicy)
            implements Action {
        public String describe() {
            return restartPolicy != null
                    ? "rename   " + from + " -> " + to + " (gets its fixed name back; restart policy " + restartPolicy
                            + ")"
                    : "rename   " + from + " -> " + to + " (leaves the fixed name; kept, same id and data)";
        }
    }

    /**
     * {@code sancho:upgrade}: an infrastructure container stops for good: restart policy {@code no} first (neither an
     * engine restart nor a reboot brings it back beside its successor), then a graceful stop (its stop signal, up to
     * {@code grace}). A no-op on a stopped container.
     */
    record StopInfra(String service, ContainerInfo container, Duration grace) implements Action {
        public String describe() {
            return "stop     " + container.id().substring(0, Math.min(12, container.id().length())) + " ("
                    + container.name() + " as planned; restart policy no, graceful stop up to " + grace.toSeconds()
                    + " s)";
        }
    }

    /**
     * {@code sancho:upgrade}: the new infrastructure container under the fixed name, from the compose file, on the
     * same volumes, networks and aliases, labelled {@link Labels#SUPERSEDES} with the id of the one it replaces.
     */
    record CreateUpgraded(String service, ContainerSpec spec, String supersedesId, String supersedesName)
            implements Action {
        public String name() {
            return spec.name();
        }

        public String describe() {
            return "create   " + spec.name() + " image " + spec.image() + " (supersedes " + supersedesName
                    + "), volumes " + spec.mounts().stream().filter(m -> "volume".equals(m.type()))
                            .map(ContainerSpec.Mount::source).toList() + ", networks " + spec.networks();
        }
    }

    /** {@code sancho:upgrade}: starts the container under the fixed name with its restart policy. */
    record StartInfra(String service, String name, String restartPolicy) implements Action {
        public String describe() {
            return "start    " + name + " (restart policy " + restartPolicy + "; refused while another container"
                    + " writes its data volume)";
        }
    }

    /** {@code sancho:upgrade}: after the health gate, what serves under the fixed name is what the plan says. */
    record VerifyInfra(String service, String name, String image, List<String> volumes,
            Map<String, List<String>> aliases) implements Action {
        public VerifyInfra {
            volumes = List.copyOf(volumes);
            aliases = Map.copyOf(aliases);
        }

        public String describe() {
            return "verify   " + name + ": running " + image + ", volumes " + volumes + ", aliases "
                    + new java.util.TreeMap<>(aliases);
        }
    }

    /**
     * A kept container of an upgrade that is over ({@code -Dsancho.confirm}, or the next upgrade of the service):
     * checked by {@link Safety#requireRemovableSuperseded}, one of the two infrastructure containers sancho removes.
     */
    record RemoveSuperseded(String service, ContainerInfo container, String reason) implements Action {
        public String describe() {
            return "remove   " + container.name() + " (" + reason + ")";
        }
    }

    /**
     * Only in the undo of a failed upgrade: the container this very upgrade created under the fixed name and that did
     * not become ready ({@link Safety#requireDiscardable}), the other infrastructure container sancho removes.
     */
    record DiscardUpgraded(String service, String name, String supersedesId) implements Action {
        public String describe() {
            return "remove   " + name + " (created by this upgrade and not ready)";
        }
    }
}
