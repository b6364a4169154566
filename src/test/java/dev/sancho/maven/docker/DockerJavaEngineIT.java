package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The facade against the real engine (run by failsafe in `verify`, like the invoker ITs: needs dockerd and the test images).
 * Every object is named {@code sanchoit_vol_*} and removed by exact name before and after.
 */
class DockerJavaEngineIT {
    private static final String IMAGE = "sancho-it/app:1";
    private static final String P = "sanchoit_vol_eng_";
    private static final String TARGET = P + "db_v2";
    private static final List<String> DECOYS = List.of(P + "db_v2_old", "x" + P + "db_v2", P + "db_v", P + "db.v2",
            P + "dbXv2");
    private static final String NET = P + "net";
    private static final String VOL = P + "data";
    private static final String LABEL_PROJECT = "sanchoit-vol-engine";

    private static DockerEngine engine;

    @BeforeAll
    static void connect() throws Exception {
        engine = DockerConnect.connect(null, System.getenv());
        engine.ping();
        if (engine.findImage(IMAGE).isEmpty()) {
            throw new IllegalStateException("test image " + IMAGE + " is missing: run scripts/test-images.sh");
        }
        cleanUp();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        List<String> names = new ArrayList<>(DECOYS);
        names.addAll(List.of(TARGET, P + "life", P + "taken", P + "stopped", P + "restart"));
        for (String n : names) {
            engine.findContainer(n).ifPresent(c -> engine.removeContainer(c.id()));
        }
        cli("network", "rm", NET);
        cli("volume", "rm", VOL);
    }

    private static void cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    private static ContainerSpec spec(String name, Map<String, String> labels) {
        return new ContainerSpec(name, IMAGE, null, null, Map.of(), labels, List.of(), List.of(), Map.of(), null, null,
                null, null, null, List.of(), null, null);
    }

    @Test
    void findContainerReturnsOnlyTheExactNameAmongRealDecoys() {
        for (String decoy : DECOYS) {
            engine.createContainer(spec(decoy, Map.of()));
        }
        assertTrue(engine.findContainer(TARGET).isEmpty(), "only decoys exist: the target must not be found");

        String id = engine.createContainer(spec(TARGET, Map.of()));
        Optional<ContainerInfo> found = engine.findContainer(TARGET);
        assertEquals(id, found.orElseThrow().id());
        assertEquals(TARGET, found.get().name());

        assertEquals(P + "db.v2", engine.findContainer(P + "db.v2").orElseThrow().name(), "a dot is literal");
        assertTrue(engine.findContainer(P + "db").isEmpty(), "a prefix of existing names matches nothing");
    }

    @Test
    void aRestartPolicyUpdatedToNoIsNoOnTheEngineAndBackAgain() throws Exception {
        ContainerSpec always = new ContainerSpec(P + "restart", IMAGE, null, null, Map.of(), Map.of(), List.of(),
                List.of(), Map.of(), "always", null, null, null, null, List.of(), null, null);
        String id = engine.createContainer(always);
        assertEquals("always", restartPolicyOf(id));
        engine.updateRestartPolicy(id, "no");
        assertEquals("no", restartPolicyOf(id), "a kept deploy must not come back after a reboot");
        engine.updateRestartPolicy(id, "unless-stopped");
        assertEquals("unless-stopped", restartPolicyOf(id));
        engine.updateRestartPolicy(id, "on-failure:3");
        assertEquals("on-failure", restartPolicyOf(id));
    }

    private static String restartPolicyOf(String id) throws Exception {
        Process p = new ProcessBuilder("docker", "inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", id)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }

    @Test
    void listByLabelsIncludesStoppedContainersAndChecksValues() {
        String id = engine.createContainer(spec(P + "stopped", Map.of("sancho.project", LABEL_PROJECT, "sancho.role", "app")));

        List<ContainerInfo> byValue = engine.listContainers(Map.of("sancho.project", LABEL_PROJECT));
        assertEquals(List.of(id), byValue.stream().map(ContainerInfo::id).toList());
        assertEquals("created", byValue.get(0).state());

        Map<String, String> anyValue = new LinkedHashMap<>();
        anyValue.put("sancho.role", null);
        anyValue.put("sancho.project", LABEL_PROJECT);
        assertEquals(1, engine.listContainers(anyValue).size());
        assertTrue(engine.listContainers(Map.of("sancho.project", LABEL_PROJECT + "-other")).isEmpty());

        // the list call's own fields, without an inspect per container: the same container, the same facts
        ContainerInfo summary = engine.listContainerSummaries(Map.of("sancho.project", LABEL_PROJECT)).get(0);
        ContainerInfo full = byValue.get(0);
        assertEquals(List.of(full.id(), full.name(), full.imageId(), full.state(), full.labels()),
                List.of(summary.id(), summary.name(), summary.imageId(), summary.state(), summary.labels()));
        assertTrue(engine.listContainerSummaries(Map.of()).stream().anyMatch(c -> c.id().equals(id)));
    }

    @Test
    void aContainerLivesThroughTheWholeFacade() throws Exception {
        engine.createNetwork(NET, null, Map.of("sancho.project", LABEL_PROJECT));
        assertEquals(NET, engine.findNetwork(NET).orElseThrow().name());
        engine.createVolume(VOL, null, Map.of(), Map.of("sancho.project", LABEL_PROJECT));

        Map<String, List<String>> networks = new LinkedHashMap<>();
        networks.put(NET, List.of("backend"));
        ContainerSpec spec = new ContainerSpec(P + "life", IMAGE, null, null, Map.of("DEPLOY_ID", "t1"),
                Map.of("sancho.project", LABEL_PROJECT),
                List.of(new ContainerSpec.PortBinding("127.0.0.1", null, 8080, "tcp")),
                List.of(new ContainerSpec.Mount("volume", VOL, "/data", false)),
                networks, "no",
                new ContainerSpec.HealthSpec(List.of("CMD", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/health"),
                        Duration.ofMillis(500), Duration.ofSeconds(2), 3, null),
                null, null, null, List.of(), null, Duration.ofSeconds(5));
        String id = engine.createContainer(spec);

        NameConflictException conflict = assertThrows(NameConflictException.class, () -> engine.createContainer(spec));
        assertEquals(P + "life", conflict.name());

        engine.startContainer(id);
        engine.startContainer(id); // already running: no error
        ContainerInfo running = waitForHealth(id, "healthy");
        assertTrue(running.running());
        assertNull(running.exitCode());
        assertEquals(List.of(new ContainerInfo.MountInfo("volume", VOL, "/data", false)), running.mounts());
        assertTrue(running.networkAliases().get(NET).contains("backend"), running.networkAliases().toString());

        ExecResult exec = engine.exec(id, List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertEquals(3, exec.exitCode());
        assertTrue(exec.output().contains("out") && exec.output().contains("err"), exec.output());
        assertTrue(engine.exec(id, List.of("sleep", "5"), Duration.ofMillis(300)).timedOut());

        assertFalse(engine.logTail(id, 20).isEmpty());

        long t0 = System.nanoTime();
        engine.stopContainer(id, Duration.ofSeconds(5));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "the image stops on SIGTERM");
        engine.stopContainer(id, Duration.ofSeconds(5)); // already stopped: no error
        ContainerInfo stopped = engine.inspectContainer(id).orElseThrow();
        assertEquals("exited", stopped.state());
        assertTrue(stopped.exitCode() != null);

        engine.removeContainer(id);
        assertTrue(engine.inspectContainer(id).isEmpty());
        assertTrue(engine.findVolume(VOL).isPresent(), "removing a container never removes its named volume");
    }

    private static ContainerInfo waitForHealth(String id, String health) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ContainerInfo c;
        do {
            c = engine.inspectContainer(id).orElseThrow();
            if (health.equals(c.health())) {
                return c;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("container never became " + health + ": " + c);
    }

    @Test
    void missingObjectsAreEmptyOrOneLineErrors() {
        assertTrue(engine.findVolume(P + "absent").isEmpty());
        assertTrue(engine.findNetwork(P + "absent").isEmpty());
        assertTrue(engine.findImage("sancho-it/absent:0").isEmpty());
        assertTrue(engine.inspectContainer(P + "absent").isEmpty());

        DockerOperationException e = assertThrows(DockerOperationException.class,
                () -> engine.startContainer(P + "absent"));
        assertEquals("no such container: " + P + "absent", e.getMessage());

        e = assertThrows(DockerOperationException.class,
                () -> engine.createContainer(new ContainerSpec(P + "absent", "sancho-it/absent:0", null, null, null,
                        null, null, null, null, null, null, null, null, null, null, null, null)));
        assertTrue(e.getMessage().contains("sancho-it/absent:0"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aNameThatIsAHexPrefixOfAnotherIdIsNotThatContainer() {
        String id = engine.createContainer(spec(P + "taken", Map.of()));
        try {
            // Docker resolves short id prefixes; asking for a *name* must not return some other container.
            assertTrue(engine.inspectContainer(id.substring(0, 6)).isEmpty());
            assertEquals(id, engine.inspectContainer(id.substring(0, 12)).orElseThrow().id());
        } finally {
            engine.removeContainer(id);
        }
    }

    @Test
    void anUnreachableEngineIsOneLine() {
        try (DockerEngine nope = DockerConnect.connect("unix:///nope.sock", Map.of())) {
            EngineUnreachableException e = assertThrows(EngineUnreachableException.class, nope::ping);
            assertEquals("Cannot reach Docker at unix:///nope.sock: no such socket. Is dockerd running?"
                    + " Set DOCKER_HOST or -Dsancho.dockerHost.", e.getMessage());
            // also for calls other than ping
            assertInstanceOf(EngineUnreachableException.class,
                    assertThrows(RuntimeException.class, () -> nope.findContainer("x")));
        }
    }
}
