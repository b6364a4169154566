package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.core.StateReader;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.ImageInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pull_policy per service, as the Compose Specification defines it, for the containers a deploy creates. */
class PullPolicyTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    @TempDir
    Path dir;
    SeedStack seed;
    FakeDockerEngine engine;

    @BeforeEach
    void engineWithImages() {
        seed = SeedStack.in(dir);
        engine = new FakeDockerEngine();
        List.of(SeedStack.DB_IMAGE, SeedStack.PROXY_IMAGE, "sancho-it/app:1").forEach(engine::addImage);
        engine.createVolume(SeedStack.VOLUME, null, Map.of(), Map.of());
    }

    private List<Action.PullImage> pulls(SeedStack s) {
        Stack stack = s.stack("d1");
        return Planner.plan(stack, StateReader.observe(engine, stack), DeployOptions.defaults(NOW))
                .actions(Action.PullImage.class);
    }

    private void taggedAgo(String image, Duration ago) {
        engine.images.put(image, new ImageInfo("sha256:" + image, List.of(image), Map.of(), List.of(),
                NOW.minus(ago)));
    }

    @Test
    void missingIsTheDefaultAndIfNotPresentItsAlias() {
        assertEquals(List.of(), pulls(seed));
        assertEquals(List.of(), pulls(seed.with("backend", "pull_policy", "if_not_present")));
        assertEquals(List.of(new Action.PullImage("sancho-it/app:9")),
                pulls(seed.withAppImage("sancho-it/app:9").with("backend", "pull_policy", "missing")));
    }

    @Test
    void alwaysPullsAPresentImageAndThePlanSaysWhy() {
        List<Action.PullImage> p = pulls(seed.with("backend", "pull_policy", "always"));
        assertEquals(List.of(new Action.PullImage("sancho-it/app:1", "pull_policy: always")), p);
        assertEquals("pull     sancho-it/app:1 (pull_policy: always)", p.get(0).describe());
    }

    @Test
    void dailyWeeklyAndEveryDurationPullWhenTheLastPullIsOlder() {
        taggedAgo("sancho-it/app:1", Duration.ofHours(25));
        assertEquals(1, pulls(seed.with("backend", "pull_policy", "daily")).size());
        assertEquals(0, pulls(seed.with("backend", "pull_policy", "weekly")).size());
        assertEquals(1, pulls(seed.with("backend", "pull_policy", "every_12h")).size());
        assertEquals(0, pulls(seed.with("backend", "pull_policy", "every_26h")).size());
        taggedAgo("sancho-it/app:1", Duration.ofDays(8));
        assertEquals(1, pulls(seed.with("backend", "pull_policy", "weekly")).size());
    }

    @Test
    void neverWithTheImageAbsentIsOneLineNamingServiceFileAndLine() {
        ComposeException e = assertThrows(ComposeException.class,
                () -> pulls(seed.withAppImage("sancho-it/app:9").with("backend", "pull_policy", "never")));
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.contains("docker-compose.yml:"), m);
        assertTrue(m.contains("services.backend.pull_policy"), m);
        assertTrue(m.contains("sancho-it/app:9 is not on the engine"), m);
        assertEquals(List.of(), pulls(seed.with("backend", "pull_policy", "never")), "present: nothing to pull");
    }

    @Test
    void anUnknownPolicyAndBuildWithoutABuildSectionAreComposeErrors() {
        ComposeException bad = assertThrows(ComposeException.class,
                () -> pulls(seed.with("backend", "pull_policy", "sometimes")));
        assertTrue(bad.getMessage().contains("unknown pull policy \"sometimes\""), bad.getMessage());
        assertTrue(bad.getMessage().contains("services.backend.pull_policy"), bad.getMessage());
        ComposeException build = assertThrows(ComposeException.class,
                () -> pulls(seed.with("backend", "pull_policy", "build")));
        assertTrue(build.getMessage().contains("no build: section"), build.getMessage());
        assertThrows(ComposeException.class, () -> pulls(seed.with("backend", "pull_policy", "every_soon")));
    }

    @Test
    void aContainerLeftAsItIsNeedsNoPullWhateverItsPolicy() {
        Stack stack = seed.with("db", "pull_policy", "always").stack("d1");
        var spec = ContainerSpecs.forService(stack, stack.service("db").orElseThrow());
        engine.add(spec.name(), spec.image(), "running", spec.labels());
        List<Action.PullImage> p = Planner.plan(stack, StateReader.observe(engine, stack), DeployOptions.defaults(NOW))
                .actions(Action.PullImage.class);
        assertEquals(List.of(), p, "the running db is adopted, not recreated");
    }
}
