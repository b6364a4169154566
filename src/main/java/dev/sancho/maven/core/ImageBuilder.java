package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.BuildRequest;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.EngineUnreachableException;
import dev.sancho.maven.docker.ImageBuildException;
import dev.sancho.maven.docker.RegistryCredentials;
import dev.sancho.maven.plan.ImageBuilds.ImageBuild;
import dev.sancho.maven.plan.ImageBuilds;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the images of a deploy (see {@link ImageBuilds}) and returns the stack that runs them. Call it before
 * anything on the engine is stopped or created: a failing build then fails the deploy with nothing changed and the
 * previous deploy serving. Builds never touch containers.
 */
public final class ImageBuilder {
    private ImageBuilder() {}

    /**
     * @param skipBuild deploy existing images only: the per-deploy tag when it exists (e.g. from {@code sancho:build}
     *                  with the same deploy id), else the service's {@code image:}; refused when neither exists
     * @param dryRun    print what would be built, build nothing
     * @return the stack whose built services run their per-deploy tag (or, with skipBuild, the image found)
     * @throws CheckFailedException when a Dockerfile step fails (step, reason, last output lines)
     * @throws ConfigException      when a build cannot start (bad context, Dockerfile syntax) or skipBuild finds
     *                              no image
     */
    public static Stack build(DockerEngine engine, Stack stack, Map<String, String> processEnv,
            Collection<String> maskedVariables, boolean skipBuild, boolean dryRun, Log log) {
        return build(engine, stack, processEnv, maskedVariables, skipBuild, false, dryRun, log);
    }

    /**
     * @param push after each build, push it to the registry its {@code image:} names, as
     *             {@link ImageBuilds#pushedTag} and as the {@code image:} tag; the stack then runs the pushed
     *             reference. With skipBuild the stack runs the pushed reference (pulled when absent).
     *             A failed push stops here, before any container changes.
     */
    public static Stack build(DockerEngine engine, Stack stack, Map<String, String> processEnv,
            Collection<String> maskedVariables, boolean skipBuild, boolean push, boolean dryRun, Log log) {
        ImageBuilds.infrastructureBuildNotes(stack).forEach(log::info);
        List<ImageBuild> builds = ImageBuilds.plan(stack, processEnv);
        if (builds.isEmpty()) {
            return stack;
        }
        // a RUN step may print a secret build arg or environment value: the build's output is masked like a log
        SecretMask mask = SecretMask.of(stack, maskedVariables);
        for (ImageBuild b : builds) {
            mask = mask.plus(b.request().args(), maskedVariables);
        }
        Map<String, String> images = new LinkedHashMap<>();
        if (skipBuild) {
            for (ImageBuild b : builds) {
                images.put(b.service(), push ? ImageBuilds.pushedTag(b, stack.deployId())
                        : existing(engine, b, stack.deployId()));
                log.info("Not building " + b.service() + " (sancho.skipBuild): running " + images.get(b.service()));
            }
            return ImageBuilds.withImages(stack, images);
        }
        Map<ImageBuild, String> pushed = new LinkedHashMap<>();
        if (push) {
            builds.forEach(b -> pushed.put(b, ImageBuilds.pushedTag(b, stack.deployId()))); // refused before building
        }
        for (ImageBuild b : builds) {
            if (dryRun) {
                log.info("  would build " + b.service() + " from " + describe(b) + " -> " + String.join(", ",
                        b.request().tags()) + (push ? " and push " + String.join(", ", pushRefs(b, pushed.get(b)))
                        : ""));
            } else {
                buildOne(engine, b, stack.deployId(), mask, revision(stack, processEnv), log);
            }
            images.put(b.service(), push ? pushed.get(b) : b.tag());
        }
        if (push && !dryRun) {
            for (ImageBuild b : builds) {
                pushOne(engine, b, pushed.get(b), stack.deployId(), log);
            }
        }
        return ImageBuilds.withImages(stack, images);
    }

    /** The pushed per-deploy tag, then the image: tag. */
    private static List<String> pushRefs(ImageBuild b, String pushedTag) {
        return b.imageName() == null || b.imageName().equals(pushedTag) ? List.of(pushedTag)
                : List.of(pushedTag, b.imageName());
    }

    private static void pushOne(DockerEngine engine, ImageBuild b, String pushedTag, String deployId, Log log) {
        try {
            engine.tagImage(b.tag(), pushedTag);
            for (String ref : pushRefs(b, pushedTag)) {
                log.info("Pushing " + ref + " to " + RegistryCredentials.registryOf(ref));
                engine.pushImage(ref, log::info);
            }
        } catch (EngineUnreachableException e) {
            throw e;
        } catch (DockerOperationException e) {
            throw new ConfigException("cannot push service " + b.service() + ": " + e.getMessage() + " (deploy "
                    + deployId + " stopped before changing any container)", e);
        }
    }

    /** The commit of the compose file's git checkout (or the CI's commit variable), for the image's revision label. */
    private static String revision(Stack stack, Map<String, String> processEnv) {
        java.nio.file.Path file = stack.compose() == null ? null : stack.compose().path();
        return Provenance.commit(processEnv, file == null ? null : file.getParent());
    }

    private static void buildOne(DockerEngine engine, ImageBuild b, String deployId, SecretMask mask, String revision,
            Log log) {
        log.info("Building " + b.service() + " from " + describe(b) + " -> " + String.join(", ", b.request().tags()));
        long start = System.nanoTime();
        BuildRequest stamped = b.request().withLabel(Labels.BUILT_AT, Instant.now().toString());
        // the source revision, as docker buildx's git provenance labels it
        BuildRequest request = revision == null ? stamped : stamped.withLabel(Provenance.OCI_REVISION, revision);
        String id;
        try {
            id = engine.buildImage(request, line -> {
                // one line per Dockerfile step at info; the steps' own output at debug (-X) and in a failure; the
                // LABEL steps the engine appends for the request's labels are bookkeeping, not the user's Dockerfile
                if (line.startsWith("Step ") && !isRequestLabelStep(line, request)) {
                    log.info("  [" + b.service() + "] " + mask.apply(line));
                } else {
                    log.debug("  [" + b.service() + "] " + mask.apply(line));
                }
            });
        } catch (ImageBuildException e) {
            StringBuilder msg = new StringBuilder("build of service " + b.service() + " failed"
                    + (e.step() == null ? "" : " at " + mask.apply(e.step())) + ": " + mask.apply(e.reason()));
            if (!e.lastLines().isEmpty()) {
                msg.append("\n  last output of that step:");
                mask.apply(e.lastLines()).forEach(l -> msg.append("\n    ").append(l));
            }
            msg.append("\n  Deploy ").append(deployId).append(" stopped before changing any container;"
                    + " the previous deploy keeps serving.");
            throw new CheckFailedException(msg.toString());
        } catch (EngineUnreachableException e) {
            throw e;
        } catch (DockerOperationException e) {
            throw new ConfigException("cannot build service " + b.service() + " from " + describe(b) + ": "
                    + mask.apply(e.getMessage()) + " (deploy " + deployId + " stopped before changing any container)", e);
        }
        log.info("Built " + b.service() + " " + shortId(id) + " in " + (System.nanoTime() - start) / 1_000_000_000
                + " s");
    }

    private static boolean isRequestLabelStep(String line, BuildRequest request) {
        int colon = line.indexOf(" : LABEL ");
        if (colon < 0) {
            return false;
        }
        String label = line.substring(colon + " : LABEL ".length());
        return request.labels().entrySet().stream().anyMatch(e -> label.equals(e.getKey() + "=" + e.getValue()));
    }

    private static String existing(DockerEngine engine, ImageBuild b, String deployId) {
        if (engine.findImage(b.tag()).isPresent()) {
            return b.tag();
        }
        if (b.imageName() != null && engine.findImage(b.imageName()).isPresent()) {
            return b.imageName();
        }
        throw new ConfigException("services." + b.service() + ": sancho.skipBuild is set but neither " + b.tag()
                + (b.imageName() == null ? "" : " nor " + b.imageName()) + " exists on the engine at "
                + engine.address() + "; build it first (mvn sancho:build -Dsancho.deployId=" + deployId
                + ") or drop -Dsancho.skipBuild; nothing was changed");
    }

    /** Context and Dockerfile; build arg names only, never their values (they may be secrets). */
    static String describe(ImageBuild b) {
        var r = b.request();
        StringBuilder s = new StringBuilder(r.context().toString());
        if (r.dockerfile() != null) {
            s.append(" (").append(r.dockerfile()).append(")");
        }
        if (r.target() != null) {
            s.append(" target ").append(r.target());
        }
        if (!r.args().isEmpty()) {
            s.append(" args ").append(String.join(",", r.args().keySet()));
        }
        return s.toString();
    }

    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
