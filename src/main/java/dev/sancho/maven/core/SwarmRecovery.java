package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.SwarmPlan;
import dev.sancho.maven.plan.SwarmPlanner;
import dev.sancho.maven.plan.Stack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sancho:recover} on a swarm: an infrastructure service that is absent (removed by hand, by {@code docker stack
 * rm}, ...) is created again from the compose file exactly as a first deploy would create it: one task, pinned to the
 * file's {@code deploy.placement.constraints}, else to the manager sancho talks to, on its named volumes. An existing
 * service is never touched, applications are not looked at. Refuses before any change when a data volume is not on
 * the manager the service is pinned to (the swarm would start the database on a new, EMPTY volume) unless
 * {@code -Dsancho.allowEmptyVolume}; for a service pinned elsewhere it says it cannot check. No deploy lock, as on one
 * engine: recovery must work while a killed deploy's lock is still there, and it only creates what is absent.
 */
public final class SwarmRecovery {
    private SwarmRecovery() {}

    /** @return the services recreated, empty when every infrastructure service exists */
    public static List<String> recover(DockerEngine engine, Stack stack, Recovery.Options options, Log log) {
        if (stack.infrastructure().isEmpty()) {
            throw new ConfigException("nothing to recover: no service of " + stack.compose().path().getFileName()
                    + " is infrastructure (set <infrastructure> or label services sancho.role=infra)");
        }
        SwarmEngine swarm = engine.swarm();
        SwarmInfos.Node manager = SwarmDeployRun.manager(engine, swarm);
        // push=true: images a build made are not this goal's concern (an infrastructure image is usually pulled)
        SwarmPlanner.Observed observed = SwarmDeployRun.observe(engine, swarm, stack, manager, true);
        SwarmPlan plan = SwarmPlanner.plan(stack, observed);
        log.info("sancho:recover — project " + stack.project() + " on the swarm at " + engine.address());
        plan.actions(SwarmPlan.AdoptService.class).forEach(a -> log.info("  keep infrastructure service "
                + a.current().name() + " (exists; not touched)"));
        List<SwarmPlan.CreateService> creates = plan.actions(SwarmPlan.CreateService.class).stream()
                .filter(SwarmPlan.CreateService::infra).toList();
        if (creates.isEmpty()) {
            log.info("Nothing to recover: every infrastructure service exists.");
            return List.of();
        }
        List<String> refusals = new ArrayList<>(plan.refusals());
        for (SwarmPlan.CreateService c : creates) {
            SwarmServiceSpec spec = c.spec();
            List<String> volumes = spec.mounts().stream().filter(m -> "volume".equals(m.type()) && m.source() != null)
                    .map(SwarmServiceSpec.Mount::source).toList();
            log.info("  create infrastructure service " + spec.name() + " (" + spec.image() + ", pinned to "
                    + c.node() + ")" + (volumes.isEmpty() ? "" : " on volume " + String.join(", ", volumes)));
            boolean onManager = spec.constraints().contains("node.id==" + manager.id())
                    || spec.constraints().contains("node.hostname==" + manager.hostname());
            for (String v : volumes) {
                if (onManager && !observed.managerVolumes().contains(v) && !options.allowEmptyVolume()
                        && refusals.stream().noneMatch(r -> r.contains(" " + v + " "))) {
                    refusals.add("infrastructure service " + spec.name() + ": its data volume " + v + " does not"
                            + " exist on " + c.node() + ", where it is pinned: the swarm would start it on a new,"
                            + " EMPTY volume; restore the volume there, or -Dsancho.allowEmptyVolume");
                }
            }
        }
        plan.notes().forEach(n -> log.info("  note: " + n));
        if (!refusals.isEmpty()) {
            throw new CheckFailedException("refusing to recover: " + String.join("; ", refusals)
                    + " (nothing was changed)");
        }
        List<String> names = creates.stream().map(c -> c.spec().name()).toList();
        if (options.dryRun()) {
            log.info("Dry run: nothing changed. Without -Dsancho.dryRun this creates " + String.join(", ", names));
            return List.of();
        }
        if (!DigestKey.ensure(swarm, stack.project(), log).equals(observed.digests())) {
            // the key was created just now: what is created carries digests (and secret names) keyed by it
            observed = SwarmDeployRun.observe(engine, swarm, stack, manager, true);
            plan = SwarmPlanner.plan(stack, observed);
            creates = plan.actions(SwarmPlan.CreateService.class).stream().filter(SwarmPlan.CreateService::infra)
                    .toList();
        }
        for (SwarmPlan.CreateNetwork n : plan.actions(SwarmPlan.CreateNetwork.class)) {
            log.info("  creating overlay network " + n.name());
            swarm.createOverlayNetwork(n.name(), Map.of(Labels.PROJECT, stack.project()));
        }
        for (SwarmPlan.CreateFile f : plan.actions(SwarmPlan.CreateFile.class)) {
            if (f.services().stream().anyMatch(names::contains)) { // only what the recreated services use
                log.info("  " + f.describe().replaceFirst("^create", "creating"));
                SwarmDeployRun.createFile(swarm, f.file(), Map.of(Labels.PROJECT, stack.project()));
            }
        }
        for (SwarmPlan.CreateService c : creates) {
            log.info("  creating service " + c.spec().name() + " from " + c.spec().image());
            swarm.createService(c.spec());
        }
        SwarmDeployRun.await(swarm, "recover", names, null, options.healthTimeout(), log);
        log.info("Recovered " + String.join(", ", names) + " on the swarm, on the existing volumes.");
        return names;
    }
}
