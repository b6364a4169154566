package dev.sancho.maven.swarm;

import dev.sancho.maven.docker.NameConflictException;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmServiceSpec;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.SwarmPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place a {@link SwarmPlan} action becomes a change on the swarm (the swarm's counterpart of
 * {@code core.Executor}): deploy and recover hand it the actions they carry out, in order.
 */
final class SwarmExecutor {
    private SwarmExecutor() {}

    /** What the actions did, by service name. */
    record Done(List<String> created, List<String> updated, List<String> adopted) {}

    /** Networks, secrets/configs, infrastructure creations and adoptions: what comes before the applications. */
    static boolean infrastructure(SwarmPlan.Action a) {
        return a instanceof SwarmPlan.CreateNetwork || a instanceof SwarmPlan.CreateFile
                || a instanceof SwarmPlan.AdoptService || a instanceof SwarmPlan.CreateService c && c.infra();
    }

    static Done run(SwarmEngine swarm, String project, List<? extends SwarmPlan.Action> actions) {
        List<String> created = new ArrayList<>(), updated = new ArrayList<>(), adopted = new ArrayList<>();
        Map<String, String> labels = Map.of(Labels.PROJECT, project);
        for (SwarmPlan.Action a : actions) {
            if (a instanceof SwarmPlan.CreateNetwork n) {
                swarm.createOverlayNetwork(n.name(), labels);
            } else if (a instanceof SwarmPlan.CreateFile f) {
                createFile(swarm, f.file(), labels);
            } else if (a instanceof SwarmPlan.CreateService c) {
                swarm.createService(c.spec());
                created.add(c.spec().name());
            } else if (a instanceof SwarmPlan.AdoptService ad) {
                adopted.add(ad.current().name());
            } else if (a instanceof SwarmPlan.UpdateService u) {
                swarm.updateService(u.current(), u.spec());
                updated.add(u.spec().name());
            }
        }
        return new Done(created, updated, adopted);
    }

    /** Creates a secret or config named by its content; one made meanwhile by another run holds the same content. */
    private static void createFile(SwarmEngine swarm, SwarmServiceSpec.FileRef f, Map<String, String> labels) {
        try {
            if (f.secret()) {
                swarm.createSecret(f.name(), labels, f.data());
            } else {
                swarm.createConfig(f.name(), labels, f.data());
            }
        } catch (NameConflictException e) {
            // same name = same digest = same content: the object is there, as wanted
        }
    }
}
