package dev.sancho.maven.docker;

import com.github.dockerjava.api.model.Container;
import java.time.Instant;

/** A container as the list call reports it ({@link DockerEngine#listContainerSummaries}): no health, mounts, aliases. */
final class ContainerSummaries {
    private ContainerSummaries() {}

    static ContainerInfo of(Container c) {
        String[] names = c.getNames();
        String name = names == null || names.length == 0 ? null
                : names[0].startsWith("/") ? names[0].substring(1) : names[0];
        return new ContainerInfo(c.getId(), name, c.getImage(), c.getImageId(), c.getState(), null, null,
                c.getLabels(), c.getCreated() == null ? null : Instant.ofEpochSecond(c.getCreated()), null, null);
    }
}
