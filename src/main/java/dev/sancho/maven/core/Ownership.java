package dev.sancho.maven.core;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.ProjectIdentity;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes sure the project on the engine is this one ({@link ProjectIdentity}) before a goal acts on it: every object
 * labelled with the project's name, the infrastructure containers of its fixed names, and the networks and volumes it
 * names. One that carries another identity (or, for a fixed infrastructure name, another sancho project) is refused
 * in one line, before anything changed.
 *
 * <p>Objects that carry no identity were made by an earlier sancho: they are adopted as this project's when nothing
 * carries another identity, and the identity is recorded on the containers the next deploy creates (labels cannot be
 * changed on an existing container; infrastructure keeps none until it is recreated, which never happens by itself).
 * Those labelled objects are then the record: once one carries the identity, a project of the same name but another
 * identity is refused. The limit: until then, the first project of that name to deploy with this version claims
 * unlabelled objects.
 */
public final class Ownership {
    private Ownership() {}

    /**
     * An object of this project's name that is not this project's.
     *
     * @param owner    the identity it carries, or {@code project Q} for another project's that records none
     * @param evidence what on it says so, e.g. {@code carries sancho.identity=com.acme:shop:compose.yml}
     */
    record Foreign(String object, String owner, String evidence) {
        Foreign(String object, String identity) {
            this(object, identity, "carries " + Labels.IDENTITY + "=" + identity);
        }
    }

    /**
     * @param announce say so (one line) when unlabelled objects of an earlier version are adopted
     * @throws ConfigException when an object belongs to another project
     */
    public static void require(DockerEngine engine, Stack stack, boolean announce, Log log) {
        check(engine, stack, announce, log).ifPresent(refusal -> {
            throw new ConfigException(refusal);
        });
    }

    /** The refusal line when the project on the engine is another one ({@code sancho:status} warns with it). */
    public static Optional<String> foreign(DockerEngine engine, Stack stack) {
        return check(engine, stack, false, Log.NONE);
    }

    private static Optional<String> check(DockerEngine engine, Stack stack, boolean announce, Log log) {
        String project = stack.project();
        String identity = stack.identity();
        List<Foreign> foreign = new ArrayList<>();
        int legacy = 0;
        boolean recorded = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (ContainerInfo c : engine.listContainerSummaries(Map.of(Labels.PROJECT, project))) {
            seen.add(c.name());
            String found = c.label(Labels.IDENTITY);
            boolean lock = Labels.ROLE_LOCK.equals(c.label(Labels.ROLE)); // this goal's own lock records nothing
            if (found == null) {
                legacy += lock ? 0 : 1;
            } else if (found.equals(identity)) {
                recorded |= !lock;
            } else {
                foreign.add(new Foreign("container " + c.name(), found));
            }
        }
        for (StackService s : stack.infrastructure()) {
            if (seen.contains(s.containerName())) {
                continue;
            }
            engine.findContainer(s.containerName()).flatMap(c -> foreignInfra(c, project, identity))
                    .ifPresent(f -> foreign.add(new Foreign("infrastructure container " + s.containerName()
                            + " (service " + s.name() + ")", f.owner(), f.evidence())));
        }
        for (String n : new LinkedHashSet<>(stack.networkNames().values())) {
            engine.findNetwork(n).map(net -> net.labels()).flatMap(l -> foreignLabels(l, project, identity))
                    .ifPresent(owner -> foreign.add(new Foreign("network " + n, owner)));
        }
        for (String v : new LinkedHashSet<>(stack.volumeNames().values())) {
            engine.findVolume(v).map(vol -> vol.labels()).flatMap(l -> foreignLabels(l, project, identity))
                    .ifPresent(owner -> foreign.add(new Foreign("volume " + v, owner)));
        }
        if (!foreign.isEmpty()) {
            return Optional.of(refusal(stack, engine.address(), foreign));
        }
        if (announce && legacy > 0 && !recorded && identity != null) {
            log.info("Project " + project + ": " + legacy + " container" + (legacy == 1 ? "" : "s") + " on the engine"
                    + " carry no project identity (made by an earlier sancho): adopted as " + identity + ", which the"
                    + " containers of the next deploy record");
        }
        return Optional.empty();
    }

    /**
     * Who owns a container of a fixed infrastructure name, when that is another project: one that carries another
     * identity, or another sancho project's label. A container without sancho's labels (started by docker-compose or
     * by hand) is adopted and never modified, as before.
     */
    private static Optional<Foreign> foreignInfra(ContainerInfo c, String project, String identity) {
        String found = c.label(Labels.IDENTITY);
        if (found != null) {
            return found.equals(identity) ? Optional.empty() : Optional.of(new Foreign(c.name(), found));
        }
        String other = c.label(Labels.PROJECT);
        if (other != null && !other.equals(project)) {
            return Optional.of(new Foreign(c.name(), "project " + other, "carries " + Labels.PROJECT + "=" + other));
        }
        return Optional.empty();
    }

    private static Optional<String> foreignLabels(Map<String, String> labels, String project, String identity) {
        if (labels == null || !project.equals(labels.get(Labels.PROJECT))) {
            return Optional.empty(); // another project's, or made by hand: named by the compose file, used as such
        }
        String found = labels.get(Labels.IDENTITY);
        return ProjectIdentity.belongs(found, identity) ? Optional.empty() : Optional.of(found);
    }

    static String refusal(Stack stack, String address, List<Foreign> foreign) {
        Foreign first = foreign.get(0);
        String more = foreign.size() == 1 ? "" : " (and " + (foreign.size() - 1) + " more)";
        String file = stack.compose() == null ? "the compose file" : stack.compose().file();
        String head = "project " + stack.project() + " on the engine at " + address + " belongs to " + first.owner()
                + ", not to this build (" + (stack.identity() == null ? "no identity" : stack.identity()) + "): "
                + first.object() + more + " " + first.evidence() + "; nothing was changed. ";
        if (first.owner().startsWith("project ")) {
            return head + "sancho never adopts another project's infrastructure: give this service another"
                    + " container_name in " + file + ", or reach that container over a shared external network"
                    + " (documentation: Deploying, Several projects on one engine)";
        }
        return head + "Another project of the same name? Give this one its own: name: in " + file
                + " or -Dsancho.project. The same project, moved (groupId, artifactId or compose file)? Set"
                + " <identity>" + first.owner() + "</identity> (sancho.identity)";
    }
}
