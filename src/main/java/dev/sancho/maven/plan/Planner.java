package dev.sancho.maven.plan;

import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.NetworkDef;
import dev.sancho.maven.compose.PullPolicy;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.VolumeDef;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stack + what the engine holds -> the plan of one deploy. A pure function: no engine access, no clock (the time
 * comes in {@link DeployOptions#now()}), so every decision is unit-testable and a dry run shows exactly what a
 * real run does.
 *
 * <p>The rules, in the order the plan applies them:
 * <ol>
 * <li>Images of containers to create that are not present are pulled first (offline that fails before any
 * change).</li>
 * <li>Missing networks and non-external volumes are created with the project label. A missing external volume
 * or network blocks the plan when a container to be created uses it, unless ensure-volume created it in this
 * run: Docker would otherwise silently create an EMPTY volume under the database.</li>
 * <li>Infrastructure (fixed names): running -> adopted; stopped -> started; absent -> created. Never stopped,
 * removed or recreated, also not on drift: a drift report says which fields differ and how to apply it by hand.
 * A container with the fixed name that is not labelled as this project's is adopted and never modified.</li>
 * <li>Application containers of the new deploy are created, then started in {@code depends_on} waves, each wave
 * awaited. A service that publishes a fixed host port cannot run beside its previous container: that one is
 * stopped right before the new one's wave ({@link Action.StopFirst}, a short outage) and started again if the
 * deploy fails.</li>
 * <li>Cutover: the previous deploy's running app containers are drained and stopped; then deploys beyond
 * {@code keep} stopped ones are removed, only through {@link Safety}.</li>
 * </ol>
 */
public final class Planner {
    private Planner() {}


    public static Plan plan(Stack stack, ObservedState observed, DeployOptions opts) {
        String project = stack.project();
        Set<String> infraNames = stack.infrastructureNames();
        List<Action> actions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> blockers = new ArrayList<>();

        // Decide per service first; images, networks and volumes only matter for containers we create.
        Map<String, List<ContainerSpec>> specs = new LinkedHashMap<>(); // per service, one per replica
        List<Action> infraActions = new ArrayList<>();
        List<StackService> infraToStart = new ArrayList<>();
        Map<String, String> existingIds = new HashMap<>();
        List<ContainerSpec> toCreate = new ArrayList<>();

        for (StackService s : stack.infrastructure()) {
            ContainerSpec spec = ContainerSpecs.forService(stack, s, observed.digests());
            specs.put(s.name(), List.of(spec));
            ContainerInfo c = observed.byName().get(s.containerName());
            ContainerInfo kept = c != null ? null : Superseded.head(Superseded.kept(observed.projectContainers(), s,
                    project, stack.identity())).orElse(null);
            if (kept != null) {
                // an upgrade (or its revert) was interrupted after the fixed name was let go: the container that held
                // it last gets it back, on its data, rather than a new one beside it
                infraActions.add(new Action.RenameInfra(s.name(), kept, kept.name(), s.containerName(),
                        spec.restartPolicy() == null ? "no" : spec.restartPolicy()));
                if (!kept.running()) {
                    infraToStart.add(s);
                    existingIds.put(s.name(), kept.id());
                }
            } else if (c == null) {
                infraActions.add(new Action.CreateContainer(s.name(), true, spec));
                toCreate.add(spec);
                infraToStart.add(s);
            } else if (!ownInfra(c, project)) {
                infraActions.add(new Action.AdoptContainer(s.name(), c.name(), "state " + c.state()
                        + "; not created by sancho (no " + project + " labels): never modified"));
                if (!c.running() && !"paused".equals(c.state())) {
                    blockers.add(c.name() + " exists but is " + c.state() + " and was not created by sancho, so"
                            + " sancho will not start it: start it yourself (docker start " + c.name() + ")");
                }
                if (c.image() != null && !c.image().equals(spec.image())) {
                    infraActions.add(drift(s, c, List.of("image " + c.image() + " -> " + spec.image())));
                }
            } else {
                List<String> diff = differences(c, spec, observed.digests());
                if (c.running() || "paused".equals(c.state())) {
                    infraActions.add(new Action.AdoptContainer(s.name(), c.name(),
                            c.state() + (diff.isEmpty() ? ", configuration unchanged" : ", drifted")));
                } else {
                    infraActions.add(new Action.AdoptContainer(s.name(), c.name(), "was " + c.state()
                            + ", will be started as it is"));
                    infraToStart.add(s);
                    existingIds.put(s.name(), c.id());
                }
                if (!diff.isEmpty()) {
                    infraActions.add(drift(s, c, diff));
                }
            }
        }

        List<StackService> apps = stack.applications();
        Map<String, String> deployLabels = new LinkedHashMap<>(opts.deployLabels());
        deployLabels.put(Labels.DEPLOYED_AT, opts.now().toString());
        for (StackService s : apps) {
            List<ContainerSpec> replicas = ContainerSpecs.forReplicas(stack, s, observed.digests()).stream()
                    .map(spec -> ContainerSpecs.withExtraLabels(spec, deployLabels)).toList();
            specs.put(s.name(), replicas);
            toCreate.addAll(replicas);
            for (ContainerSpec spec : replicas) {
                ContainerInfo taken = observed.byName().get(spec.name());
                if (taken != null) {
                    blockers.add(opts.explicitDeployId()
                            ? "container " + taken.name() + " already exists (deploy id " + stack.deployId()
                                    + " was used before?): choose another -Dsancho.deployId or leave it unset"
                            : "container " + taken.name() + " already exists: another deploy started at the same"
                                    + " moment got the same generated deploy id " + stack.deployId() + "; run this"
                                    + " deploy again (or give -Dsancho.deployId)");
                }
            }
        }

        // 1. images, per the service's pull_policy (a built service runs the image this deploy built)
        Set<String> pulled = new LinkedHashSet<>();
        for (StackService s : stack.services()) {
            List<ContainerSpec> forService = specs.get(s.name());
            ContainerSpec created = forService == null ? null
                    : forService.stream().filter(toCreate::contains).findFirst().orElse(null);
            if (created == null) {
                continue; // a container left as it is needs no image (replicas share theirs)
            }
            String image = created.image();
            boolean present = observed.images().contains(image);
            PullPolicy policy = s.service().build() != null ? PullPolicy.MISSING : s.service().pullPolicy();
            if (policy.kind() == PullPolicy.Kind.NEVER && !present) {
                throw new ComposeException(stack.compose().file(s.service(), "pull_policy"),
                        s.service().line("pull_policy"), "services." + s.name() + ".pull_policy", "is never, but image "
                        + image + " is not on the engine: load it there first (docker load -i FILE.tar) or allow the"
                        + " pull (pull_policy: missing); nothing was changed");
            }
            if (!pulled.contains(image) && policy.pulls(present, observed.imagesTagged().get(image), opts.now())) {
                pulled.add(image);
                actions.add(present ? new Action.PullImage(image, "pull_policy: " + policy.written())
                        : new Action.PullImage(image));
            }
        }

        // 2. networks and volumes
        Set<String> networksUsed = new java.util.TreeSet<>();
        toCreate.forEach(spec -> networksUsed.addAll(spec.networks().keySet()));
        new TreeMap<>(stack.networkNames()).forEach((key, name) -> {
            NetworkDef def = stack.compose() == null ? null : stack.compose().networks().get(key);
            if (networksUsed.contains(name) && observed.networkInfos().containsKey(name) && def != null
                    && !def.external()) {
                List<String> diff = NetworkDrift.differences(def, observed.networkInfos().get(name));
                if (!diff.isEmpty()) {
                    actions.add(new Action.NetworkDrift(name, diff));
                }
            }
            if (!networksUsed.contains(name) || observed.networks().contains(name)) {
                return;
            }
            if (def != null && def.external()) {
                blockers.add("network " + name + " is declared external but does not exist: create it first"
                        + " (docker network create " + name + ")");
            } else {
                actions.add(new Action.CreateNetwork(name, def == null ? null : def.driver(),
                        ownedLabels(stack, def == null ? Map.of() : def.labels()), ipam(def), networkOptions(def)));
            }
        });
        Map<String, String> volumeKeyByName = new HashMap<>();
        stack.volumeNames().forEach((key, name) -> volumeKeyByName.put(name, key));
        Set<String> volumesSeen = new LinkedHashSet<>();
        for (ContainerSpec spec : toCreate) {
            for (ContainerSpec.Mount m : spec.mounts()) {
                if (!"volume".equals(m.type()) || m.source() == null || !volumesSeen.add(m.source())
                        || observed.volumes().contains(m.source())) {
                    continue;
                }
                String key = volumeKeyByName.get(m.source());
                VolumeDef def = key == null || stack.compose() == null ? null : stack.compose().volumes().get(key);
                if (def != null && !def.external()) {
                    actions.add(new Action.CreateVolume(m.source(), def.driver(), def.driverOpts(),
                            ownedLabels(stack, def.labels())));
                } else if (!opts.ensuredVolumes().contains(m.source())) {
                    blockers.add("refusing to create " + spec.name() + ": volume " + m.source() + " does not exist"
                            + (def != null ? " (declared external)" : "") + " and Docker would start it on a new EMPTY"
                            + " volume. Restore or create it first: docker volume create " + m.source()
                            + ", or run sancho:ensure-volume");
                }
            }
        }

        // 3. infrastructure: never a second server on a data volume; say when an existing one is off its networks
        List<Safety.VolumeHold> holds = volumeHolds(stack, observed, infraToStart);
        holds.forEach(h -> blockers.add(h.describe()));
        for (StackService s : stack.infrastructure()) {
            ContainerInfo c = observed.byName().get(s.containerName());
            if (c != null) {
                Action.NetworkGap gap = networkGap(s, c, specs.get(s.name()).get(0));
                if (gap != null) {
                    infraActions.add(gap);
                }
            }
        }
        actions.addAll(infraActions);
        addWaves(actions, infraToStart, existingIds, specs, true, opts, Map.of(), stack.jobs());

        // 4. the new deploy's app containers. A service with a fixed host port cannot start beside its previous
        // container (the engine refuses the second bind): that one is stopped right before its wave instead of
        // at the cutover.
        List<ContainerInfo> previous = observed.appContainers(project).stream()
                .filter(c -> !stack.deployId().equals(c.label(Labels.DEPLOY_ID)))
                .sorted(java.util.Comparator.comparing(ContainerInfo::name)).toList();
        List<Action.OldContainer> stop = new ArrayList<>();
        for (ContainerInfo c : previous) {
            if (c.running() && Safety.removable(c, project, stack.identity(), infraNames)) {
                Service svc = stack.service(c.label(Labels.SERVICE)).map(StackService::service).orElse(null);
                stop.add(new Action.OldContainer(c, svc == null ? null : svc.stopSignal(),
                        svc == null ? ContainerSpecs.DEFAULT_STOP_GRACE : ContainerSpecs.stopTimeout(svc)));
            }
        }
        Map<String, Action> beforeStart = new HashMap<>();
        for (StackService s : apps) {
            List<String> hostPorts = fixedHostPorts(specs.get(s.name()).get(0)); // one replica: resolver's rule
            List<Action.OldContainer> old = stop.stream()
                    .filter(o -> s.name().equals(o.container().label(Labels.SERVICE))).toList();
            if (!hostPorts.isEmpty() && !old.isEmpty()) {
                beforeStart.put(s.name(), new Action.StopFirst(s.name(), specs.get(s.name()).get(0).name(), hostPorts, old,
                        opts.healthTimeout()));
                stop.removeAll(old);
            }
        }
        hostPortBlockers(observed, toCreate, beforeStart, blockers);

        // Retention first: a kept deploy that lost its DNS aliases (an interrupted cutover) gets them back before
        // anything else, one beyond keep is just removed.
        List<Action> removals = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        Set<String> removed = new java.util.HashSet<>();
        for (Retention.Verdict v : Retention.judge(DeployHistory.of(previous).deploys(), opts.keep())) {
            if (v.removeReason() == null) {
                kept.add(v.deploy().id());
                continue;
            }
            for (ContainerInfo c : v.deploy().containers()) {
                if (Safety.removable(c, project, stack.identity(), infraNames)) {
                    removals.add(new Action.RemoveContainer(c, v.removeReason()));
                    removed.add(c.id());
                } else {
                    notes.add(c.name() + " is labelled as an app container but has an infrastructure name: left alone");
                }
            }
        }
        for (ContainerInfo c : previous) {
            if ("exited".equals(c.state()) && !removed.contains(c.id()) && !"true".equals(c.label(Labels.JOB))
                    && Safety.removable(c, project, stack.identity(), infraNames) && !DnsAliases.missing(c).isEmpty()) {
                actions.add(new Action.RestoreAliases(c, DnsAliases.missing(c)));
            }
        }

        // The new containers join their service's DNS name only once ready where an earlier container serves it
        // (a request must never reach one that has not passed its readiness); where nothing serves the name (a first
        // deploy, a new service, a stop-first service) they join at creation, as with Compose, so that dependents
        // that resolve it while starting find it.
        Set<String> served = new java.util.HashSet<>();
        stop.forEach(o -> served.add(o.container().label(Labels.SERVICE)));
        List<Action.Join> joins = new ArrayList<>();
        for (StackService s : apps) {
            for (ContainerSpec spec : specs.get(s.name())) {
                ContainerSpec created = ContainerSpecs.withExtraLabels(spec,
                        Map.of(Labels.DNS_ALIASES, DnsAliases.label(spec.networks())));
                Map<String, List<String>> aliases = new LinkedHashMap<>();
                spec.networks().forEach((n, a) -> {
                    if (!a.isEmpty()) {
                        aliases.put(n, a);
                    }
                });
                if (served.contains(s.name()) && !stack.jobs().contains(s.name()) && !aliases.isEmpty()) {
                    created = created.withNetworks(DnsAliases.withoutAliases(spec.networks()));
                    joins.add(new Action.Join(spec.name(), aliases));
                }
                actions.add(new Action.CreateContainer(s.name(), false, created));
            }
        }
        addWaves(actions, apps, Map.of(), specs, false, opts, beforeStart, stack.jobs());
        if (!joins.isEmpty()) {
            actions.add(new Action.JoinDns(joins));
        }

        // 5. cutover and retention; a proxy that can be told to re-resolve is reloaded in it
        if (!stop.isEmpty()) {
            actions.addAll(Action.ReloadProxy.of(stack));
        }
        actions.add(new Action.Cutover(stop, opts.drain()));
        actions.addAll(removals);
        if (!kept.isEmpty()) {
            notes.add("kept for rollback (stopped): deploy " + String.join(", ", kept));
        }
        return new Plan(project, stack.deployId(), infraNames, actions, notes, blockers, holds, stack.identity());
    }

    /**
     * Running containers that mount, writable, a data volume of an infrastructure container this plan creates or
     * starts, other than its own and those of services the compose file shares the volume with
     * ({@link Safety#secondServer}).
     */
    static List<Safety.VolumeHold> volumeHolds(Stack stack, ObservedState observed, List<StackService> toStart) {
        List<Safety.VolumeHold> holds = new ArrayList<>();
        for (StackService s : toStart) {
            for (String volume : volumesOf(stack, s)) {
                Map<String, String> sharers = sharers(stack, s, volume);
                for (ContainerInfo user : observed.volumeUsers().getOrDefault(volume, List.of())) {
                    boolean writes = user.mounts().stream().anyMatch(m -> "volume".equals(m.type())
                            && volume.equals(m.source()) && !m.readOnly());
                    if (user.running() && writes && Safety.secondServer(user, s.containerName(), stack.project(),
                            sharers)) {
                        holds.add(new Safety.VolumeHold(s.containerName(), volume, user.name()));
                    }
                }
            }
        }
        return holds;
    }

    /**
     * The other services the compose file lets mount {@code volume} besides {@code s}: service name -> its fixed
     * infrastructure name, or null for an app service.
     */
    public static Map<String, String> sharers(Stack stack, StackService s, String volume) {
        Map<String, String> sharers = new LinkedHashMap<>();
        for (StackService other : stack.services()) {
            if (other != s && volumesOf(stack, other).contains(volume)) {
                sharers.put(other.name(), other.infra() ? other.containerName() : null);
            }
        }
        return sharers;
    }

    /** The engine names of the named volumes a service mounts. */
    public static List<String> volumesOf(Stack stack, StackService s) {
        return s.service().volumes().stream().filter(m -> "volume".equals(m.type()) && m.source() != null)
                .map(m -> stack.volumeNames().getOrDefault(m.source(), m.source())).distinct().toList();
    }

    /**
     * An existing infrastructure container that is not attached to a network the compose file gives it, or is
     * attached without its service's aliases there (e.g. recreated by hand with {@code docker run} and no
     * {@code --network}): the other services cannot reach it by name. Null when it is where it belongs.
     */
    static Action.NetworkGap networkGap(StackService s, ContainerInfo c, ContainerSpec spec) {
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        spec.networks().forEach((network, aliases) -> {
            String flags = String.join(" ", aliases.stream().map(a -> "--alias " + a).toList());
            String connect = "docker network connect " + (flags.isEmpty() ? "" : flags + " ") + network + " "
                    + c.name();
            List<String> has = c.networkAliases().get(network);
            if (has == null) {
                problems.add("not attached to network " + network);
                fixes.add(connect);
            } else if (!has.containsAll(aliases)) {
                problems.add("on network " + network + " without alias " + String.join(", ", aliases));
                fixes.add("docker network disconnect " + network + " " + c.name() + " && " + connect);
            }
        });
        return problems.isEmpty() ? null : new Action.NetworkGap(s.name(), c.name(), problems, fixes);
    }

    /**
     * A fixed host port of a container to create that a running container holds (other than the previous deploy's
     * container of the same service, which a {@link Action.StopFirst} stops right before): the new container could
     * not start, so the deploy is refused before it touches anything.
     */
    private static void hostPortBlockers(ObservedState observed, List<ContainerSpec> toCreate,
            Map<String, Action> beforeStart, List<String> blockers) {
        Set<String> stoppedFirst = new java.util.HashSet<>();
        beforeStart.values().forEach(a -> ((Action.StopFirst) a).stop().forEach(o -> stoppedFirst.add(o.id())));
        for (ContainerSpec spec : toCreate) {
            for (ContainerSpec.PortBinding b : spec.ports()) {
                if (b.hostPort() == null || b.hostPort().isBlank() || "0".equals(b.hostPort().trim())) {
                    continue;
                }
                int port;
                try {
                    port = Integer.parseInt(b.hostPort().trim());
                } catch (NumberFormatException e) {
                    continue; // a range: the engine decides
                }
                for (dev.sancho.maven.docker.PublishedPort p : observed.publishedPorts()) {
                    if (!stoppedFirst.contains(p.containerId()) && p.blocks(b.hostIp(), port, b.protocol())) {
                        String where = (b.hostIp() == null || b.hostIp().isBlank() ? "" : b.hostIp() + ":") + port;
                        blockers.add("host port " + where + " of " + spec.name() + " is taken by the running"
                                + " container " + p.containerName() + " (it publishes " + (p.hostIp() == null
                                        || p.hostIp().isBlank() ? "" : p.hostIp() + ":") + p.hostPort() + "): stop"
                                + " it or publish another port; nothing was changed");
                    }
                }
            }
        }
    }

    /** A network's {@code ipam:} in the engine's terms, or null. */
    public static dev.sancho.maven.docker.NetworkIpam ipam(NetworkDef def) {
        if (def == null || def.ipam() == null) {
            return null;
        }
        return new dev.sancho.maven.docker.NetworkIpam(def.ipam().driver(), def.ipam().config().stream()
                .map(p -> new dev.sancho.maven.docker.NetworkIpam.Pool(p.subnet(), p.ipRange(), p.gateway(),
                        p.auxAddresses())).toList(), def.ipam().options());
    }

    /** A network's {@code internal}, {@code enable_ipv6}, {@code attachable}, {@code driver_opts} in the engine's terms. */
    public static dev.sancho.maven.docker.NetworkOptions networkOptions(NetworkDef def) {
        if (def == null) {
            return dev.sancho.maven.docker.NetworkOptions.NONE;
        }
        NetworkDef.Options o = def.options();
        return new dev.sancho.maven.docker.NetworkOptions(o.internal(), o.enableIpv6(), o.attachable(), o.driverOpts());
    }

    /** Host ports the engine cannot give twice; an empty or 0 host port lets the engine pick a free one. */
    static List<String> fixedHostPorts(ContainerSpec spec) {
        return spec.ports().stream().map(ContainerSpec.PortBinding::hostPort)
                .filter(p -> p != null && !p.isBlank() && !"0".equals(p.trim())).distinct().toList();
    }

    /** Ours = carries this project's label and the infra role; anything else with the name is only adopted. */
    static boolean ownInfra(ContainerInfo c, String project) {
        return project.equals(c.label(Labels.PROJECT)) && Role.INFRA.label().equals(c.label(Labels.ROLE));
    }

    /** The labels of a network or volume the stack creates: the compose file's, then project and identity. */
    public static Map<String, String> ownedLabels(Stack stack, Map<String, String> declared) {
        Map<String, String> labels = new LinkedHashMap<>(declared == null ? Map.of() : declared);
        labels.put(Labels.PROJECT, stack.project());
        if (stack.identity() != null) {
            labels.put(Labels.IDENTITY, stack.identity());
        }
        return labels;
    }

    /**
     * Field names that differ; environment variables by name only, never by value, and no digest (a digest of a
     * secret is printed nowhere). The container's digests are compared with the spec's made by the same key: the
     * engine's, or plain SHA-256 for a container created before keyed digests ({@link Digests#LEGACY}, computed here
     * only). One made with a key the engine no longer holds cannot be compared, and the report says so.
     *
     * @param spec    the spec, its digests keyed with {@code digests}
     */
    static List<String> differences(ContainerInfo c, ContainerSpec spec, Digests digests) {
        List<String> diff = new ArrayList<>();
        if (c.image() != null && !c.image().equals(spec.image())) {
            diff.add("image " + c.image() + " -> " + spec.image());
        }
        String was = c.label(Labels.CONFIG_HASH);
        if (was == null) {
            return diff;
        }
        String keyId = c.label(Labels.DIGEST_KEY_ID);
        String now;
        String nowFields;
        if (keyId == null) {
            now = ContainerSpecs.configHash(spec, Digests.LEGACY);
            nowFields = ContainerSpecs.fieldDigests(spec, Digests.LEGACY);
        } else if (keyId.equals(digests.id())) {
            now = spec.labels().get(Labels.CONFIG_HASH);
            nowFields = spec.labels().get(Labels.CONFIG_FIELDS);
        } else {
            diff.add("configuration not compared: its digests were made with digest key " + keyId + ", which the"
                    + " engine no longer holds (now " + digests.id() + "; was the volume or config holding it"
                    + " removed?)");
            return diff;
        }
        if (was.equals(now)) {
            return diff;
        }
        Map<String, String> before = ContainerSpecs.parseFieldDigests(c.label(Labels.CONFIG_FIELDS));
        Map<String, String> after = ContainerSpecs.parseFieldDigests(nowFields);
        if (before.isEmpty()) {
            diff.add("configuration (a field sancho did not record)");
            return diff;
        }
        Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<String> fields = new ArrayList<>();
        List<String> env = new ArrayList<>();
        for (String k : keys) {
            if ("image".equals(k) || java.util.Objects.equals(before.get(k), after.get(k))) {
                continue;
            }
            if (k.startsWith("env.")) {
                String var = k.substring(4);
                env.add(var + (before.containsKey(k) ? after.containsKey(k) ? " changed" : " removed" : " added"));
            } else {
                fields.add(k);
            }
        }
        if (!env.isEmpty()) {
            fields.add("environment (" + String.join(", ", env) + ")");
        }
        if (fields.isEmpty() && diff.isEmpty()) {
            fields.add("configuration (a field sancho did not record)");
        }
        if (!fields.isEmpty()) {
            diff.add("differs: " + String.join(", ", fields));
        }
        return diff;
    }

    private static Action.DriftReport drift(StackService s, ContainerInfo c, List<String> diff) {
        String n = c.name();
        return new Action.DriftReport(s.name(), n, diff, "mvn sancho:upgrade -Dsancho.services=" + s.name()
                + " in a maintenance window (health-gated on the same volumes, undone if the new one is not ready;"
                + " -Dsancho.revert goes back)");
    }

    /**
     * Start waves by {@code depends_on}: a service starts in the wave after the latest of the services it
     * depends on among those being started now; services already running count as ready.
     *
     * <p>Infrastructure waves are each awaited: it is only started on a first deploy or a recovery, where an app
     * starting against a database still running initdb would just crash. App waves follow Compose's contract
     * instead: the short form and {@code condition: service_started} wait for the dependency to be started,
     * {@code service_healthy} for it to be ready, {@code service_completed_successfully} for the one-shot job to exit
     * with 0. The previous deploy still serves under the same DNS names meanwhile, so nothing waits for a readiness
     * it does not need; every other new app container is awaited once at the end, before the cutover.
     */
    private static void addWaves(List<Action> actions, List<StackService> services, Map<String, String> existingIds,
            Map<String, List<ContainerSpec>> specs, boolean infra, DeployOptions opts, Map<String, Action> beforeStart,
            Set<String> jobs) {
        if (services.isEmpty()) {
            return;
        }
        Map<String, StackService> byName = new LinkedHashMap<>();
        services.forEach(s -> byName.put(s.name(), s));
        Map<String, Integer> level = new HashMap<>();
        for (StackService s : services) {
            levelOf(s.name(), byName, level, new LinkedHashSet<>());
        }
        Set<String> readinessNeeded = new LinkedHashSet<>();
        for (StackService s : services) {
            s.service().dependsOn().forEach((dep, condition) -> {
                if (byName.containsKey(dep) && !"service_started".equals(condition)) {
                    readinessNeeded.add(dep);
                }
            });
        }
        readinessNeeded.removeAll(jobs); // awaited to completion instead
        int max = level.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> notAwaited = new ArrayList<>();
        for (int w = 0; w <= max; w++) {
            List<String> awaitNow = new ArrayList<>();
            List<String> completeNow = new ArrayList<>();
            for (StackService s : services) {
                if (level.get(s.name()) == w && beforeStart.containsKey(s.name())) {
                    actions.add(beforeStart.get(s.name()));
                }
            }
            for (StackService s : services) {
                if (level.get(s.name()) != w) {
                    continue;
                }
                for (ContainerSpec spec : specs.get(s.name())) {
                    String name = spec.name();
                    actions.add(new Action.StartContainer(s.name(), name, existingIds.get(s.name()), infra, w));
                    if (jobs.contains(s.name())) {
                        completeNow.add(name);
                    } else {
                        (infra || readinessNeeded.contains(s.name()) ? awaitNow : notAwaited).add(name);
                    }
                }
            }
            if (w == max) {
                awaitNow.addAll(notAwaited);
            }
            if (!completeNow.isEmpty()) {
                actions.add(new Action.AwaitCompleted(completeNow, opts.healthTimeout()));
            }
            if (!awaitNow.isEmpty()) {
                actions.add(new Action.AwaitHealthy(awaitNow, opts.healthTimeout(), opts.minReady()));
            }
        }
    }

    private static int levelOf(String name, Map<String, StackService> byName, Map<String, Integer> level,
            Set<String> visiting) {
        Integer known = level.get(name);
        if (known != null) {
            return known;
        }
        if (!visiting.add(name)) {
            return 0; // a cycle: the compose loader reports it; do not loop here
        }
        int l = 0;
        for (String dep : byName.get(name).service().dependsOn().keySet()) {
            if (byName.containsKey(dep)) {
                l = Math.max(l, levelOf(dep, byName, level, visiting) + 1);
            }
        }
        level.put(name, l);
        return l;
    }
}
