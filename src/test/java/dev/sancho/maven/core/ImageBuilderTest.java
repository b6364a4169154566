package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.compose.Secrets;
import dev.sancho.maven.docker.BuildRequest;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.ImageBuildException;
import dev.sancho.maven.plan.ContainerSpecs;
import dev.sancho.maven.plan.ImageBuilds;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
    @TempDir
    Path dir;

    private final FakeDockerEngine engine = new FakeDockerEngine();
    private final List<String> info = new ArrayList<>();
    private final Log log = new Log() {
        @Override
        public void info(String message) {
            info.add(message);
        }

        @Override
        public void warn(String message) {
            info.add("WARN " + message);
        }

        @Override
        public void debug(String message) {}
    };

    private static final String COMPOSE = """
            name: shop
            services:
              db:
                image: postgres:15
              backend:
                image: myorg/backend:${project.version}
                build:
                  context: ./backend
                  args:
                    GREETING: hello ${project.version}
                    HTTP_PROXY:
                    NOT_SET_ANYWHERE:
                  labels:
                    com.example.team: payments
                    sancho.project: forged
                  shm_size: 64m
              worker:
                build: ./worker
              web:
                image: nginx:1
            """;

    private Stack stack(String deployId) {
        Fixtures.write(dir, "backend/Dockerfile", "FROM sancho-it/app:1\n");
        Fixtures.write(dir, "worker/Dockerfile", "FROM sancho-it/app:1\n");
        ComposeFile compose = ComposeLoader.load(Fixtures.write(dir, "docker-compose.yml", COMPOSE), Map.of(),
                Map.of(), ComposeLoader.builtins(deployId, "shop"), Fixtures.POM, Log.NONE);
        return StackResolver.resolve(compose, new StackConfig(null, "shop", deployId, Set.of("db"), null));
    }

    @Test
    void eachBuiltServiceIsTaggedPerDeployAndWithItsImageNameAndLabelledAsOurs() {
        Stack built = ImageBuilder.build(engine, stack("d1"), Map.of("HTTP_PROXY", "http://proxy:3128"), List.of(), false,
                false, log);

        assertEquals(List.of("build shop/backend:d1", "build shop/worker:d1"), engine.calls);
        BuildRequest backend = engine.builds.get(0);
        assertEquals(List.of("shop/backend:d1", "myorg/backend:1.4.0"), backend.tags());
        assertEquals(dir.resolve("backend").toString(), backend.context().toString());
        assertEquals(Map.of("GREETING", "hello 1.4.0", "HTTP_PROXY", "http://proxy:3128"), backend.args(),
                "a valueless arg takes the process environment; one absent there is not passed");
        assertEquals("true", backend.labels().get(Labels.BUILT));
        assertEquals("shop", backend.labels().get(Labels.PROJECT), "a build label cannot forge our ownership");
        assertEquals("backend", backend.labels().get(Labels.SERVICE));
        assertEquals("d1", backend.labels().get(Labels.DEPLOY_ID));
        assertEquals("myorg/backend:1.4.0", backend.labels().get(Labels.IMAGE_NAME));
        assertEquals("payments", backend.labels().get("com.example.team"));
        assertEquals(64L << 20, backend.shmSizeBytes());
        assertEquals(List.of("shop/worker:d1"), engine.builds.get(1).tags());

        // the deploy's containers run the per-deploy tag, never the mutable image: name
        ContainerSpec spec = ContainerSpecs.forService(built, built.service("backend").orElseThrow());
        assertEquals("shop/backend:d1", spec.image());
        assertEquals("shop/worker:d1", ContainerSpecs.forService(built, built.service("worker").orElseThrow()).image());
        assertEquals("nginx:1", built.service("web").orElseThrow().service().image());
        assertEquals("postgres:15", built.service("db").orElseThrow().service().image());
        assertTrue(info.contains("  [backend] Step 1/1 : FROM fake"), info.toString());
    }

    @Test
    void buildArgValuesAreNeverLogged() {
        ImageBuilder.build(engine, stack("d1"), Map.of("HTTP_PROXY", "http://user:s3cret@proxy"), List.of(), false, false, log);
        assertTrue(info.stream().anyMatch(l -> l.contains("args GREETING,HTTP_PROXY")), info.toString());
        assertFalse(info.stream().anyMatch(l -> l.contains("s3cret") || l.contains("hello 1.4.0")), info.toString());
    }

    @Test
    void aSecretBuildArgIsMaskedInTheBuildOutputAndItsFailure() {
        String proxy = "http://user:s3cret@proxy";
        engine.buildFailures.put("shop/backend:d2", new ImageBuildException("Step 3/5 : RUN curl -x " + proxy + " x",
                "fetching through " + proxy + " failed", List.of("curl: (7) " + proxy + " refused")));

        CheckFailedException e = assertThrows(CheckFailedException.class, () -> ImageBuilder.build(engine,
                stack("d2"), Map.of("HTTP_PROXY", proxy), List.of("HTTP_PROXY"), false, false, log));

        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains("curl: (7) " + Secrets.MASK + " refused"), e.getMessage());
    }

    @Test
    void aFailingStepFailsWithTheStepItsOutputAndNothingElseDone() {
        engine.buildFailures.put("shop/backend:d2", new ImageBuildException("Step 3/5 : RUN make",
                "The command '/bin/sh -c make' returned a non-zero code: 2", List.of("compiling", "error: boom")));

        CheckFailedException e = assertThrows(CheckFailedException.class,
                () -> ImageBuilder.build(engine, stack("d2"), Map.of(), List.of(), false, false, log));

        assertEquals("""
                build of service backend failed at Step 3/5 : RUN make: The command '/bin/sh -c make' returned a \
                non-zero code: 2
                  last output of that step:
                    compiling
                    error: boom
                  Deploy d2 stopped before changing any container; the previous deploy keeps serving.""",
                e.getMessage());
        assertEquals(List.of("build shop/backend:d2"), engine.calls, "the next build is not even started");
        assertTrue(engine.containers.isEmpty());
    }

    @Test
    void dryRunSaysWhatWouldBeBuiltAndBuildsNothing() {
        Stack s = ImageBuilder.build(engine, stack("d3"), Map.of(), List.of(), false, true, log);
        assertTrue(engine.calls.isEmpty());
        assertTrue(info.stream().anyMatch(l -> l.startsWith("  would build backend from " + dir.resolve("backend"))
                && l.endsWith("-> shop/backend:d3, myorg/backend:1.4.0")), info.toString());
        assertEquals("shop/backend:d3", s.service("backend").orElseThrow().service().image());
    }

    @Test
    void skipBuildRunsThePerDeployTagWhenPresentElseTheImageNameAndSaysWhich() {
        engine.addImage("shop/backend:d4");
        engine.addImage("myorg/backend:1.4.0");
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ImageBuilder.build(engine, stack("d4"), Map.of(), List.of(), true, false, log));
        assertEquals("services.worker: sancho.skipBuild is set but neither shop/worker:d4 exists on the engine at"
                + " fake://engine; build it first (mvn sancho:build -Dsancho.deployId=d4) or drop -Dsancho.skipBuild;"
                + " nothing was changed", missing.getMessage());

        engine.addImage("shop/worker:d4");
        engine.images.remove("shop/backend:d4");
        Stack s = ImageBuilder.build(engine, stack("d4"), Map.of(), List.of(), true, false, log);
        assertEquals("myorg/backend:1.4.0", s.service("backend").orElseThrow().service().image());
        assertEquals("shop/worker:d4", s.service("worker").orElseThrow().service().image());
        assertTrue(engine.builds.isEmpty());
        assertTrue(info.contains("Not building backend (sancho.skipBuild): running myorg/backend:1.4.0"), info.toString());
    }

    @Test
    void infrastructureIsNotBuiltPerDeploy() {
        String yaml = """
                services:
                  proxy:
                    image: shop/proxy:1
                    build: ./proxy
                  app:
                    image: a:1
                """;
        ComposeFile compose = Fixtures.inline(dir, yaml);
        Stack s = StackResolver.resolve(compose, new StackConfig("shop", "shop", "d5", Set.of("proxy"), null));
        Stack out = ImageBuilder.build(engine, s, Map.of(), List.of(), false, false, log);
        assertTrue(engine.builds.isEmpty());
        assertEquals("shop/proxy:1", out.service("proxy").orElseThrow().service().image());
        assertTrue(info.contains("docker-compose.yml:4: services.proxy.build: not built by sancho (infrastructure is"
                + " never recreated); it runs image shop/proxy:1"), info.toString());

        ComposeFile noImage = Fixtures.inline(dir, "services:\n  proxy:\n    build: ./proxy\n");
        Stack s2 = StackResolver.resolve(noImage, new StackConfig("shop", "shop", "d5", Set.of("proxy"), null));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ImageBuilder.build(engine, s2, Map.of(), List.of(), false, false, log));
        assertTrue(e.getMessage().startsWith("docker-compose.yml:3: services.proxy is infrastructure"), e.getMessage());
    }

    @Test
    void tagsFollowDockersRepositoryRules() {
        assertEquals("shop/backend:20240501", ImageBuilds.perDeployTag("Shop", "Backend", "20240501"));
        ConfigException e = assertThrows(ConfigException.class, () -> ImageBuilds.perDeployTag("shop", "my..svc", "1"));
        assertTrue(e.getMessage().contains("'my..svc' is not a valid Docker repository name"), e.getMessage());
    }

    @Test
    void noBuildSectionMeansNothingToBuild() {
        ComposeFile compose = Fixtures.inline(dir, "services:\n  app:\n    image: a:1\n");
        Stack s = StackResolver.resolve(compose, new StackConfig("shop", "shop", "d6", Set.of(), null));
        assertEquals(s, ImageBuilder.build(engine, s, Map.of(), List.of(), false, false, log));
        assertNull(engine.builds.isEmpty() ? null : engine.builds.get(0));
    }

    private Stack pushStack(String deployId, String image) {
        Fixtures.write(dir, "backend/Dockerfile", "FROM sancho-it/app:1\n");
        ComposeFile compose = ComposeLoader.load(Fixtures.write(dir, "docker-compose.yml", """
                name: shop
                services:
                  backend:
                    image: IMAGE
                    build: ./backend
                """.replace("IMAGE", image)), Map.of(), Map.of(), ComposeLoader.builtins(deployId, "shop"),
                Fixtures.POM, Log.NONE);
        return StackResolver.resolve(compose, new StackConfig(null, "shop", deployId, Set.of(), null));
    }

    @Test
    void pushSendsThePerDeployTagAndTheImageTagToTheRegistryAndTheDeployRunsThePushedReference() {
        Stack out = ImageBuilder.build(engine, pushStack("d7", "127.0.0.1:5000/team/backend:1.4"), Map.of(),
                List.of(), false, true, false, log);
        assertEquals(List.of("127.0.0.1:5000/team/backend:d7", "127.0.0.1:5000/team/backend:1.4"), engine.pushes);
        assertEquals("127.0.0.1:5000/team/backend:d7", out.service("backend").orElseThrow().service().image());
        assertEquals(engine.findImage("shop/backend:d7").orElseThrow().id(),
                engine.findImage("127.0.0.1:5000/team/backend:d7").orElseThrow().id());
        assertTrue(info.contains("Pushing 127.0.0.1:5000/team/backend:d7 to 127.0.0.1:5000"), info::toString);
        assertEquals(List.of(), engine.containers.keySet().stream().toList());
    }

    @Test
    void aFailedPushStopsTheDeployInOneLineBeforeAnyContainerChanges() {
        engine.pushFailures.put("127.0.0.1:5000/team/backend:d8", new dev.sancho.maven.docker.RegistryAuthException(
                "127.0.0.1:5000", "registry 127.0.0.1:5000 refused the push of 127.0.0.1:5000/team/backend:d8 with"
                + " the credentials from settings.xml server '127.0.0.1:5000': unauthorized", null));
        ConfigException e = assertThrows(ConfigException.class, () -> ImageBuilder.build(engine,
                pushStack("d8", "127.0.0.1:5000/team/backend:1.4"), Map.of(), List.of(), false, true, false, log));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot push service backend: registry 127.0.0.1:5000 refused the push"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(deploy d8 stopped before changing any container)"), e.getMessage());
        assertEquals(List.of(), engine.pushes);
        assertTrue(engine.containers.isEmpty());
    }

    @Test
    void pushToDockerHubMustNameTheAccountAndIsRefusedBeforeBuilding() {
        ConfigException bare = assertThrows(ConfigException.class, () -> ImageBuilder.build(engine,
                pushStack("d9", "backend:1.4"), Map.of(), List.of(), false, true, false, log));
        assertTrue(bare.getMessage().contains("names no registry"), bare.getMessage());
        assertTrue(engine.builds.isEmpty(), "refused before building");
        ImageBuilder.build(engine, pushStack("d9", "someuser/backend:1.4"), Map.of(), List.of(), false, true, false,
                log);
        assertEquals(List.of("someuser/backend:d9", "someuser/backend:1.4"), engine.pushes);
    }

    @Test
    void skipBuildWithPushRunsThePushedPerDeployTagWhichTheDeployThenPulls() {
        Stack out = ImageBuilder.build(engine, pushStack("d7", "127.0.0.1:5000/team/backend:1.4"), Map.of(),
                List.of(), true, true, false, log);
        assertEquals("127.0.0.1:5000/team/backend:d7", out.service("backend").orElseThrow().service().image());
        assertTrue(engine.builds.isEmpty());
    }
}
