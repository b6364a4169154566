package dev.sancho.maven.plan;

import dev.sancho.maven.docker.ContainerInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code sancho:upgrade} will do, as data: per infrastructure service one {@link Step}, its actions and the
 * undo that runs when a forward action fails (or Ctrl-C comes). Produced by {@link UpgradePlanner}, printed (a dry run
 * prints it and stops), checked by {@link #assertSafe()}, run by one executor in the core.
 *
 * @param pulls    images the new containers need, pulled (or found) before anything stops
 * @param blockers reasons the plan must not run, each one line saying what to do
 */
public record UpgradePlan(String project, String identity, List<Action.PullImage> pulls, List<Step> steps,
        List<String> notes, List<String> blockers) {

    public UpgradePlan {
        pulls = List.copyOf(pulls);
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
        blockers = List.copyOf(blockers);
    }

    /** What happens to one service. */
    public enum Kind {
        /** the drift applied: the current container set aside, a new one from the compose file */
        UPGRADE,
        /** {@code -Dsancho.revert}: the container the current one superseded gets the fixed name back */
        REVERT,
        /** the fixed name was missing (an upgrade or revert killed half-way): the kept container gets it back */
        REINSTATE,
        /** {@code -Dsancho.confirm}: the kept container of an upgrade that is over is removed */
        CONFIRM;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param before  the service's containers as read: the one under the fixed name (if any) and the kept ones
     * @param forward the actions, in order
     * @param undo    what runs when a forward action fails: each action skips what is already as it should be, so
     *                the same list undoes any prefix of {@code forward}
     * @param summary one line for the plan's header and the result (e.g. {@code image a -> b})
     */
    public record Step(StackService service, Kind kind, List<ContainerInfo> before, List<Action> forward,
            List<Action> undo, String summary) {
        public Step {
            before = List.copyOf(before);
            forward = List.copyOf(forward);
            undo = List.copyOf(undo);
        }

        public String fixedName() {
            return service.containerName();
        }

        /** The container under the fixed name when the plan was made, or null. */
        public ContainerInfo current() {
            return before.stream().filter(c -> fixedName().equals(c.name())).findFirst().orElse(null);
        }
    }

    /** The printed plan. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("Upgrade plan for project " + project + ":");
        pulls.forEach(p -> out.add("  " + p.describe()));
        for (Step s : steps) {
            out.add("  " + s.service().name() + " (" + s.fixedName() + "): " + s.kind().label() + ", " + s.summary());
            s.forward().forEach(a -> out.add("    " + a.describe()));
            if (!s.undo().isEmpty()) {
                out.add("    if a step fails, or is not ready:");
                s.undo().forEach(a -> out.add("      " + a.describe()));
            }
        }
        notes.forEach(n -> out.add("  note     " + n));
        blockers.forEach(b -> out.add("  BLOCKED  " + b));
        return out;
    }

    /**
     * The safety net, checked before anything runs: each step is played on its containers as read, forward, and from
     * after every prefix of it through the undo: never two containers of one infrastructure service running at once,
     * no name taken twice, renames only between the fixed name and a container's kept name, and removals only of a
     * kept container of an upgrade that is over ({@link Safety#requireRemovableSuperseded}) or, in the undo only, of
     * the container this upgrade created ({@link Safety#discardable}). Nothing else is removed, and nothing is
     * removed in a plan of any other goal.
     *
     * @throws IllegalStateException on a violation: a bug, which must never reach the engine
     */
    public UpgradePlan assertSafe() {
        for (Step s : steps) {
            play(s, s.forward(), false, initial(s));
            for (int k = 0; k <= s.forward().size(); k++) {
                Map<String, Sim> state = initial(s);
                play(s, s.forward().subList(0, k), false, state);
                play(s, s.undo(), true, state);
            }
        }
        return this;
    }

    /** One container of the service in the played-out plan. */
    private static final class Sim {
        String name;
        boolean running;

        Sim(String name, boolean running) {
            this.name = name;
            this.running = running;
        }
    }

    private static Map<String, Sim> initial(Step s) {
        Map<String, Sim> state = new LinkedHashMap<>();
        s.before().forEach(c -> state.put(c.id(), new Sim(c.name(), c.running())));
        return state;
    }

    private void play(Step s, List<Action> actions, boolean undo, Map<String, Sim> state) {
        String fixed = s.fixedName();
        for (Action a : actions) {
            if (a instanceof Action.PullImage || a instanceof Action.AwaitHealthy || a instanceof Action.VerifyInfra) {
                continue;
            }
            if (a instanceof Action.RemoveSuperseded r) {
                Sim k = state.get(r.container().id());
                if (k == null || k.running || !k.name.equals(r.container().name())) {
                    throw new IllegalStateException("refusing to remove " + r.container().name() + ": not a stopped"
                            + " kept container at that point of the plan");
                }
                Safety.requireRemovableSuperseded(r.container(), s.current(), s.service(), project, identity);
                Sim cur = byName(state, fixed);
                if (cur == null || !cur.running) {
                    throw new IllegalStateException("refusing to remove " + r.container().name() + ": " + fixed
                            + " does not run at that point of the plan");
                }
                state.remove(r.container().id());
            } else if (a instanceof Action.DiscardUpgraded d) {
                boolean created = s.forward().stream().anyMatch(f -> f instanceof Action.CreateUpgraded c
                        && c.name().equals(d.name()) && c.supersedesId().equals(d.supersedesId()));
                if (!undo || s.kind() != Kind.UPGRADE || !created || !fixed.equals(d.name())) {
                    throw new IllegalStateException("refusing to remove " + d.name() + ": only the undo of a failed"
                            + " upgrade removes the container that upgrade created");
                }
                state.remove(createdId(fixed));
            } else if (a instanceof Action.RenameInfra r) {
                Sim c = state.get(r.container().id());
                if (c == null) {
                    throw new IllegalStateException("refusing to rename " + r.from() + ": not in the plan");
                }
                if (c.name.equals(r.to())) {
                    continue;
                }
                boolean away = fixed.equals(r.from()) && Superseded.name(fixed, r.container().id()).equals(r.to());
                boolean back = fixed.equals(r.to()) && r.from().startsWith(fixed + Superseded.MARK);
                if (!c.name.equals(r.from()) || !(away || back) || byName(state, r.to()) != null) {
                    throw new IllegalStateException("refusing to rename " + c.name + " to " + r.to() + ": only between"
                            + " " + fixed + " and a kept name, and never onto a name in use");
                }
                c.name = r.to();
            } else if (a instanceof Action.StopInfra t) {
                Sim c = state.get(t.container().id());
                if (c != null) {
                    c.running = false;
                }
            } else if (a instanceof Action.CreateUpgraded c) {
                if (undo || !fixed.equals(c.name()) || byName(state, fixed) != null
                        || !c.supersedesId().equals(c.spec().labels().get(Labels.SUPERSEDES))) {
                    throw new IllegalStateException("refusing to create " + c.name() + ": the fixed name is in use,"
                            + " or the new container does not say which one it supersedes");
                }
                state.put(createdId(fixed), new Sim(fixed, false));
            } else if (a instanceof Action.StartInfra t) {
                Sim c = byName(state, t.name());
                if (c == null || !fixed.equals(t.name())) {
                    throw new IllegalStateException("refusing to start " + t.name() + ": nothing of that name there");
                }
                c.running = true;
                long running = state.values().stream().filter(x -> x.running).count();
                if (running > 1) {
                    throw new IllegalStateException("refusing to start " + t.name() + ": " + running + " containers of"
                            + " infrastructure service " + s.service().name() + " would run at once (two servers on"
                            + " one data volume corrupt it)");
                }
            } else {
                throw new IllegalStateException("not an upgrade action: " + a.describe());
            }
        }
    }

    private static String createdId(String fixed) {
        return "(created " + fixed + ")";
    }

    private static Sim byName(Map<String, Sim> state, String name) {
        return state.values().stream().filter(x -> x.name.equals(name)).findFirst().orElse(null);
    }
}
