package dev.sancho.maven.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a deploy will do, as data. Produced by {@link Planner}, printed for every run (a dry run prints it and
 * stops), checked by {@link #assertSafe()} and executed by one loop in the core.
 *
 * @param infraNames the fixed names of the stack's infrastructure containers
 * @param notes      information for the user (adopted foreign containers, kept deploys)
 * @param blockers   reasons the plan must not run; each is one line saying what to do
 * @param volumeHolds running containers found on the data volume of an infrastructure container the plan would
 *                    create or start (each is also a blocker; {@link #assertSafe()} refuses such a plan)
 * @param identity   the project's identity ({@link ProjectIdentity}); null when unknown
 */
public record Plan(
        String project, String deployId, Set<String> infraNames, List<Action> actions, List<String> notes,
        List<String> blockers, List<Safety.VolumeHold> volumeHolds, String identity) {

    public Plan {
        volumeHolds = List.copyOf(volumeHolds);
        infraNames = Set.copyOf(infraNames);
        actions = List.copyOf(actions);
        notes = List.copyOf(notes);
        blockers = List.copyOf(blockers);
    }

    /** A plan of a project without a known identity and with no volume holds. */
    public Plan(String project, String deployId, Set<String> infraNames, List<Action> actions, List<String> notes,
            List<String> blockers) {
        this(project, deployId, infraNames, actions, notes, blockers, List.of(), null);
    }

    /** A plan with no volume holds. */
    public Plan(String project, String deployId, Set<String> infraNames, List<Action> actions, List<String> notes,
            List<String> blockers, String identity) {
        this(project, deployId, infraNames, actions, notes, blockers, List.of(), identity);
    }

    public <T extends Action> List<T> actions(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Names of the app containers this deploy creates (what a failed deploy removes again). */
    public List<String> newAppContainers() {
        return actions(Action.CreateContainer.class).stream().filter(c -> !c.infra())
                .map(Action.CreateContainer::name).toList();
    }

    /** Warnings to print once before the plan runs (an outage a stop-first service causes, and how to avoid it). */
    public List<String> warnings() {
        List<String> out = new ArrayList<>(actions(Action.NetworkDrift.class).stream().map(Action::describe).toList());
        actions(Action.StopFirst.class).stream().map(Action.StopFirst::warning).forEach(out::add);
        return out;
    }

    /**
     * The plan-level safety net, checked before anything runs: nothing outside this project's app containers (of its
     * identity) is stopped, removed or re-aliased, no infrastructure name is ever stopped, removed or created over,
     * and no infrastructure container is created or started on a data volume another running container mounts. The
     * one rename a deploy does is a kept container of an interrupted upgrade taking its fixed name back.
     * Volumes cannot be removed at all: no action exists for it.
     *
     * @throws IllegalStateException on a violation: that is a bug, and it must never reach the engine
     */
    public Plan assertSafe() {
        for (Action a : actions) {
            if (a instanceof Action.RemoveContainer r) {
                Safety.requireRemovable(r.container(), project, identity, infraNames);
            } else if (a instanceof Action.Cutover c) {
                c.stop().forEach(o -> Safety.requireRemovable(o.container(), project, identity, infraNames));
            } else if (a instanceof Action.StopFirst f) {
                f.stop().forEach(o -> Safety.requireRemovable(o.container(), project, identity, infraNames));
            } else if (a instanceof Action.RemoveImage i) {
                Safety.requireRemovableImage(i.image(), project, i.keptDeployIds(), i.inUse());
            } else if (a instanceof Action.RestoreAliases r) {
                Safety.requireRemovable(r.container(), project, identity, infraNames);
            } else if (a instanceof Action.CreateContainer c && !c.infra() && infraNames.contains(c.name())) {
                throw new IllegalStateException("refusing to create app container " + c.name()
                        + ": that is an infrastructure name");
            } else if (a instanceof Action.CreateContainer c && c.infra()) {
                Safety.requireNoSecondServer(c.name(), volumeHolds);
            } else if (a instanceof Action.StartContainer s && s.infra()) {
                Safety.requireNoSecondServer(s.name(), volumeHolds);
            } else if (a instanceof Action.RenameInfra r) {
                Safety.requireRenameBack(r.container(), r.from(), r.to(), project, identity, infraNames);
            } else if (a instanceof Action.RemoveSuperseded || a instanceof Action.DiscardUpgraded
                    || a instanceof Action.StopInfra || a instanceof Action.CreateUpgraded) {
                throw new IllegalStateException("refusing " + a.describe() + ": only sancho:upgrade does that");
            }
        }
        return this;
    }

    /** The printed plan, one line per action, blockers last. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("Plan for project " + project + ", deploy " + deployId + ":");
        actions.forEach(a -> out.add("  " + a.describe()));
        notes.forEach(n -> out.add("  note     " + n));
        blockers.forEach(b -> out.add("  BLOCKED  " + b));
        return out;
    }
}
