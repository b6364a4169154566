package dev.sancho.maven.plan;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ImageInfo;
import java.util.Set;

/**
 * The one place that decides whether a container may be removed or stopped. Every removal in the plugin passes here.
 * A container is removable only when it carries this project's labels with role=app AND belongs to this project's
 * identity ({@link ProjectIdentity#belongs}: the same {@link Labels#IDENTITY}, or none from an earlier version) AND
 * its name is not the name of an infrastructure container. The only other removable container is the project's
 * deploy lock ({@link #removableLock}): exact lock name AND role=lock AND this project's label and identity. There is
 * no rule for volumes: volumes are never removed.
 *
 * <p>Images: only an image this plugin built for this project ({@link Labels#BUILT}{@code =true} AND
 * {@link Labels#PROJECT}) that belongs to no kept deploy and that no container uses, running or not
 * ({@link #removableImage}). The engine's own refusal to remove an image a container uses (we never force) is the
 * second line of defence.
 */
public final class Safety {
    private Safety() {}

    /** @param identity the project's identity; null (unknown) owns only containers that carry none */
    public static boolean removable(ContainerInfo c, String project, String identity, Set<String> infrastructureNames) {
        return project != null
                && project.equals(c.label(Labels.PROJECT))
                && Role.APP.label().equals(c.label(Labels.ROLE))
                && ProjectIdentity.belongs(c.label(Labels.IDENTITY), identity)
                && c.name() != null
                && !infrastructureNames.contains(c.name());
    }

    /** Throws when {@link #removable} says no: a bug upstream must never reach the engine. */
    public static void requireRemovable(ContainerInfo c, String project, String identity,
            Set<String> infrastructureNames) {
        if (!removable(c, project, identity, infrastructureNames)) {
            throw new IllegalStateException("refusing to remove container " + c.name()
                    + ": it is not an application container of project " + project + " (" + identity + ")"
                    + " (labels " + c.label(Labels.PROJECT) + "/" + c.label(Labels.ROLE) + "/"
                    + c.label(Labels.IDENTITY) + ")");
        }
    }

    /**
     * A running container that mounts, writable, the data volume of an infrastructure container a plan would create
     * or start, and that is not that service's own container nor one the compose file shares the volume with: a
     * second database server on the same files (a {@code docker rename} without {@code docker stop}, a kept
     * {@code _old} container started again) corrupts them.
     */
    public record VolumeHold(String infraContainer, String volume, String holder) {
        /** One line for the person on call. */
        public String describe() {
            return "refusing to create or start " + infraContainer + ": its data volume " + volume + " is mounted by"
                    + " the running container " + holder + ", and two servers on one data volume corrupt it. Stop"
                    + " that one first (docker stop " + holder + "), then run this again";
        }
    }

    /** Throws when a plan would create or start {@code infraContainer} beside a container that holds its volume. */
    public static void requireNoSecondServer(String infraContainer, java.util.List<VolumeHold> holds) {
        for (VolumeHold h : holds) {
            if (h.infraContainer().equals(infraContainer)) {
                throw new IllegalStateException(h.describe());
            }
        }
    }

    /**
     * Whether {@code user}, found running with {@code volume} mounted writable, is a second server beside the
     * infrastructure container {@code own} of one service: anything but {@code own} itself and the containers of the
     * services the compose file lets share that volume ({@code sharers}: service name -> its fixed infrastructure
     * name, or null for an app service, whose containers carry this project's labels).
     */
    public static boolean secondServer(ContainerInfo user, String own, String project,
            java.util.Map<String, String> sharers) {
        if (own.equals(user.name())) {
            return false;
        }
        for (var e : sharers.entrySet()) {
            if (e.getValue() != null ? e.getValue().equals(user.name())
                    : project.equals(user.label(Labels.PROJECT)) && Role.APP.label().equals(user.label(Labels.ROLE))
                            && e.getKey().equals(user.label(Labels.SERVICE))) {
                return false;
            }
        }
        return true;
    }

    /** The fixed name of a project's deploy lock container. */
    public static String lockName(String project) {
        return project + "_sancho_lock";
    }

    /**
     * The deploy lock may be removed only when it is exactly this project's lock: name, role, project and identity
     * (the same, or none).
     */
    public static boolean removableLock(ContainerInfo c, String project, String identity) {
        return project != null
                && lockName(project).equals(c.name())
                && Labels.ROLE_LOCK.equals(c.label(Labels.ROLE))
                && project.equals(c.label(Labels.PROJECT))
                && ProjectIdentity.belongs(c.label(Labels.IDENTITY), identity);
    }

    /**
     * The audit trail's helper container may be removed only when it is exactly that: its exact name, role audit,
     * this project, this identity (or none). It never holds data (the volume does, and is never removed).
     */
    public static boolean removableAuditHelper(ContainerInfo c, String name, String project, String identity) {
        return project != null
                && name.equals(c.name())
                && Labels.ROLE_AUDIT.equals(c.label(Labels.ROLE))
                && project.equals(c.label(Labels.PROJECT))
                && ProjectIdentity.belongs(c.label(Labels.IDENTITY), identity);
    }

    public static void requireRemovableAuditHelper(ContainerInfo c, String name, String project, String identity) {
        if (!removableAuditHelper(c, name, project, identity)) {
            throw new IllegalStateException("refusing to remove container " + c.name()
                    + ": it is not the audit trail helper of project " + project + " (" + identity + ")");
        }
    }

    public static void requireRemovableLock(ContainerInfo c, String project, String identity) {
        if (!removableLock(c, project, identity)) {
            throw new IllegalStateException("refusing to remove container " + c.name()
                    + ": it is not the deploy lock of project " + project + " (" + identity + ")");
        }
    }

    /**
     * @param keptDeployIds deploy ids whose images must stay (the current deploy, the kept ones, the one in progress)
     * @param imageIdsInUse ids of the images every container on the engine runs, whatever its labels or state
     */
    public static boolean removableImage(ImageInfo image, String project, Set<String> keptDeployIds,
            Set<String> imageIdsInUse) {
        return project != null
                && "true".equals(image.labels().get(Labels.BUILT))
                && project.equals(image.labels().get(Labels.PROJECT))
                && image.labels().get(Labels.DEPLOY_ID) != null
                && !keptDeployIds.contains(image.labels().get(Labels.DEPLOY_ID))
                && !imageIdsInUse.contains(image.id());
    }

    public static void requireRemovableImage(ImageInfo image, String project, Set<String> keptDeployIds,
            Set<String> imageIdsInUse) {
        if (!removableImage(image, project, keptDeployIds, imageIdsInUse)) {
            throw new IllegalStateException("refusing to remove image " + image.id() + " " + image.tags()
                    + ": not an image sancho built for project " + project + " outside the kept deploys, or in use");
        }
    }
}
