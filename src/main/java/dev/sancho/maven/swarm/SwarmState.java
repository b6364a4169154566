package dev.sancho.maven.swarm;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.core.DigestKey;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import dev.sancho.maven.plan.Digests;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import dev.sancho.maven.plan.SwarmPlanner;
import dev.sancho.maven.plan.SwarmSpecs;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the swarm for the planner: the manager sancho talks to, and what of the stack exists. */
final class SwarmState {
    private SwarmState() {}

    /** The node sancho talks to; fails in one line unless it is a swarm manager. */
    static SwarmInfos.Node manager(DockerEngine engine, SwarmEngine swarm) {
        SwarmInfos.State st = swarm.state();
        if (!"active".equals(st.localState()) || !st.manager()) {
            throw new ConfigException("the engine at " + engine.address() + " is not a swarm manager (swarm state "
                    + st.localState() + (st.manager() || !"active".equals(st.localState()) ? "" : ", a worker")
                    + "): <target>swarm</target> needs the address of a manager (sancho.dockerHost)");
        }
        return swarm.nodes().stream().filter(n -> n.id().equals(st.nodeId())).findFirst()
                .orElse(new SwarmInfos.Node(st.nodeId(), "?", "manager", "active", "ready", st.nodeAddress()));
    }

    /** @param push built images are pushed by this run (else a service with build: is reported unpushed) */
    static SwarmPlanner.Observed observe(DockerEngine engine, SwarmEngine swarm, Stack stack, SwarmInfos.Node manager,
            boolean push) {
        Digests digests = DigestKey.findOrUnsaved(swarm, stack.project());
        Map<String, SwarmInfos.Service> services = new LinkedHashMap<>();
        SwarmPlanner.serviceNames(stack).forEach(n -> swarm.findService(n).ifPresent(s -> services.put(n, s)));
        Set<String> networks = new LinkedHashSet<>();
        stack.networkNames().values().forEach(n -> engine.findNetwork(n).ifPresent(x -> networks.add(n)));
        Set<String> volumes = new LinkedHashSet<>();
        stack.volumeNames().values().forEach(v -> engine.findVolume(v).ifPresent(x -> volumes.add(v)));
        List<String> unpushed = push ? List.of() : stack.services().stream().filter(s -> s.service().build() != null)
                .map(StackService::name).toList();
        Set<String> files = new LinkedHashSet<>();
        for (StackService s : stack.services()) {
            for (SwarmServiceSpec.FileRef f : SwarmSpecs.files(stack, s, digests)) {
                if (f.secret() ? swarm.findSecret(f.name()).isPresent() : swarm.findConfig(f.name()).isPresent()) {
                    files.add(SwarmPlanner.fileKey(f));
                }
            }
        }
        return new SwarmPlanner.Observed(manager, services, networks, volumes, unpushed, files, digests);
    }
}
