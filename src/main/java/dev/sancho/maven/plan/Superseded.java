package dev.sancho.maven.plan;

import dev.sancho.maven.docker.ContainerInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The containers {@code sancho:upgrade} keeps beside an infrastructure container: the previous one, stopped, under
 * {@code <fixed name>_pre_<first 12 characters of its id>} (restart policy {@code no}); the new one carries
 * {@link Labels#SUPERSEDES} with the previous one's id. A kept container is recognised by that exact name prefix AND
 * this project's infrastructure labels for that very service AND identity, never by name alone.
 */
public final class Superseded {
    /** Between the fixed name and the id: {@code sancho_db_v2_pre_3f2a9c01b7de}. */
    public static final String MARK = "_pre_";

    private Superseded() {}

    /** The name a container leaves its fixed name for. */
    public static String name(String fixedName, String id) {
        return fixedName + MARK + id.substring(0, Math.min(12, id.length()));
    }

    /** Whether {@code c} is a kept container of the infrastructure service {@code s}. */
    public static boolean of(ContainerInfo c, StackService s, String project, String identity) {
        String prefix = s.containerName() + MARK;
        return c.name() != null && c.name().startsWith(prefix) && c.name().length() > prefix.length()
                && c.name().substring(prefix.length()).chars().allMatch(Character::isLetterOrDigit)
                && project.equals(c.label(Labels.PROJECT))
                && Role.INFRA.label().equals(c.label(Labels.ROLE))
                && s.name().equals(c.label(Labels.SERVICE))
                && ProjectIdentity.belongs(c.label(Labels.IDENTITY), identity);
    }

    /** The kept containers of {@code s} among the project's containers, oldest first. */
    public static List<ContainerInfo> kept(List<ContainerInfo> projectContainers, StackService s, String project,
            String identity) {
        return projectContainers.stream().filter(c -> of(c, s, project, identity))
                .sorted(Comparator.comparing(ContainerInfo::created, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
    }

    /**
     * Which kept container gets the fixed name back when it is missing (an upgrade or a revert killed half-way): the
     * one no other kept container supersedes, i.e. the one that held the fixed name last; the newest if several.
     */
    public static Optional<ContainerInfo> head(List<ContainerInfo> kept) {
        List<ContainerInfo> heads = kept.stream().filter(k -> kept.stream()
                .noneMatch(o -> k.id().equals(o.label(Labels.SUPERSEDES)))).toList();
        return (heads.isEmpty() ? kept : heads).stream().reduce((a, b) -> b);
    }

    /**
     * Whether the kept container and the one under the fixed name belong to one upgrade: the current one superseded
     * it, or it superseded the current one (an upgrade that was reverted).
     */
    public static boolean paired(ContainerInfo current, ContainerInfo kept) {
        return current != null && kept != null && (kept.id().equals(current.label(Labels.SUPERSEDES))
                || current.id().equals(kept.label(Labels.SUPERSEDES)));
    }
}
