package dev.sancho.maven.core;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.ObservedState;
import dev.sancho.maven.plan.Role;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads what the engine holds for one stack: one label-filtered list call plus exact-name lookups. */
public final class StateReader {
    private StateReader() {}

    public static ObservedState observe(DockerEngine engine, Stack stack) {
        Map<String, ContainerInfo> byName = new LinkedHashMap<>();
        for (StackService s : stack.services()) {
            for (String name : s.containerNames()) {
                engine.findContainer(name).ifPresent(c -> byName.put(name, c));
            }
        }
        var projectContainers = engine.listContainers(Map.of(Labels.PROJECT, stack.project()));
        Set<String> networks = new LinkedHashSet<>();
        Map<String, dev.sancho.maven.docker.NetworkInfo> networkInfos = new LinkedHashMap<>();
        for (String n : new LinkedHashSet<>(stack.networkNames().values())) {
            engine.findNetwork(n).ifPresent(x -> {
                networks.add(n);
                networkInfos.put(n, x);
            });
        }
        Set<String> volumeNames = new LinkedHashSet<>(stack.volumeNames().values());
        stack.services().forEach(s -> s.service().volumes().stream()
                .filter(m -> "volume".equals(m.type()) && m.source() != null)
                .forEach(m -> volumeNames.add(stack.volumeNames().getOrDefault(m.source(), m.source()))));
        Set<String> volumes = new LinkedHashSet<>();
        for (String v : volumeNames) {
            engine.findVolume(v).ifPresent(x -> volumes.add(v));
        }
        Set<String> images = new LinkedHashSet<>();
        Map<String, java.time.Instant> tagged = new LinkedHashMap<>();
        for (StackService s : stack.services()) {
            String image = s.service().image();
            if (image != null && !images.contains(image)) {
                engine.findImage(image).ifPresent(i -> {
                    images.add(image);
                    if (i.lastTagged() != null) {
                        tagged.put(image, i.lastTagged());
                    }
                });
            }
        }
        // Who else mounts the data volumes of infrastructure (one list call per volume): never two servers on one.
        Map<String, java.util.List<ContainerInfo>> volumeUsers = new LinkedHashMap<>();
        for (StackService s : stack.infrastructure()) {
            for (String v : dev.sancho.maven.plan.Planner.volumesOf(stack, s)) {
                if (volumes.contains(v) && !volumeUsers.containsKey(v)) {
                    volumeUsers.put(v, engine.containersUsingVolume(v));
                }
            }
        }
        boolean fixedPorts = stack.services().stream().anyMatch(s -> s.service().ports().stream()
                .anyMatch(p -> p.hostPort() != null && !p.hostPort().isBlank() && !"0".equals(p.hostPort().trim())));
        return new ObservedState(byName, projectContainers, networks, volumes, images, tagged, networkInfos, volumeUsers,
                fixedPorts ? engine.publishedPorts() : java.util.List.of(),
                DigestKey.findOrUnsaved(engine, stack.project()));
    }

    /** Every deploy of the project the engine holds: one label-filtered list call (app containers only). */
    public static DeployHistory history(DockerEngine engine, String project) {
        return DeployHistory.of(engine.listContainers(Map.of(Labels.PROJECT, project, Labels.ROLE, Role.APP.label())));
    }
}
