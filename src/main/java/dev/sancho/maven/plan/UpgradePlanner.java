package dev.sancho.maven.plan;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stack + what the engine holds -> what {@code sancho:upgrade} does. A pure function, like {@link Planner}.
 *
 * <p>An upgrade of an infrastructure service, in order: the kept container of its previous upgrade is removed (that
 * upgrade is over), the current container leaves its fixed name for {@code <name>_pre_<id>} ({@link Superseded}),
 * gets restart policy {@code no} and stops gracefully; the new one is created under the fixed name from the compose
 * file, on the same volumes and networks, started (only while nothing else writes its data volume), health-gated and
 * verified. If any of that fails, the undo removes the new one, gives the previous one its name and restart policy
 * back and starts it. Never two containers of one service run at once ({@link UpgradePlan#assertSafe()}).
 */
public final class UpgradePlanner {
    private UpgradePlanner() {}

    /** What the goal was asked to do. */
    public enum Mode {
        UPGRADE, REVERT, CONFIRM,
        /**
         * What {@code sancho:recover} does first: only finish what an interrupted upgrade left (a fixed name given
         * back, an upgrade that never became ready reverted); no drift applied, nothing removed.
         */
        HEAL
    }

    /**
     * @param services the infrastructure services named ({@code sancho.services}); empty = each one that has
     *                 something to do in this mode
     */
    public record Options(Mode mode, List<String> services, Duration healthTimeout, Duration minReady) {
        public Options {
            services = List.copyOf(services);
        }
    }

    public static UpgradePlan plan(Stack stack, ObservedState observed, Options opts) {
        String project = stack.project();
        String identity = stack.identity();
        List<StackService> selected = select(stack, opts.services());
        boolean named = !opts.services().isEmpty();
        List<Action.PullImage> pulls = new ArrayList<>();
        List<UpgradePlan.Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> blockers = new ArrayList<>();

        for (StackService s : selected) {
            String fixed = s.containerName();
            ContainerInfo c = observed.byName().get(fixed);
            List<ContainerInfo> kept = Superseded.kept(observed.projectContainers(), s, project, identity);
            List<ContainerInfo> before = new ArrayList<>();
            if (c != null) {
                before.add(c);
            }
            before.addAll(kept);
            ContainerSpec spec = ContainerSpecs.forService(stack, s, observed.digests());
            String policy = spec.restartPolicy() == null ? "no" : spec.restartPolicy();
            Duration grace = ContainerSpecs.stopTimeout(s.service());

            if (c == null) {
                ContainerInfo head = Superseded.head(kept).orElse(null);
                if (head != null) {
                    steps.add(reinstate(s, before, head, policy, opts));
                    if (opts.mode() == Mode.UPGRADE) {
                        notes.add(fixed + " gets its name back first; run sancho:upgrade again to upgrade it");
                    }
                } else if (named && opts.mode() != Mode.HEAL) {
                    blockers.add(fixed + " does not exist, so there is nothing to upgrade: sancho:deploy creates it,"
                            + " sancho:recover recreates it on its volume");
                }
                continue;
            }
            if (!Planner.ownInfra(c, project)) {
                if (named) {
                    blockers.add(fixed + " was not created by sancho (no " + project + " labels), so sancho never"
                            + " modifies it; upgrade it yourself");
                }
                continue;
            }
            for (ContainerInfo k : kept) {
                if (k.running()) {
                    blockers.add(k.name() + " runs beside " + fixed + ": two servers on one data volume corrupt it."
                            + " Stop it first (docker stop " + k.name() + "), then run this again");
                }
            }
            ContainerInfo superseded = kept.stream().filter(k -> k.id().equals(c.label(Labels.SUPERSEDES)))
                    .findFirst().orElse(null);
            switch (opts.mode()) {
                case HEAL -> {
                    if (superseded != null && (!c.running() || "unhealthy".equals(c.health()))) {
                        steps.add(revert(s, before, c, superseded, policy, "the upgrade to " + fixed + " did not"
                                + " finish (it is " + c.state() + (c.health() == null ? "" : ", " + c.health())
                                + "): back to " + superseded.name(), opts));
                    }
                }
                case CONFIRM -> {
                    List<Action> removals = new ArrayList<>();
                    for (ContainerInfo k : kept) {
                        if (Safety.removableSuperseded(k, c, s, project, identity)) {
                            removals.add(new Action.RemoveSuperseded(s.name(), k, "kept for a revert of " + fixed
                                    + "; confirmed"));
                        } else {
                            notes.add(k.name() + " left alone: it is kept for " + fixed + ", which "
                                    + (c.running() ? "does not belong to its upgrade" : "is not running"));
                        }
                    }
                    if (!removals.isEmpty()) {
                        steps.add(new UpgradePlan.Step(s, UpgradePlan.Kind.CONFIRM, before, removals, List.of(),
                                "the upgrade is confirmed"));
                    } else if (named) {
                        notes.add(fixed + ": nothing to confirm");
                    }
                }
                case REVERT -> {
                    if (superseded != null) {
                        steps.add(revert(s, before, c, superseded, policy, "back to " + superseded.name() + " ("
                                + superseded.image() + ")", opts));
                    } else if (named) {
                        blockers.add("nothing to revert for " + fixed + ": no container it superseded is kept"
                                + " (-Dsancho.revert goes back one upgrade, until -Dsancho.confirm or the next"
                                + " upgrade removes the previous container)");
                    }
                }
                case UPGRADE -> {
                    if (superseded != null && (!c.running() || "unhealthy".equals(c.health()))) {
                        steps.add(revert(s, before, c, superseded, policy, "the upgrade to " + fixed + " did not"
                                + " finish (it is " + c.state() + (c.health() == null ? "" : ", " + c.health())
                                + "): back to " + superseded.name(), opts));
                        continue;
                    }
                    List<String> diff = Planner.differences(c, spec, observed.digests());
                    if (diff.isEmpty()) {
                        if (named) {
                            notes.add(fixed + ": no drift, nothing to upgrade");
                        }
                        continue;
                    }
                    Set<String> was = volumes(c);
                    Set<String> will = new TreeSet<>(Planner.volumesOf(stack, s));
                    if (!was.equals(will)) {
                        blockers.add("refusing to upgrade " + fixed + ": it would move from volumes " + was + " to "
                                + will + "; an upgrade keeps the data where it is (change volumes by hand)");
                    }
                    spec.networks().keySet().stream().filter(n -> !observed.networks().contains(n))
                            .forEach(n -> blockers.add("network " + n + " of " + fixed + " does not exist: sancho:deploy"
                                    + " creates it"));
                    Planner.volumeHolds(stack, observed, List.of(s)).forEach(h -> blockers.add(h.describe()));
                    if (!observed.images().contains(spec.image())
                            && pulls.stream().noneMatch(p -> p.image().equals(spec.image()))) {
                        pulls.add(new Action.PullImage(spec.image()));
                    }
                    steps.add(upgrade(s, before, c, kept, spec, policy, grace, String.join("; ", diff), project, identity,
                            opts));
                }
            }
        }
        if (steps.isEmpty() && blockers.isEmpty()) {
            notes.add(switch (opts.mode()) {
                case UPGRADE -> "nothing to upgrade: no infrastructure service" + (named ? " named" : "")
                        + " differs from the compose file";
                case REVERT -> "nothing to revert: no infrastructure container" + (named ? " named" : "")
                        + " superseded one that is kept";
                case CONFIRM -> "nothing to confirm: no container kept by an upgrade";
                case HEAL -> "no upgrade was interrupted";
            });
        }
        return new UpgradePlan(project, identity, pulls, steps, notes, blockers);
    }

    private static UpgradePlan.Step upgrade(StackService s, List<ContainerInfo> before, ContainerInfo c,
            List<ContainerInfo> kept, ContainerSpec spec, String policy, Duration grace, String summary,
            String project, String identity, Options opts) {
        String fixed = s.containerName();
        String aside = Superseded.name(fixed, c.id());
        List<Action> forward = new ArrayList<>();
        for (ContainerInfo k : kept) {
            if (Safety.removableSuperseded(k, c, s, project, identity)) {
                forward.add(new Action.RemoveSuperseded(s.name(), k, "kept by the previous upgrade of " + fixed
                        + "; this upgrade keeps " + aside + " instead"));
            }
        }
        ContainerSpec created = ContainerSpecs.withExtraLabels(spec, Map.of(Labels.SUPERSEDES, c.id()));
        forward.add(new Action.RenameInfra(s.name(), c, fixed, aside, null));
        forward.add(new Action.StopInfra(s.name(), c, grace));
        forward.add(new Action.CreateUpgraded(s.name(), created, c.id(), aside));
        forward.add(new Action.StartInfra(s.name(), fixed, policy));
        forward.add(new Action.AwaitHealthy(List.of(fixed), opts.healthTimeout(), opts.minReady()));
        forward.add(new Action.VerifyInfra(s.name(), fixed, spec.image(), volumeList(spec), aliases(spec.networks())));
        List<Action> undo = List.of(
                new Action.DiscardUpgraded(s.name(), fixed, c.id()),
                new Action.RenameInfra(s.name(), c, aside, fixed, policy),
                new Action.StartInfra(s.name(), fixed, policy),
                new Action.AwaitHealthy(List.of(fixed), opts.healthTimeout(), opts.minReady()));
        return new UpgradePlan.Step(s, UpgradePlan.Kind.UPGRADE, before, forward, undo, summary);
    }

    /** The container under the fixed name steps aside (kept), the one it superseded gets the name back. */
    private static UpgradePlan.Step revert(StackService s, List<ContainerInfo> before, ContainerInfo c,
            ContainerInfo back, String policy, String summary, Options opts) {
        String fixed = s.containerName();
        String aside = Superseded.name(fixed, c.id());
        String backAside = Superseded.name(fixed, back.id());
        List<Action> forward = List.of(
                new Action.RenameInfra(s.name(), c, fixed, aside, null),
                new Action.StopInfra(s.name(), c, ContainerSpecs.stopTimeout(s.service())),
                new Action.RenameInfra(s.name(), back, back.name(), fixed, policy),
                new Action.StartInfra(s.name(), fixed, policy),
                new Action.AwaitHealthy(List.of(fixed), opts.healthTimeout(), opts.minReady()),
                new Action.VerifyInfra(s.name(), fixed, back.image(), List.copyOf(volumes(back)),
                        aliases(back.networkAliases())));
        List<Action> undo = List.of(
                new Action.StopInfra(s.name(), back, ContainerSpecs.stopTimeout(s.service())),
                new Action.RenameInfra(s.name(), back, fixed, backAside, null),
                new Action.RenameInfra(s.name(), c, aside, fixed, policy),
                new Action.StartInfra(s.name(), fixed, policy),
                new Action.AwaitHealthy(List.of(fixed), opts.healthTimeout(), opts.minReady()));
        return new UpgradePlan.Step(s, UpgradePlan.Kind.REVERT, before, forward, undo, summary);
    }

    private static UpgradePlan.Step reinstate(StackService s, List<ContainerInfo> before, ContainerInfo head,
            String policy, Options opts) {
        String fixed = s.containerName();
        List<Action> forward = new ArrayList<>();
        forward.add(new Action.RenameInfra(s.name(), head, head.name(), fixed, policy));
        forward.add(new Action.StartInfra(s.name(), fixed, policy));
        forward.add(new Action.AwaitHealthy(List.of(fixed), opts.healthTimeout(), opts.minReady()));
        return new UpgradePlan.Step(s, UpgradePlan.Kind.REINSTATE, before, forward, List.of(), fixed + " is missing: "
                + head.name() + " (kept by an interrupted upgrade or revert) gets the name back");
    }

    /** The infrastructure services {@code sancho.services} names, or all; a name that is none fails in one line. */
    static List<StackService> select(Stack stack, List<String> names) {
        if (names.isEmpty()) {
            return stack.infrastructure();
        }
        List<StackService> out = new ArrayList<>();
        for (String n : names) {
            StackService s = stack.service(n).orElse(null);
            String infra = String.join(", ", stack.infrastructure().stream().map(StackService::name).toList());
            if (s == null) {
                throw new ConfigException("parameter services (sancho.services): no service " + n + " in the compose"
                        + " file (infrastructure services: " + (infra.isEmpty() ? "none" : infra) + ")");
            }
            if (!s.infra()) {
                throw new ConfigException("parameter services (sancho.services): " + n + " is an application service;"
                        + " sancho:deploy replaces it with every deploy, sancho:upgrade is for infrastructure ("
                        + (infra.isEmpty() ? "none" : infra) + ")");
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The named volumes a container mounts (not the anonymous ones an image's VOLUME gives it). */
    static Set<String> volumes(ContainerInfo c) {
        Set<String> out = new TreeSet<>();
        c.mounts().stream().filter(m -> "volume".equals(m.type()) && m.source() != null
                && !m.source().matches("[0-9a-f]{64}"))
                .forEach(m -> out.add(m.source()));
        return out;
    }

    private static List<String> volumeList(ContainerSpec spec) {
        return spec.mounts().stream().filter(m -> "volume".equals(m.type()) && m.source() != null)
                .map(ContainerSpec.Mount::source).distinct().sorted().toList();
    }

    private static Map<String, List<String>> aliases(Map<String, List<String>> networks) {
        return new LinkedHashMap<>(networks);
    }
}
