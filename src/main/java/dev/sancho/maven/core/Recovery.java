package dev.sancho.maven.core;

import dev.sancho.maven.plan.Action;
import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.NetworkDef;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.VolumeDef;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.ContainerSpecs;
import dev.sancho.maven.plan.Digests;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runbook's emergency recovery: infrastructure containers that are missing are created again from the
 * compose definition, on their existing volumes, and started. Nothing that exists is touched — not a running
 * container, not a stopped one, not a volume. Everything is decided before the first change, so a refusal
 * leaves the engine exactly as it was.
 */
public final class Recovery {
    private Recovery() {}

    /**
     * @param allowEmptyVolume create a missing data volume (empty) instead of refusing
     * @param allowEmptyCertificates start a recreated proxy whose certificate store is missing or empty
     * @param dryRun           print the plan, change nothing
     * @param maskedVariables  more variable names whose values a failure message hides
     */
    public record Options(boolean allowEmptyVolume, boolean dryRun, Duration healthTimeout, Duration minReady,
            List<String> maskedVariables, boolean allowEmptyCertificates) {
        public Options {
            maskedVariables = maskedVariables == null ? List.of() : List.copyOf(maskedVariables);
        }

        public Options(boolean allowEmptyVolume, boolean dryRun, Duration healthTimeout, Duration minReady,
                List<String> maskedVariables) {
            this(allowEmptyVolume, dryRun, healthTimeout, minReady, maskedVariables, false);
        }

        public Options(boolean allowEmptyVolume, boolean dryRun, Duration healthTimeout, Duration minReady) {
            this(allowEmptyVolume, dryRun, healthTimeout, minReady, List.of());
        }
    }

    /** What recovery will do for one infrastructure service. */
    public record Step(StackService service, ContainerInfo existing, ContainerSpec spec, List<String> missingVolumes,
            List<String> missingNetworks, boolean pullImage) {
        public boolean recreate() {
            return existing == null;
        }

        /** What recreating it changes, in order: its missing networks, its (empty) volumes, then the container. */
        List<Action> actions(Stack stack) {
            List<Action> out = new ArrayList<>();
            for (String network : missingNetworks) {
                NetworkDef def = networkDef(stack, network);
                out.add(new Action.CreateNetwork(network, def == null ? null : def.driver(),
                        dev.sancho.maven.plan.Planner.ownedLabels(stack, Map.of()), dev.sancho.maven.plan.Planner.ipam(def),
                        dev.sancho.maven.plan.Planner.networkOptions(def)));
            }
            for (String volume : missingVolumes) {
                VolumeDef def = volumeDef(stack, volume);
                out.add(new Action.CreateVolume(volume, def == null ? null : def.driver(),
                        def == null ? Map.of() : def.driverOpts(), dev.sancho.maven.plan.Planner.ownedLabels(stack, Map.of()),
                        "-Dsancho.allowEmptyVolume"));
            }
            out.add(new Action.CreateContainer(service.name(), true, spec));
            return out;
        }
    }

    /** @return the containers recreated (names), empty when everything was there */
    public static List<String> recover(DockerEngine engine, Stack stack, Options options, Log log) {
        if (stack.infrastructure().isEmpty()) {
            throw new ConfigException("nothing to recover: no service of " + stack.compose().path().getFileName()
                    + " is infrastructure (set <infrastructure> or label services sancho.role=infra)");
        }
        Ownership.require(engine, stack, false, log);
        // an upgrade killed half-way: the container that held the fixed name gets it back, nothing is created
        List<String> healed = Upgrade.heal(engine, stack, options.dryRun(), options.healthTimeout(),
                options.minReady(), options.maskedVariables(), log);
        if (!healed.isEmpty() && options.dryRun()) {
            log.info("Dry run: nothing changed. Without -Dsancho.dryRun this finishes the interrupted upgrade of "
                    + String.join(", ", healed) + " first.");
            return List.of();
        } else if (!healed.isEmpty()) {
            log.info("Recovered " + String.join(", ", healed) + " from an interrupted sancho:upgrade, on its data;"
                    + " sancho:recover again recreates what is still missing");
            return healed;
        }
        List<Step> steps = plan(engine, stack, DigestKey.findOrUnsaved(engine, stack.project()));
        Table t = new Table();
        for (Step s : steps) {
            if (!s.recreate()) {
                t.row("keep", s.service().containerName(), s.existing().state()
                        + ("running".equals(s.existing().state()) ? ", untouched" : ", untouched — not started by"
                                + " recover: docker start " + s.service().containerName()));
            } else {
                t.row("create", s.service().containerName(), s.spec().image() + mountsText(s.spec())
                        + (s.missingVolumes().isEmpty() ? "" : " — MISSING volume " + String.join(", ",
                                s.missingVolumes())));
            }
        }
        log.info("sancho:recover — project " + stack.project() + " on " + engine.address());
        t.lines().forEach(l -> log.info("  " + l));

        List<Step> toCreate = steps.stream().filter(Step::recreate).toList();
        if (toCreate.isEmpty()) {
            log.info("Nothing to recover: every infrastructure container exists.");
            return List.of();
        }
        for (Step s : toCreate) {
            if (!s.missingVolumes().isEmpty() && !options.allowEmptyVolume()) {
                throw new CheckFailedException("refusing to recreate " + s.service().containerName() + ": its data"
                        + " volume " + String.join(", ", s.missingVolumes()) + " does not exist, so it would start"
                        + " EMPTY (a fresh database). Restore the volume from backup, or rerun with"
                        + " -Dsancho.allowEmptyVolume if an empty one is really what you want. Nothing was changed.");
            }
            // Never a second server on the same files: a renamed but still running container holds the volume.
            for (String volume : dev.sancho.maven.plan.Planner.volumesOf(stack, s.service())) {
                Map<String, String> sharers = dev.sancho.maven.plan.Planner.sharers(stack, s.service(), volume);
                for (ContainerInfo user : s.missingVolumes().contains(volume) ? List.<ContainerInfo>of()
                        : engine.containersUsingVolume(volume)) {
                    boolean writes = user.mounts().stream().anyMatch(m -> "volume".equals(m.type())
                            && volume.equals(m.source()) && !m.readOnly());
                    if (user.running() && writes && dev.sancho.maven.plan.Safety.secondServer(user,
                            s.service().containerName(), stack.project(), sharers)) {
                        throw new CheckFailedException(new dev.sancho.maven.plan.Safety.VolumeHold(
                                s.service().containerName(), volume, user.name()).describe()
                                + ". Nothing was changed.");
                    }
                }
            }
        }
        if (!options.allowEmptyVolume()) {
            refuseEmptyVolumes(engine, stack, toCreate);
        }
        if (options.dryRun()) {
            log.info("Dry run: nothing changed. Without -Dsancho.dryRun this creates and starts "
                    + String.join(", ", toCreate.stream().map(s -> s.service().containerName()).toList()) + ".");
            return List.of();
        }
        Deployer.ensureImages(engine, toCreate.stream().filter(Step::pullImage)
                .map(s -> new Action.PullImage(s.spec().image())).distinct().toList(), log);
        // the container is labelled with digests keyed by the project's key on this engine, created if absent
        Digests key = DigestKey.ensure(engine, stack.project(), log);
        toCreate = toCreate.stream().map(s -> new Step(s.service(), s.existing(),
                ContainerSpecs.forService(stack, s.service(), key), s.missingVolumes(), s.missingNetworks(),
                s.pullImage())).toList();
        Map<String, String> started = new LinkedHashMap<>();
        for (Step s : toCreate) {
            for (Action a : s.actions(stack)) {
                if (a instanceof Action.CreateNetwork n) {
                    log.info("  creating network " + n.name());
                } else if (a instanceof Action.CreateVolume v) {
                    log.warn("creating EMPTY volume " + v.name() + " (-Dsancho.allowEmptyVolume)");
                } else if (a instanceof Action.CreateContainer c) {
                    log.info("  creating " + c.name() + " from " + c.spec().image());
                }
                String id = Executor.create(engine, a);
                if (id != null) {
                    refuseEmptyCertificateStore(engine, stack, s, id, options);
                    Executor.start(engine, id);
                    started.put(id, s.service().containerName());
                }
            }
        }
        log.info("Waiting for " + String.join(", ", started.values()) + " to become ready (timeout "
                + options.healthTimeout().toSeconds() + " s)");
        HealthGate.Result r = HealthGate.await(engine, started, options.healthTimeout(), options.minReady(), log);
        if (!r.ok()) {
            throw new CheckFailedException("recreated " + String.join(", ", started.values())
                    + " but it is not ready (left in place for inspection): " + SecretMask.of(stack, options.maskedVariables()).apply(r.describe()));
        }
        log.info("Recovered " + String.join(", ", started.values()) + " on the existing volumes.");
        return List.copyOf(started.values());
    }

    /**
     * A data volume that exists but holds nothing is no surviving data: recovering onto it starts the database EMPTY
     * (a volume recreated under the same name, a mistyped external name someone created). The engine's own accounting
     * says so ({@code GET /system/df}: 0 bytes); where it cannot tell (a driver without usage data), a volume created
     * after this project's oldest container on the engine is taken as new, unless {@code sancho.allowEmptyVolume}.
     */
    private static void refuseEmptyVolumes(DockerEngine engine, Stack stack, List<Step> toCreate) {
        Map<String, Long> sizes = null;
        java.time.Instant firstTrace = null;
        for (Step s : toCreate) {
            for (String volume : dev.sancho.maven.plan.Planner.volumesOf(stack, s.service())) {
                if (s.missingVolumes().contains(volume)) {
                    continue;
                }
                if (sizes == null) {
                    sizes = engine.volumeSizes();
                }
                Long size = sizes.get(volume);
                String why = null;
                if (size != null && size == 0) {
                    why = "holds no data (0 bytes)";
                } else if (size == null) {
                    if (firstTrace == null) {
                        firstTrace = engine.listContainerSummaries(Map.of(Labels.PROJECT, stack.project())).stream()
                                .filter(c -> !Labels.ROLE_LOCK.equals(c.label(Labels.ROLE)))
                                .map(ContainerInfo::created).filter(java.util.Objects::nonNull)
                                .min(java.util.Comparator.naturalOrder()).orElse(java.time.Instant.MAX);
                    }
                    java.time.Instant created = engine.findVolume(volume).map(v -> JsonTime.parse(v.createdAt()))
                            .orElse(null);
                    if (created != null && created.isAfter(firstTrace)) {
                        why = "was created at " + created + ", after this project's containers here (the engine"
                                + " cannot tell its size): a new volume, not the one the data was on";
                    }
                }
                if (why != null) {
                    throw new CheckFailedException("refusing to recreate " + s.service().containerName() + " on volume "
                            + volume + ": it " + why + ", so the database would start EMPTY. Restore the data into it"
                            + " (or fix the volume name in the compose file), or rerun with -Dsancho.allowEmptyVolume"
                            + " if an empty one is really what you want. Nothing was changed.");
                }
            }
        }
    }

    /** The engine's RFC 3339 times ({@code 2026-01-05T10:00:00Z}, or with an offset); null when unreadable. */
    private static final class JsonTime {
        static java.time.Instant parse(String s) {
            try {
                return s == null ? null : java.time.OffsetDateTime.parse(s).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
    }

    /**
     * A proxy started on a lost certificate store requests every certificate again, and Let's Encrypt issues only 5
     * per week per set of names: the proxy would be without HTTPS for days. So a recreated proxy whose store is
     * missing or empty is left created, not started (its store can only be read through the container, which is
     * why it is checked after the creation), unless {@code -Dsancho.allowEmptyCertificates}.
     */
    private static void refuseEmptyCertificateStore(DockerEngine engine, Stack stack, Step s, String id,
            Options options) {
        if (options.allowEmptyCertificates()) {
            return;
        }
        List<String> empty = CertificateChecks.emptyStores(engine, stack, s.service().name(), id);
        if (!empty.isEmpty()) {
            String name = s.service().containerName();
            throw new CheckFailedException("refusing to start " + name + ": its certificate store "
                    + String.join(", ", empty) + "; started on it, the proxy would request every certificate again"
                    + " (Let's Encrypt issues 5 per week per set of names). " + name + " is created, not started."
                    + " Restore the store (e.g. ./letsencrypt) from a backup, then docker start " + name
                    + "; or, if an empty store is intended, docker start " + name
                    + " (or docker rm it and rerun with -Dsancho.allowEmptyCertificates).");
        }
    }

    /** Pure reading: what exists, what is missing. No change to the engine. */
    static List<Step> plan(DockerEngine engine, Stack stack) {
        return plan(engine, stack, Digests.unsaved());
    }

    static List<Step> plan(DockerEngine engine, Stack stack, Digests digests) {
        List<Step> steps = new ArrayList<>();
        for (StackService s : stack.infrastructure()) {
            Optional<ContainerInfo> existing = engine.findContainer(s.containerName());
            if (existing.isPresent()) {
                steps.add(new Step(s, existing.get(), null, List.of(), List.of(), false));
                continue;
            }
            ContainerSpec spec = ContainerSpecs.forService(stack, s, digests);
            List<String> missingVolumes = new ArrayList<>();
            for (Service.Mount m : s.service().volumes()) {
                if ("volume".equals(m.type()) && m.source() != null) {
                    String volume = stack.volumeNames().getOrDefault(m.source(), m.source());
                    if (engine.findVolume(volume).isEmpty() && !missingVolumes.contains(volume)) {
                        missingVolumes.add(volume);
                    }
                }
            }
            List<String> missingNetworks = new ArrayList<>();
            for (String network : spec.networks().keySet()) {
                if (engine.findNetwork(network).isEmpty()) {
                    NetworkDef def = networkDef(stack, network);
                    if (def != null && def.external()) {
                        throw new CheckFailedException("cannot recreate " + s.containerName() + ": its external"
                                + " network " + network + " does not exist (docker network create " + network
                                + "). Nothing was changed.");
                    }
                    missingNetworks.add(network);
                }
            }
            boolean pull = engine.findImage(spec.image()).isEmpty();
            steps.add(new Step(s, null, spec, missingVolumes, missingNetworks, pull));
        }
        return steps;
    }

    private static String mountsText(ContainerSpec spec) {
        List<String> parts = spec.mounts().stream().filter(m -> m.source() != null)
                .map(m -> m.source() + ":" + m.target()).toList();
        return parts.isEmpty() ? "" : " on " + String.join(", ", parts);
    }

    private static NetworkDef networkDef(Stack stack, String engineName) {
        return stack.networkNames().entrySet().stream().filter(e -> e.getValue().equals(engineName))
                .map(e -> stack.compose().networks().get(e.getKey())).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }

    private static VolumeDef volumeDef(Stack stack, String engineName) {
        return stack.volumeNames().entrySet().stream().filter(e -> e.getValue().equals(engineName))
                .map(e -> stack.compose().volumes().get(e.getKey())).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }
}
