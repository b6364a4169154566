package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Action;
import dev.sancho.maven.plan.DnsAliases;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Safety;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one place where a planned {@link Action} becomes a change on the engine (or, for bind-mount sources, on this
 * machine's disk). Every goal that changes something decides its actions first, prints them in a dry run and hands
 * them here otherwise, so a dry run shows by construction what the real run does. The sequencing of a deploy (waves,
 * health gates, cutover, undo) lives in {@link Deployer}; each of its changes comes through here too.
 *
 * <p>Removals re-read what they remove and pass {@link Safety} on what the engine holds now, not on the plan's
 * snapshot. There is no action that removes a volume.
 */
public final class Executor {
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> STORE_MODE = PosixFilePermissions.fromString("rw-------");

    private Executor() {}

    /**
     * Creates what the action describes.
     *
     * @return the new container's id for a {@link Action.CreateContainer}, else null
     * @throws IllegalArgumentException for an action that creates nothing (a bug)
     */
    public static String create(DockerEngine engine, Action action) {
        if (action instanceof Action.CreateNetwork n) {
            engine.createNetwork(n.name(), n.driver(), n.labels(), n.ipam(), n.options());
        } else if (action instanceof Action.CreateVolume v) {
            engine.createVolume(v.name(), v.driver(), v.driverOpts(), v.labels());
        } else if (action instanceof Action.CreateContainer c) {
            return createContainer(engine, c.spec());
        } else if (action instanceof Action.CreateDirectory d) {
            createDirectory(d.path());
        } else if (action instanceof Action.CreateCertificateStore s) {
            createStore(s.hostPath());
        } else {
            throw new IllegalArgumentException("not a creation: " + action.describe());
        }
        return null;
    }

    /**
     * Creates the container and copies its secret/config files in (before anyone starts it, as Compose v2 does). When
     * the copy fails the container, which never ran, is removed again: nothing is left half-made.
     */
    private static String createContainer(DockerEngine engine, ContainerSpec spec) {
        String id = engine.createContainer(withoutAnonymousVolumes(engine, spec));
        if (!spec.options().files().isEmpty()) {
            try {
                engine.copyToContainer(id, spec.options().files());
            } catch (RuntimeException e) {
                try {
                    engine.removeContainer(id);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
        return id;
    }

    /**
     * A one-shot job from an image that declares {@code VOLUME}s would get an anonymous volume at each one, per
     * deploy, left behind when the job's container goes (sancho never removes a volume): a job keeps nothing, so each
     * such path not mounted otherwise gets a tmpfs instead, as the deploy lock does.
     */
    static ContainerSpec withoutAnonymousVolumes(DockerEngine engine, ContainerSpec spec) {
        if (!"true".equals(spec.labels().get(Labels.JOB))) {
            return spec;
        }
        List<String> declared = engine.findImage(spec.image()).map(dev.sancho.maven.docker.ImageInfo::volumes)
                .orElse(List.of());
        List<ContainerSpec.Mount> mounts = new ArrayList<>(spec.mounts());
        for (String path : declared) {
            String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            if (mounts.stream().noneMatch(m -> p.equals(m.target()))) {
                mounts.add(new ContainerSpec.Mount("tmpfs", null, p, false));
            }
        }
        if (mounts.size() == spec.mounts().size()) {
            return spec;
        }
        return new ContainerSpec(spec.name(), spec.image(), spec.entrypoint(), spec.command(), spec.environment(),
                spec.labels(), spec.ports(), mounts, spec.networks(), spec.restartPolicy(), spec.healthcheck(),
                spec.user(), spec.workingDir(), spec.hostname(), spec.extraHosts(), spec.stopSignal(),
                spec.stopTimeout(), spec.options());
    }

    /**
     * Removes an app container beyond the kept deploys, after reading it again.
     *
     * @return false when it is gone or running again meanwhile (then it is no longer ours to judge)
     */
    public static boolean remove(DockerEngine engine, Action.RemoveContainer r, String project, String identity,
            Set<String> infraNames) {
        ContainerInfo now = engine.inspectContainer(r.container().id()).orElse(null);
        if (now == null || now.running()) {
            return false;
        }
        Safety.requireRemovable(now, project, identity, infraNames);
        engine.removeContainer(now.id());
        return true;
    }

    /**
     * Undo of a failed deploy: removes an app container this very run created, running or not (it never served).
     *
     * @return false when it is already gone
     */
    public static boolean removeCreated(DockerEngine engine, String id, String project, String identity,
            Set<String> infraNames) {
        ContainerInfo c = engine.inspectContainer(id).orElse(null);
        if (c == null) {
            return false;
        }
        Safety.requireRemovable(c, project, identity, infraNames);
        engine.removeContainer(c.id());
        return true;
    }

    /**
     * Removes the references sancho put on a built image (never forced: the engine keeps an image a container uses).
     *
     * @throws dev.sancho.maven.docker.DockerOperationException when the engine refuses
     */
    public static void remove(DockerEngine engine, Action.RemoveImage i, String project) {
        Safety.requireRemovableImage(i.image(), project, i.keptDeployIds(), i.inUse());
        for (String ref : i.references()) {
            engine.removeImage(ref);
        }
    }

    /**
     * An infrastructure container leaves its fixed name or gets it back ({@code sancho:upgrade}, or a deploy that
     * finds an upgrade interrupted), after reading it again: skipped when it already has the name, refused when it has
     * neither. Taking the fixed name back, it gets its restart policy first (it had {@code no} while kept).
     *
     * @return false when it already had the name
     */
    public static boolean rename(DockerEngine engine, Action.RenameInfra r) {
        ContainerInfo now = engine.inspectContainer(r.container().id()).orElseThrow(() -> new CheckFailedException(
                "cannot rename " + r.from() + " to " + r.to() + ": container " + r.container().id() + " is gone"));
        if (r.to().equals(now.name())) {
            return false;
        }
        if (!r.from().equals(now.name())) {
            throw new CheckFailedException("cannot rename " + r.from() + " to " + r.to() + ": container "
                    + now.id() + " is now called " + now.name() + " (changed by someone else meanwhile?)");
        }
        if (r.restartPolicy() != null) {
            engine.updateRestartPolicy(now.id(), r.restartPolicy());
        }
        engine.renameContainer(now.id(), r.to());
        return true;
    }

    /** Stops an infrastructure container for an upgrade: restart policy {@code no} first, then a graceful stop. */
    public static void stopInfra(DockerEngine engine, Action.StopInfra s) {
        ContainerInfo now = engine.inspectContainer(s.container().id()).orElse(null);
        if (now == null) {
            return;
        }
        engine.updateRestartPolicy(now.id(), "no");
        engine.stopContainer(now.id(), s.grace());
    }

    /**
     * Removes a container an upgrade kept, once that upgrade is over, after reading it and the one under the fixed
     * name again ({@link Safety#requireRemovableSuperseded}).
     */
    public static void removeSuperseded(DockerEngine engine, Action.RemoveSuperseded r,
            dev.sancho.maven.plan.StackService s, String project, String identity) {
        ContainerInfo kept = engine.inspectContainer(r.container().id()).orElse(null);
        if (kept == null) {
            return;
        }
        ContainerInfo current = engine.findContainer(s.containerName()).flatMap(c -> engine.inspectContainer(c.id()))
                .orElse(null);
        Safety.requireRemovableSuperseded(kept, current, s, project, identity);
        engine.removeContainer(kept.id());
    }

    /**
     * The undo of a failed upgrade: removes the container this very upgrade created under the fixed name
     * ({@link Safety#requireDiscardable}), running or not.
     *
     * @return false when there is none (the upgrade failed before creating it)
     */
    public static boolean discardUpgraded(DockerEngine engine, String createdId, Action.DiscardUpgraded d,
            dev.sancho.maven.plan.StackService s, String project, String identity) {
        if (createdId == null) {
            return false;
        }
        ContainerInfo c = engine.inspectContainer(createdId).orElse(null);
        if (c == null) {
            return false;
        }
        Safety.requireDiscardable(c, createdId, d.supersedesId(), s, project, identity);
        engine.removeContainer(c.id());
        return true;
    }

    /** Starts a container this run created (or a stopped infrastructure container the plan starts as it is). */
    public static void start(DockerEngine engine, String idOrName) {
        engine.startContainer(idOrName);
    }

    /**
     * Stops an app container of a deploy that is no longer current, for good: its restart policy becomes {@code no}
     * first, so neither an engine restart nor a reboot starts it again beside the current deploy (a container killed
     * between the two steps is still running and is stopped by the next deploy).
     */
    public static void retire(DockerEngine engine, String id, Duration grace) {
        engine.updateRestartPolicy(id, "no");
        engine.stopContainer(id, grace);
    }

    /**
     * Starts a kept app container again (rollback, or the undo of a failed deploy) with the restart policy its compose
     * service gave it, recorded in {@link Labels#RESTART} when it was created.
     */
    public static void revive(DockerEngine engine, ContainerInfo c) {
        String policy = c.label(Labels.RESTART);
        if (policy != null) {
            engine.updateRestartPolicy(c.id(), policy);
        }
        engine.startContainer(c.id());
    }

    /**
     * Gives a stopped app container back the DNS aliases it should answer to ({@link DnsAliases#expected}) where it
     * lacks them: a container that stops is kept whole for a rollback. A running one is left alone (it may be out of
     * DNS on purpose: draining, or not ready yet). Failures only warn: the next deploy repairs it.
     */
    public static void restoreAliases(DockerEngine engine, String id, dev.sancho.maven.common.Log log) {
        try {
            ContainerInfo c = engine.inspectContainer(id).orElse(null);
            if (c == null || c.running() || "true".equals(c.label(Labels.JOB))) {
                return;
            }
            DnsAliases.missing(c).forEach((network, aliases) -> {
                List<String> want = new ArrayList<>(c.networkAliases().getOrDefault(network, List.of()));
                aliases.stream().filter(a -> !want.contains(a)).forEach(want::add);
                setAliases(engine, c, network, want);
                log.info("  " + c.name() + " got its DNS alias " + String.join(", ", aliases) + " on " + network
                        + " back");
            });
        } catch (RuntimeException e) {
            log.warn("  could not give " + id + " its DNS aliases back (" + e.getMessage() + "); the next"
                    + " sancho:deploy or sancho:rollback repairs it");
        }
    }

    /**
     * Gives the container exactly {@code aliases} on {@code network}, attaching it there when it is not: a re-alias is
     * a disconnect then a connect, and a kill between the two leaves the container detached from the network.
     */
    static void setAliases(DockerEngine engine, ContainerInfo c, String network, List<String> aliases) {
        if (c.networkAliases().containsKey(network)) {
            engine.replaceAliases(network, c.id(), aliases);
        } else {
            engine.connectNetwork(network, c.id(), aliases);
        }
    }

    /** Traefik refuses a store others can read; created empty (Traefik fills it), never overwritten. */
    private static void createStore(Path file) {
        try {
            if (file.getParent() != null && !Files.exists(file.getParent())) {
                createDirectory(file.getParent());
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(STORE_MODE));
                Files.setPosixFilePermissions(file, STORE_MODE); // the umask applies at creation
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // created meanwhile by someone else: theirs, left alone
        } catch (IOException e) {
            throw new ConfigException("cannot create certificate store " + file + ": " + e.getMessage()
                    + " (create it yourself: touch " + file + " && chmod 600 " + file + ")", e);
        }
    }

    private static void createDirectory(Path dir) {
        List<Path> toCreate = new ArrayList<>();
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            toCreate.add(0, p);
        }
        try {
            for (Path p : toCreate) {
                Files.createDirectory(p);
                try {
                    // Explicitly, because the umask applies to the mode given at creation.
                    Files.setPosixFilePermissions(p, DIR_MODE);
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the ACL of the parent applies
                }
            }
        } catch (IOException e) {
            throw new ConfigException("cannot create bind-mount directory " + dir + ": " + e.getMessage()
                    + " (create it yourself, or fix the path in the compose file)", e);
        }
    }
}
