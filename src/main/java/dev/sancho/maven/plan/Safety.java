package dev.sancho.maven.plan;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ImageInfo;
import java.util.Set;

/**
 * The one place that decides whether a container may be removed or stopped. Every removal in the plugin passes here.
 * A container is removable only when it carries this project's labels with role=app AND belongs to this project's
 * identity ({@link ProjectIdentity#belongs}: the same {@link Labels#IDENTITY}, or none from an earlier version) AND
 * its name is not the name of an infrastructure container. The only other removable container is the project's
 * deploy lock ({@link #removableLock}): exact lock name AND role=lock AND this project's label and identity; and a
 * backup's scratch container ({@link #removableScratch}), by the same kind of rule. There is
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

    /** The name of a backup scratch container: {@code <project>_sancho_backup_<token>}. */
    public static String scratchName(String project, String token) {
        return project + SCRATCH_INFIX + token;
    }

    private static final String SCRATCH_INFIX = "_sancho_backup_";
    private static final java.util.regex.Pattern SCRATCH_TOKEN = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_.-]*");

    /**
     * A backup scratch container (the throwaway copy proving a backup, or the one reaching the backups volume) may be
     * removed only when its name is exactly {@code <project>_sancho_backup_<token>}, it carries role=backup-scratch
     * and this project's label and identity, and its name is not an infrastructure name. Its data mounts are tmpfs:
     * removing it removes no volume.
     */
    public static boolean removableScratch(ContainerInfo c, String project, String identity,
            Set<String> infrastructureNames) {
        String name = c.name();
        return project != null && name != null
                && name.startsWith(project + SCRATCH_INFIX)
                && SCRATCH_TOKEN.matcher(name.substring(project.length() + SCRATCH_INFIX.length())).matches()
                && Labels.ROLE_BACKUP_SCRATCH.equals(c.label(Labels.ROLE))
                && project.equals(c.label(Labels.PROJECT))
                && ProjectIdentity.belongs(c.label(Labels.IDENTITY), identity)
                && !infrastructureNames.contains(name);
    }

    public static void requireRemovableScratch(ContainerInfo c, String project, String identity,
            Set<String> infrastructureNames) {
        if (!removableScratch(c, project, identity, infrastructureNames)) {
            throw new IllegalStateException("refusing to remove container " + c.name()
                    + ": it is not a backup scratch container of project " + project + " (" + identity + ")");
        }
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

    /**
     * {@code sancho:upgrade}'s first exception to "infrastructure is never removed": a container it kept for a revert,
     * once the upgrade is over (confirmed, or replaced by the next upgrade). Only when it is exactly a kept container
     * of this service ({@link Superseded#of}: name, project, role, service, identity), is stopped, and the container
     * under the fixed name is this project's, runs, and belongs to the same upgrade ({@link Superseded#paired}).
     */
    public static boolean removableSuperseded(ContainerInfo kept, ContainerInfo current, StackService s,
            String project, String identity) {
        return kept != null && !kept.running() && Superseded.of(kept, s, project, identity)
                && current != null && s.containerName().equals(current.name()) && current.running()
                && project.equals(current.label(Labels.PROJECT)) && Role.INFRA.label().equals(current.label(Labels.ROLE))
                && ProjectIdentity.belongs(current.label(Labels.IDENTITY), identity)
                && Superseded.paired(current, kept);
    }

    public static void requireRemovableSuperseded(ContainerInfo kept, ContainerInfo current, StackService s,
            String project, String identity) {
        if (!removableSuperseded(kept, current, s, project, identity)) {
            throw new IllegalStateException("refusing to remove container " + (kept == null ? "(gone)" : kept.name()
                    + " (" + kept.state() + ")") + ": it is not a stopped container kept by an upgrade of "
                    + s.containerName() + " that now runs " + (current == null ? "(nothing)" : current.name() + " ("
                    + current.state() + ")"));
        }
    }

    /**
     * {@code sancho:upgrade}'s second exception: the container this very upgrade created under the fixed name (its id
     * is the one the create returned) that did not become ready: this project's infrastructure label for the service,
     * its identity, and {@link Labels#SUPERSEDES} naming the container the upgrade set aside.
     */
    public static boolean discardable(ContainerInfo c, String createdId, String supersedesId, StackService s,
            String project, String identity) {
        return c != null && createdId != null && createdId.equals(c.id()) && s.containerName().equals(c.name())
                && project.equals(c.label(Labels.PROJECT)) && Role.INFRA.label().equals(c.label(Labels.ROLE))
                && s.name().equals(c.label(Labels.SERVICE))
                && ProjectIdentity.belongs(c.label(Labels.IDENTITY), identity)
                && supersedesId != null && supersedesId.equals(c.label(Labels.SUPERSEDES));
    }

    public static void requireDiscardable(ContainerInfo c, String createdId, String supersedesId, StackService s,
            String project, String identity) {
        if (!discardable(c, createdId, supersedesId, s, project, identity)) {
            throw new IllegalStateException("refusing to remove container " + (c == null ? "(gone)" : c.name())
                    + ": it is not the container this upgrade created under " + s.containerName());
        }
    }

    /**
     * A deploy or recover that finds an infrastructure name missing gives it back to the container an interrupted
     * upgrade kept ({@link Superseded#head}): only from exactly {@code <fixed name>_pre_<id>} to that fixed name, and
     * only for this project's infrastructure container of that service and identity.
     */
    public static void requireRenameBack(ContainerInfo c, String from, String to, String project, String identity,
            Set<String> infrastructureNames) {
        boolean ok = infrastructureNames.contains(to) && from.equals(c.name())
                && from.startsWith(to + Superseded.MARK) && project != null
                && project.equals(c.label(Labels.PROJECT)) && Role.INFRA.label().equals(c.label(Labels.ROLE))
                && ProjectIdentity.belongs(c.label(Labels.IDENTITY), identity);
        if (!ok) {
            throw new IllegalStateException("refusing to rename container " + c.name() + " to " + to + ": it is not"
                    + " a container an upgrade of " + to + " kept");
        }
    }
}
