package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.ImageInfo;
import dev.sancho.maven.plan.Action;
import dev.sancho.maven.plan.ImageBuilds;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Safety;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The image half of {@code pre-deploy-cleanup}: removes images sancho built for deploys that are no longer kept.
 * Run it AFTER the container cleanup: the deploys still kept are exactly those with an app container left.
 * Every image passes {@link Safety#removableImage}; removal is never forced, so the engine refuses an image a
 * container still uses, and that refusal is reported, not fatal.
 */
public final class ImageCleanup {
    private ImageCleanup() {}

    public record Result(List<String> removed, List<String> refused) {
        public String summary(boolean dryRun) {
            return summary("pre-deploy-cleanup", dryRun);
        }

        /** @param step which step removed them, e.g. the deploy's own retention after its cutover */
        public String summary(String step, boolean dryRun) {
            return step + ": " + (dryRun ? "would remove " : "removed ") + removed.size() + " built image"
                    + (removed.size() == 1 ? "" : "s") + (removed.isEmpty() ? "" : " (" + String.join(", ", removed)
                    + ")") + (refused.isEmpty() ? "" : "; the engine kept " + String.join(", ", refused));
        }
    }

    /**
     * @param protectedDeployIds deploy ids whose images stay even without a container (the deploy about to run,
     *                           e.g. one prepared with {@code sancho:build} for {@code -Dsancho.skipBuild})
     * @param goneDeployIds      deploys whose containers this run removed (in a dry run: would remove): their
     *                           containers count as gone, and their images are not presumed pending
     * @param pendingWindow      an image built this recently whose deploy has no container (and is not gone)
     *                           stays: a deploy builds before it waits for the deploy lock, so it may still be waiting
     */
    public static Result run(DockerEngine engine, String project, Set<String> protectedDeployIds,
            Set<String> goneDeployIds, Duration pendingWindow, boolean dryRun, Log log) {
        Instant pendingSince = Instant.now().minus(pendingWindow);
        Map<String, String> selector = Map.of(Labels.PROJECT, project, Labels.BUILT, "true");
        List<ImageInfo> built = engine.listImages(selector);
        if (built.isEmpty()) {
            return new Result(List.of(), List.of()); // nothing sancho built for this project: no container to read
        }
        Set<String> kept = new LinkedHashSet<>(protectedDeployIds);
        Set<String> inUse = new HashSet<>();
        // Every container on the engine, other projects' too (an image in use by anyone stays): one list call,
        // no inspect per container, so a busy host costs no more round trips.
        for (ContainerInfo c : engine.listContainerSummaries(Map.of())) {
            if (dryRun && goneDeployIds.contains(c.label(Labels.DEPLOY_ID))
                    && project.equals(c.label(Labels.PROJECT))) {
                continue;
            }
            inUse.add(c.imageId());
            if (project.equals(c.label(Labels.PROJECT)) && c.label(Labels.DEPLOY_ID) != null) {
                kept.add(c.label(Labels.DEPLOY_ID));
            }
        }
        // Decide first, the same way for a dry run and a real one; the kept images are said as they are judged.
        List<Action.RemoveImage> removals = new ArrayList<>();
        for (ImageInfo image : built) {
            if (!Safety.removableImage(image, project, kept, inUse)) {
                continue;
            }
            String deployId = image.labels().get(Labels.DEPLOY_ID);
            String service = image.labels().get(Labels.SERVICE);
            Instant builtAt = builtAt(image);
            if (builtAt != null && builtAt.isAfter(pendingSince) && !goneDeployIds.contains(deployId)) {
                log.info("  kept image " + ImageBuilds.perDeployTag(project, service, deployId) + ": built "
                        + Duration.between(builtAt, Instant.now()).toSeconds() + " s ago for deploy " + deployId
                        + ", which has no container yet and may still be waiting for the deploy lock (it goes once"
                        + " it is older than " + pendingWindow.toSeconds() + " s)");
                continue;
            }
            List<String> refs = references(project, service, deployId, image);
            if (refs.isEmpty()) {
                log.info("  kept image " + shortId(image.id()) + " of deploy " + deployId + ": it is also tagged "
                        + String.join(", ", image.tags()) + ", which sancho did not put there");
                continue;
            }
            removals.add(new Action.RemoveImage(image, refs, deployId, kept, inUse));
        }
        List<String> removed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Action.RemoveImage r : removals) {
            if (dryRun) {
                log.info("  would remove " + r.what());
                removed.add(r.name());
                continue;
            }
            try {
                Executor.remove(engine, r, project);
                removed.add(r.name());
                log.info("  removed " + r.what());
            } catch (DockerOperationException e) {
                refused.add(r.name());
                log.warn("  kept image " + r.name() + ": the engine refused to remove it (" + e.getMessage() + ")");
            }
        }
        return new Result(removed, refused);
    }

    /**
     * What to remove: the tags sancho put on the image (its per-deploy tag and the service's {@code image:} name
     * recorded in {@link Labels#IMAGE_NAME}, and the per-deploy tag {@code sancho.push} gave it), or its id when it has no tag left. When someone else tagged the image
     * too (e.g. {@code docker tag ... myorg/backend:keep}), nothing: that image is theirs now as well.
     */
    static List<String> references(String project, String service, String deployId, ImageInfo image) {
        List<String> tags = image.tags().stream().filter(t -> !t.equals("<none>:<none>")).toList();
        if (tags.isEmpty()) {
            return List.of(image.id());
        }
        Set<String> ours = new LinkedHashSet<>();
        if (service != null) {
            ours.add(ImageBuilds.perDeployTag(project, service, deployId));
        }
        String imageName = image.labels().get(Labels.IMAGE_NAME);
        if (imageName != null) {
            ours.add(imageName);
            ours.add(imageName + ":latest"); // an image: without tag is tagged :latest by the engine
            if (deployId != null) {
                ours.add(ImageBuilds.pushedTagOf(imageName, deployId)); // sancho.push's per-deploy tag
            }
        }
        if (!ours.containsAll(tags)) {
            return List.of();
        }
        return tags;
    }

    /** null for images built before the label existed, or with a label someone else wrote */
    private static Instant builtAt(ImageInfo image) {
        String value = image.labels().get(Labels.BUILT_AT);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
