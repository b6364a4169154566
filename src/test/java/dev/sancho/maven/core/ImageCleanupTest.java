package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.ImageInfo;
import dev.sancho.maven.plan.ImageBuilds;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Safety;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageCleanupTest {
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private final FakeDockerEngine engine = new FakeDockerEngine();

    /** An image as the build leaves it: per-deploy tag (and image: name), our labels. */
    private ImageInfo built(String project, String service, String deployId, String... extraTags) {
        String tag = ImageBuilds.perDeployTag(project, service, deployId);
        List<String> tags = new java.util.ArrayList<>(List.of(tag));
        tags.addAll(List.of(extraTags));
        Map<String, String> labels = new LinkedHashMap<>(ImageBuilds.imageLabels(project, service, deployId));
        if (extraTags.length > 0) {
            labels.put(Labels.IMAGE_NAME, extraTags[0]);
        }
        ImageInfo img = new ImageInfo("sha256:" + tag, tags, labels);
        tags.forEach(t -> engine.images.put(t, img));
        return img;
    }

    private void appContainer(String name, ImageInfo image, String deployId, String state) {
        Map<String, String> labels = Map.of(Labels.PROJECT, "shop", Labels.ROLE, "app", Labels.SERVICE, "backend",
                Labels.DEPLOY_ID, deployId);
        engine.containers.put("c-" + name, new ContainerInfo("c-" + name, name, image.tags().get(0), image.id(), state,
                null, null, labels, Instant.now(), List.of(), Map.of()));
    }

    private ImageInfo builtAgo(String deployId, Duration ago) {
        ImageInfo plain = built("shop", "backend", deployId);
        Map<String, String> labels = new LinkedHashMap<>(plain.labels());
        labels.put(Labels.BUILT_AT, Instant.now().minus(ago).toString());
        ImageInfo img = new ImageInfo(plain.id(), plain.tags(), labels);
        plain.tags().forEach(t -> engine.images.put(t, img));
        return img;
    }

    @Test
    void containersAreReadOnlyWhenTheProjectHasBuiltImagesAndThenWithoutAnInspectEach() {
        List<String> lists = new java.util.ArrayList<>();
        FakeDockerEngine counting = new FakeDockerEngine() {
            @Override
            public synchronized List<ContainerInfo> listContainers(Map<String, String> labels) {
                lists.add("list+inspect " + labels);
                return super.listContainers(labels);
            }

            @Override
            public List<ContainerInfo> listContainerSummaries(Map<String, String> labels) {
                lists.add("list " + labels);
                return super.listContainers(labels);
            }
        };
        ImageCleanup.run(counting, "shop", Set.of("d9"), Set.of(), WINDOW, false, Log.NONE);
        assertEquals(List.of(), lists, "a stack without builds: no container is read at all");
        ImageInfo img = new ImageInfo("sha256:x", List.of("shop/backend:d1"),
                ImageBuilds.imageLabels("shop", "backend", "d1"));
        counting.images.put("shop/backend:d1", img);
        ImageCleanup.run(counting, "shop", Set.of("d9"), Set.of(), WINDOW, false, Log.NONE);
        assertEquals(List.of("list {}"), lists, "one list call of every container, none inspected");
    }

    @Test
    void aFreshImageOfADeployWithoutContainersMayBelongToADeployWaitingForTheLockAndStays() {
        builtAgo("d5", Duration.ofSeconds(40)); // built by a deploy now waiting for the lock
        builtAgo("d4", Duration.ofMinutes(11)); // a deploy that failed or was killed long ago
        engine.images.put("shop/backend:d3", new ImageInfo("sha256:garbage", List.of("shop/backend:d3"),
                Map.of(Labels.PROJECT, "shop", Labels.SERVICE, "backend", Labels.DEPLOY_ID, "d3", Labels.BUILT, "true",
                        Labels.BUILT_AT, "yesterday"))); // unreadable: no protection, as before the label existed
        Fixtures.RecordingLog log = new Fixtures.RecordingLog();

        ImageCleanup.Result r = ImageCleanup.run(engine, "shop", Set.of(), Set.of(), WINDOW, false, log);

        assertEquals(Set.of("shop/backend:d4", "shop/backend:d3"), Set.copyOf(r.removed()));
        assertTrue(engine.findImage("shop/backend:d5").isPresent());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("  kept image shop/backend:d5: built 40 s ago for"
                + " deploy d5, which has no container yet and may still be waiting for the deploy lock")), log::all);
    }

    @Test
    void onlyImagesOfDeploysNoLongerKeptAreRemoved() {
        ImageInfo d1 = built("shop", "backend", "d1");
        ImageInfo d2 = built("shop", "backend", "d2");
        ImageInfo d3 = built("shop", "backend", "d3", "myorg/backend:1.0");
        appContainer("shop_backend_d2", d2, "d2", "exited"); // kept for rollback
        appContainer("shop_backend_d3", d3, "d3", "running"); // current

        ImageCleanup.Result r = ImageCleanup.run(engine, "shop", Set.of(), Set.of(), WINDOW, false, Log.NONE);

        assertEquals(List.of("shop/backend:d1"), r.removed());
        assertEquals(List.of("remove image shop/backend:d1"), engine.calls);
        assertTrue(engine.findImage("shop/backend:d2").isPresent());
        assertTrue(engine.findImage("myorg/backend:1.0").isPresent());
    }

    @Test
    void neverAnImageWeDidNotBuildOrOfAnotherProject() {
        engine.addImage("sancho-it/app:1"); // no labels
        engine.images.put("other/backend:d1", new ImageInfo("sha256:o", List.of("other/backend:d1"),
                ImageBuilds.imageLabels("other", "backend", "d1")));
        Map<String, String> notBuilt = new LinkedHashMap<>(ImageBuilds.imageLabels("shop", "backend", "d0"));
        notBuilt.remove(Labels.BUILT); // e.g. a jib image that copies our labels but was not built by sancho
        engine.images.put("shop/backend:d0", new ImageInfo("sha256:j", List.of("shop/backend:d0"), notBuilt));

        ImageCleanup.Result r = ImageCleanup.run(engine, "shop", Set.of(), Set.of(), WINDOW, false, Log.NONE);

        assertTrue(r.removed().isEmpty());
        assertTrue(engine.calls.isEmpty());
        assertEquals(3, engine.images.size());
    }

    @Test
    void neverAnImageAnyContainerUsesWhateverItsLabels() {
        ImageInfo d1 = built("shop", "backend", "d1");
        // someone ran the old image by hand: no sancho labels on the container
        engine.containers.put("manual", new ContainerInfo("manual", "backend_manual", "shop/backend:d1", d1.id(),
                "exited", null, 0, Map.of(), Instant.now(), List.of(), Map.of()));

        ImageCleanup.Result r = ImageCleanup.run(engine, "shop", Set.of(), Set.of(), WINDOW, false, Log.NONE);

        assertTrue(r.removed().isEmpty());
        assertTrue(engine.findImage("shop/backend:d1").isPresent());
        assertFalse(Safety.removableImage(d1, "shop", Set.of(), Set.of(d1.id())));
    }

    @Test
    void theDeployAboutToRunKeepsItsPreparedImage() {
        built("shop", "backend", "d9"); // from sancho:build, for a deploy with -Dsancho.skipBuild
        ImageCleanup.Result r = ImageCleanup.run(engine, "shop", Set.of("d9"), Set.of(), WINDOW, false, Log.NONE);
        assertTrue(r.removed().isEmpty());
    }

    @Test
    void aTagSomeoneElseAddedKeepsTheImage() {
        ImageInfo d1 = built("shop", "backend", "d1", "myorg/backend:1.0");
        List<String> tags = List.of("shop/backend:d1", "myorg/backend:1.0", "myorg/backend:keep-forever");
        ImageInfo retagged = new ImageInfo(d1.id(), tags, d1.labels());
        tags.forEach(t -> engine.images.put(t, retagged));

        ImageCleanup.Result r = ImageCleanup.run(engine, "shop", Set.of(), Set.of(), WINDOW, false, Log.NONE);

        assertTrue(r.removed().isEmpty());
        assertTrue(engine.calls.isEmpty());
    }

    @Test
    void ourImageNameTagGoesWithTheImage() {
        built("shop", "backend", "d1", "myorg/backend:1.0");
        ImageCleanup.Result r = ImageCleanup.run(engine, "shop", Set.of(), Set.of(), WINDOW, false, Log.NONE);
        assertEquals(List.of("shop/backend:d1"), r.removed());
        assertEquals(List.of("untag image shop/backend:d1", "remove image myorg/backend:1.0"), engine.calls);
        assertTrue(engine.images.isEmpty());
    }

    @Test
    void thePushedPerDeployTagIsOursTooSoAPushedBuildIsNotKeptForever() {
        built("shop", "backend", "d1", "registry.example.com/team/backend:1.0", "registry.example.com/team/backend:d1");
        ImageCleanup.Result r = ImageCleanup.run(engine, "shop", Set.of(), Set.of(), WINDOW, false, Log.NONE);
        assertEquals(List.of("shop/backend:d1"), r.removed());
        assertTrue(engine.images.isEmpty(), engine.images::toString);
    }

    @Test
    void dryRunRemovesNothing() {
        built("shop", "backend", "d1");
        ImageCleanup.Result r = ImageCleanup.run(engine, "shop", Set.of(), Set.of(), WINDOW, true, Log.NONE);
        assertEquals(List.of("shop/backend:d1"), r.removed());
        assertTrue(engine.calls.isEmpty());
        assertEquals("pre-deploy-cleanup: would remove 1 built image (shop/backend:d1)", r.summary(true));
    }

    private void deployed(String deployId, String at, String state) {
        ImageInfo image = built("shop", "backend", deployId);
        String name = "shop_backend_" + deployId;
        Map<String, String> labels = Map.of(Labels.PROJECT, "shop", Labels.ROLE, "app", Labels.SERVICE, "backend",
                Labels.DEPLOY_ID, deployId, Labels.DEPLOYED_AT, at);
        engine.containers.put("c-" + name, new ContainerInfo("c-" + name, name, image.tags().get(0), image.id(), state,
                null, null, labels, Instant.parse(at), List.of(), Map.of()));
    }

    @Test
    void imagesAreKeptExactlyAsLongAsTheirDeploysContainersAndTheDryRunListsTheSame() {
        deployed("d1", "2026-01-01T10:00:00Z", "exited");
        deployed("d2", "2026-01-02T10:00:00Z", "exited");
        deployed("d3", "2026-01-03T10:00:00Z", "running");

        Cleanup.Result dryContainers = Cleanup.run(engine, "shop", null, Set.of(), 1, true, Log.NONE);
        ImageCleanup.Result dry = ImageCleanup.run(engine, "shop", Set.of("d4"), dryContainers.removedDeploys(),
                WINDOW, true, Log.NONE);
        assertEquals(List.of("shop_backend_d1"), dryContainers.removed());
        assertEquals(List.of("shop/backend:d1"), dry.removed(), "the dry run sees d1's container as gone");
        assertTrue(engine.calls.isEmpty());

        Cleanup.Result containers = Cleanup.run(engine, "shop", null, Set.of(), 1, false, Log.NONE);
        ImageCleanup.Result images = ImageCleanup.run(engine, "shop", Set.of("d4"), containers.removedDeploys(), WINDOW,
                false, Log.NONE);

        assertEquals(List.of("shop_backend_d1"), containers.removed());
        assertEquals(List.of("d2"), containers.keptDeploys());
        assertEquals(List.of("shop/backend:d1"), images.removed());
        assertTrue(engine.findImage("shop/backend:d2").isPresent(), "the kept deploy's image");
        assertTrue(engine.findImage("shop/backend:d3").isPresent(), "the current deploy's image");
    }

    @Test
    void aFreshImageWhoseDeployThisRunRemovedIsNotPresumedPending() {
        builtAgo("d1", Duration.ofSeconds(30)); // deploys a minute apart, keep=0: d1 was just removed
        ImageCleanup.Result r = ImageCleanup.run(engine, "shop", Set.of(), Set.of("d1"), WINDOW, false, Log.NONE);
        assertEquals(List.of("shop/backend:d1"), r.removed());
    }

    @Test
    void aDryRunKeepsTheImageOfADeployThatKeepsAContainer() {
        ImageInfo k1 = built("shop", "backend", "k1");
        appContainer("shop_backend_k1", k1, "k1", "running"); // interrupted deploy: one container runs,
        appContainer("shop_worker_k1", k1, "k1", "created"); // the other was never started (a leftover)

        Cleanup.Result dry = Cleanup.run(engine, "shop", null, Set.of(), 1, true, Log.NONE);
        ImageCleanup.Result images = ImageCleanup.run(engine, "shop", Set.of(), dry.removedDeploys(), WINDOW, true,
                Log.NONE);

        assertEquals(List.of("shop_worker_k1"), dry.removed());
        assertEquals(Set.of(), dry.removedDeploys(), "k1 keeps a running container");
        assertEquals(List.of(), images.removed(), "the real run keeps k1's image (in use): so must the dry run");
    }

    @Test
    void anEngineRefusalIsReportedNotFatal() {
        ImageInfo d1 = built("shop", "backend", "d1");
        // the engine knows a user the listing did not show (e.g. a container created meanwhile)
        FakeDockerEngine refusing = new FakeDockerEngine() {
            @Override
            public void removeImage(String reference) {
                throw new dev.sancho.maven.docker.DockerOperationException("conflict: unable to remove repository"
                        + " reference \"" + reference + "\" (must force) - container 1234 is using its referenced image");
            }
        };
        refusing.images.putAll(engine.images);
        ImageCleanup.Result r = ImageCleanup.run(refusing, "shop", Set.of(), Set.of(), WINDOW, false, Log.NONE);
        assertEquals(List.of("shop/backend:d1"), r.refused());
        assertTrue(r.removed().isEmpty());
        assertTrue(refusing.findImage(d1.id()).isPresent());
    }
}
