package dev.sancho.maven.plan;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.NetworkInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the engine holds that matters to one stack, read once before planning. Gathered by label
 * ({@code sancho.project}) and by exact infrastructure names, never by name prefix or Docker's regex name filter.
 *
 * @param byName            exact name -> container, for every infrastructure name and every app container name of
 *                          this deploy, labelled or not (absent names are absent)
 * @param projectContainers every container labelled {@code sancho.project=<project>}, running or not
 * @param networks          names of the stack's networks that exist
 * @param volumes           names of the stack's volumes that exist
 * @param images            image references of the stack that are present locally
 * @param imagesTagged      when each present image was last pulled or tagged, where the engine knows it
 * @param networkInfos      the existing networks of {@code networks} as the engine describes them, where read
 * @param volumeUsers       every container (running or not, any owner) that mounts a volume of an infrastructure
 *                          service, by volume name: two servers on one data volume corrupt it
 * @param publishedPorts    the host ports running containers publish (read when the stack has fixed host ports)
 * @param digests           the project's digest key on the engine ({@link Digests#unsaved()} while it has none)
 */
public record ObservedState(
        Map<String, ContainerInfo> byName,
        List<ContainerInfo> projectContainers,
        Set<String> networks,
        Set<String> volumes,
        Set<String> images,
        Map<String, java.time.Instant> imagesTagged,
        Map<String, NetworkInfo> networkInfos,
        Map<String, List<ContainerInfo>> volumeUsers,
        List<dev.sancho.maven.docker.PublishedPort> publishedPorts,
        Digests digests) {

    public ObservedState(Map<String, ContainerInfo> byName, List<ContainerInfo> projectContainers,
            Set<String> networks, Set<String> volumes, Set<String> images) {
        this(byName, projectContainers, networks, volumes, images, Map.of());
    }

    public ObservedState(Map<String, ContainerInfo> byName, List<ContainerInfo> projectContainers,
            Set<String> networks, Set<String> volumes, Set<String> images,
            Map<String, java.time.Instant> imagesTagged) {
        this(byName, projectContainers, networks, volumes, images, imagesTagged, Map.of(), Map.of(), List.of(),
                Digests.unsaved());
    }

    public ObservedState {
        volumeUsers = Map.copyOf(volumeUsers);
        publishedPorts = List.copyOf(publishedPorts);
        imagesTagged = Map.copyOf(imagesTagged);
        networkInfos = networkInfos == null ? Map.of() : Map.copyOf(networkInfos);
        byName = Map.copyOf(byName);
        projectContainers = List.copyOf(projectContainers);
        networks = Set.copyOf(networks);
        volumes = Set.copyOf(volumes);
        images = Set.copyOf(images);
        digests = digests == null ? Digests.unsaved() : digests;
    }

    /** The same state with more images counted as present (a dry run's images that the deploy would build). */
    public ObservedState withImages(Set<String> more) {
        Set<String> all = new java.util.LinkedHashSet<>(images);
        all.addAll(more);
        return new ObservedState(byName, projectContainers, networks, volumes, all, imagesTagged, networkInfos,
                volumeUsers, publishedPorts, digests);
    }

    public List<ContainerInfo> appContainers(String project) {
        return projectContainers.stream()
                .filter(c -> project.equals(c.label(Labels.PROJECT)) && Role.APP.label().equals(c.label(Labels.ROLE)))
                .toList();
    }
}
