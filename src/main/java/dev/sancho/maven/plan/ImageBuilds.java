package dev.sancho.maven.plan;

import dev.sancho.maven.compose.ByteSize;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.docker.BuildRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which images a deploy builds, and how the stack then refers to them. Pure.
 *
 * <p>Every application service with {@code build:} is built once per deploy and tagged
 * {@code <project>/<service>:<deployId>} (its {@link #perDeployTag}), plus its {@code image:} name when the file
 * gives one (so {@code docker run myorg/backend} keeps working). The deploy's containers are created from the
 * per-deploy tag, never from the {@code image:} name: that name moves with every build, the per-deploy tag does not,
 * so a rollback starts exactly the image its deploy built.
 *
 * <p>Infrastructure is never recreated, so building it per deploy would only produce images nothing runs: an
 * infrastructure service with {@code build:} must name its {@code image:} (built once, by hand or by CI), which is
 * what sancho runs.
 */
public final class ImageBuilds {
    private ImageBuilds() {}

    /** Docker's rule for one repository path component. */
    private static final Pattern REPO_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

    /**
     * One image to build.
     *
     * @param tag       the per-deploy tag the deploy's containers run
     * @param imageName the service's {@code image:} (also tagged), or null
     */
    public record ImageBuild(String service, String tag, String imageName, BuildRequest request) {}

    public static String perDeployTag(String project, String service, String deployId) {
        return repository(project, service) + ":" + deployId;
    }

    /** {@code <project>/<service>} lower-cased; refused with one line when Docker would refuse it. */
    public static String repository(String project, String service) {
        String p = project.toLowerCase(Locale.ROOT);
        String s = service.toLowerCase(Locale.ROOT);
        for (String part : List.of(p, s)) {
            if (!REPO_COMPONENT.matcher(part).matches()) {
                throw new ConfigException("cannot tag the image of service " + service + " as " + p + "/" + s
                        + ": '" + part + "' is not a valid Docker repository name (lower-case letters, digits and"
                        + " single . _ - between them); rename the project (sancho.project) or the service");
            }
        }
        return p + "/" + s;
    }

    /**
     * @param processEnv where a build arg declared without value takes its value, like Compose; an arg absent there
     *                   too is not passed (the Dockerfile's ARG default applies)
     */
    public static List<ImageBuild> plan(Stack stack, Map<String, String> processEnv) {
        List<ImageBuild> out = new ArrayList<>();
        for (StackService s : stack.applications()) {
            Service.BuildDef b = s.service().build();
            if (b == null) {
                continue;
            }
            String tag = perDeployTag(stack.project(), s.name(), stack.deployId());
            String imageName = blankToNull(s.service().image());
            List<String> tags = new ArrayList<>();
            tags.add(tag);
            if (imageName != null && !imageName.equals(tag)) {
                tags.add(imageName);
            }
            Map<String, String> args = new LinkedHashMap<>();
            b.args().forEach((k, v) -> {
                String value = v != null ? v : processEnv.get(k);
                if (value != null) {
                    args.put(k, value);
                }
            });
            Map<String, String> labels = new LinkedHashMap<>(b.labels());
            labels.putAll(imageLabels(stack.project(), s.name(), stack.deployId()));
            if (stack.identity() != null) {
                labels.put(Labels.IDENTITY, stack.identity());
            }
            if (imageName != null) {
                labels.put(Labels.IMAGE_NAME, imageName);
            }
            out.add(new ImageBuild(s.name(), tag, imageName, new BuildRequest(Path.of(b.context()), b.dockerfile(),
                    args, blankToNull(b.target()), labels, blankToNull(b.network()), b.extraHosts(),
                    shmSize(b.shmSize(), ContainerSpecs.where(stack, s.service(), "build.shm_size")
                            + "services." + s.name()), tags)));
        }
        return out;
    }

    /** The labels that make an image ours; {@link Safety#removableImage} relies on exactly these. */
    public static Map<String, String> imageLabels(String project, String service, String deployId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Labels.PROJECT, project);
        m.put(Labels.SERVICE, service);
        m.put(Labels.DEPLOY_ID, deployId);
        m.put(Labels.BUILT, "true");
        return m;
    }

    /**
     * Where {@code sancho.push} sends a build and what the deploy then runs: the {@code image:} name's repository
     * with the deploy id as tag ({@code image: registry.example.com/team/backend:1.4} and deploy {@code d7} give
     * {@code registry.example.com/team/backend:d7}). A name without a registry host goes to Docker Hub only when
     * it names its account ({@code user/app}); a bare {@code app} would be the official library, so it is refused.
     */
    public static String pushedTag(ImageBuild b, String deployId) {
        if (b.imageName() == null) {
            throw new ConfigException("services." + b.service() + ": sancho.push needs an image: naming where to push,"
                    + " e.g. image: registry.example.com/team/" + b.service() + ":1.0 (or user/" + b.service()
                    + ":1.0 for Docker Hub)");
        }
        String repository = repositoryOf(b.imageName());
        if (!repository.contains("/")) {
            throw new ConfigException("services." + b.service() + ".image " + b.imageName() + " names no registry:"
                    + " sancho.push would push it to Docker Hub's official library; write image: REGISTRY/NAME:TAG,"
                    + " or USER/NAME:TAG to push to Docker Hub");
        }
        return repository + ":" + deployId;
    }

    /** {@link #pushedTag}'s name for an {@code image:} name, unchecked: what retention recognises as its own. */
    public static String pushedTagOf(String imageName, String deployId) {
        return repositoryOf(imageName) + ":" + deployId;
    }

    /** The reference without tag and digest ({@code :} after the last {@code /} starts the tag). */
    static String repositoryOf(String reference) {
        int at = reference.indexOf('@');
        String name = at >= 0 ? reference.substring(0, at) : reference;
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }

    /** Infrastructure services with {@code build:}: what to tell the user (they are not built per deploy). */
    public static List<String> infrastructureBuildNotes(Stack stack) {
        List<String> notes = new ArrayList<>();
        for (StackService s : stack.infrastructure()) {
            if (s.service().build() == null) {
                continue;
            }
            String where = ContainerSpecs.where(stack, s.service(), "build") + "services." + s.name();
            if (blankToNull(s.service().image()) == null) {
                throw new ConfigException(where + " is infrastructure (never recreated), so sancho does not build it"
                        + " per deploy: give it image: NAME:TAG and build that image once (docker compose build "
                        + s.name() + ")");
            }
            notes.add(where + ".build: not built by sancho (infrastructure is never recreated); it runs image "
                    + s.service().image());
        }
        return notes;
    }

    /** The stack whose built services run the given images (per-deploy tags, or what skipBuild found). */
    public static Stack withImages(Stack stack, Map<String, String> imageByService) {
        if (imageByService.isEmpty()) {
            return stack;
        }
        List<StackService> services = new ArrayList<>();
        for (StackService s : stack.services()) {
            String image = imageByService.get(s.name());
            services.add(image == null ? s : new StackService(withImage(s.service(), image), s.role(),
                    s.containerName(), s.replicas()));
        }
        return new Stack(stack.project(), stack.deployId(), stack.compose(), services, stack.volumeNames(),
                stack.networkNames(), stack.warnings(), stack.identity());
    }

    private static Service withImage(Service v, String image) {
        return v.withImage(image);
    }

    /** Compose's {@code shm_size}: bytes, or a number with b, k, m, g (optionally followed by b): {@link ByteSize}. */
    static Long shmSize(String value, String service) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ByteSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(service + ".build.shm_size: " + e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
