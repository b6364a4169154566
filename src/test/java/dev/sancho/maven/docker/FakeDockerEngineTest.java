package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.FakeDockerEngine.Exec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The in-memory engine behaves like {@link DockerJavaEngine} where the core relies on it (the real engine's side is
 * {@code DockerJavaEngineIT}): a core test that passes on the fake then says something about the real engine.
 */
class FakeDockerEngineTest {
    private static final String IMAGE = "sancho-it/app:1";
    private static final String NET = "shop_default";

    private final FakeDockerEngine engine = new FakeDockerEngine();

    {
        engine.addImage(IMAGE);
    }

    private static ContainerSpec spec(String name, Map<String, String> labels, Map<String, List<String>> networks) {
        return new ContainerSpec(name, IMAGE, null, null, Map.of(), labels, List.of(), List.of(), networks, null, null,
                null, null, null, List.of(), null, null);
    }

    private String running(String name, List<String> aliases) {
        String id = engine.createContainer(spec(name, Map.of(), Map.of(NET, aliases)));
        engine.startContainer(id);
        return id;
    }

    @Test
    void labelSelectionIncludesStoppedContainersAndANullValueMeansAnyValue() {
        String created = engine.createContainer(spec("shop_backend_d1", Map.of("sancho.project", "shop",
                "sancho.role", "app"), Map.of()));
        String exited = engine.add("shop_backend_d0", IMAGE, "exited", Map.of("sancho.project", "shop",
                "sancho.role", "app")).id();
        engine.add("other_backend_d1", IMAGE, "running", Map.of("sancho.project", "other", "sancho.role", "app"));

        assertEquals(List.of(created, exited), engine.listContainers(Map.of("sancho.project", "shop")).stream()
                .map(ContainerInfo::id).toList(), "created and exited ones too, in creation order");
        Map<String, String> anyRole = new LinkedHashMap<>();
        anyRole.put("sancho.role", null);
        assertEquals(3, engine.listContainers(anyRole).size());
        anyRole.put("sancho.project", "shop");
        assertEquals(2, engine.listContainers(anyRole).size());
        assertEquals(List.of(), engine.listContainers(Map.of("sancho.project", "sho")), "values are exact");
        assertEquals(3, engine.listContainers(null).size(), "no selection: every container");
        assertEquals(3, engine.listContainers(Map.of()).size());
    }

    @Test
    void aTakenNameIsANameConflictAndAnUnknownContainerIsNoSuchContainer() {
        engine.createContainer(spec("shop_sancho_lock", Map.of(), Map.of()));
        NameConflictException conflict = assertThrows(NameConflictException.class,
                () -> engine.createContainer(spec("shop_sancho_lock", Map.of(), Map.of())));
        assertEquals("shop_sancho_lock", conflict.name(), "the deploy lock relies on this");
        assertEquals(List.of("create shop_sancho_lock"), engine.calls, "the refused create did nothing");

        DockerOperationException absent = assertThrows(DockerOperationException.class,
                () -> engine.startContainer("shop_absent"));
        assertEquals("no such container: shop_absent", absent.getMessage());
        DockerOperationException noImage = assertThrows(DockerOperationException.class,
                () -> engine.createContainer(new ContainerSpec("x", "sancho-it/absent:0", null, null, Map.of(),
                        Map.of(), List.of(), List.of(), Map.of(), null, null, null, null, null, List.of(), null,
                        null)));
        assertTrue(noImage.getMessage().contains("sancho-it/absent:0"), noImage.getMessage());
    }

    @Test
    void findContainerIsTheExactNameOnly() {
        engine.add("shop_db_v2_old", IMAGE, "exited", Map.of());
        engine.add("xshop_db_v2", IMAGE, "exited", Map.of());
        assertTrue(engine.findContainer("shop_db_v2").isEmpty());
        assertTrue(engine.findContainer("shop_db").isEmpty());
        assertEquals("shop_db_v2_old", engine.findContainer("shop_db_v2_old").orElseThrow().name());
    }

    @Test
    void execAnswersWithTheExitCodeOrTimesOutWithTheOutputSoFarLikeTheEngine() {
        String id = running("shop_db", List.of("db"));
        engine.execs.put("shop_db sh -c exit 3", Exec.exits(3, "out\nerr\n"));
        engine.execs.put("shop_db sleep 5", new Exec(0, "", Duration.ofSeconds(5)));
        engine.execs.put("shop_db psql", Exec.hangs("waiting\n"));

        ExecResult three = engine.exec(id, List.of("sh", "-c", "exit 3"), Duration.ofSeconds(10));
        assertEquals(new ExecResult(3, "out\nerr\n"), three);
        assertFalse(three.timedOut());
        assertTrue(engine.exec(id, List.of("sleep", "5"), Duration.ofMillis(300)).timedOut());
        assertEquals(new ExecResult(0, ""), engine.exec(id, List.of("sleep", "5"), Duration.ofSeconds(6)));
        ExecResult hung = engine.exec(id, List.of("psql"), Duration.ofHours(1));
        assertEquals(new ExecResult(ExecResult.TIMED_OUT, "waiting\n"), hung, "no exception: a result, as the"
                + " real adapter gives after the timeout");
        assertEquals(new ExecResult(0, ""), engine.exec(id, List.of("true"), Duration.ofSeconds(1)), "not listed");
        assertEquals(List.of("exec shop_db sh -c exit 3", "exec shop_db sleep 5", "exec shop_db sleep 5",
                "exec shop_db psql", "exec shop_db true"), engine.calls.subList(2, engine.calls.size()));

        engine.stopContainer(id, Duration.ofSeconds(1));
        DockerOperationException stopped = assertThrows(DockerOperationException.class,
                () -> engine.exec(id, List.of("true"), Duration.ofSeconds(1)));
        assertEquals("container " + id + " is not running", stopped.getMessage());
    }

    @Test
    void stoppingAContainerThatIsNotRunningChangesNothing() {
        String id = engine.createContainer(spec("shop_backend_d1", Map.of(), Map.of()));
        engine.stopContainer(id, Duration.ofSeconds(1));
        assertEquals("created", engine.inspectContainer(id).orElseThrow().state());
        engine.startContainer(id);
        engine.stopContainer(id, Duration.ofSeconds(1));
        ContainerInfo stopped = engine.inspectContainer(id).orElseThrow();
        assertEquals("exited", stopped.state());
        assertNotNull(stopped.exitCode());
    }

    @Test
    void replaceAliasesReconnectsWithExactlyTheseAliasesAndARunningContainerKeepsItsAddress() {
        String old = running("shop_backend_d1", List.of("backend", "api"));
        String address = engine.address(old, NET);
        assertNotNull(address);
        engine.calls.clear();

        assertTrue(engine.replaceAliases(NET, old, List.of("api")));

        assertEquals(Map.of(NET, List.of("api")), engine.inspectContainer(old).orElseThrow().networkAliases());
        assertEquals(address, engine.address(old, NET), "a proxy holding the old address still reaches it");
        assertEquals(List.of("disconnect " + NET + " shop_backend_d1", "connect " + NET + " shop_backend_d1"),
                engine.calls);

        engine.stopContainer(old, Duration.ofSeconds(1));
        assertNull(engine.address(old, NET), "a stopped container has no address");
        assertFalse(engine.replaceAliases(NET, old, List.of("backend", "api")));
        assertEquals(Map.of(NET, List.of("backend", "api")), engine.inspectContainer(old).orElseThrow()
                .networkAliases(), "the aliases are back for a rollback");
    }

    @Test
    void aReconnectTakesTheLowestFreeAddressSoAnotherFreedOneChangesIt() {
        String first = running("shop_backend_d1", List.of("backend"));
        String second = running("shop_frontend_d1", List.of("frontend"));
        String secondAddress = engine.address(second, NET);
        engine.removeContainer(first); // frees a lower address than second's

        assertFalse(engine.replaceAliases(NET, second, List.of()), "without a configured subnet the engine hands out"
                + " the lowest free address");
        assertFalse(secondAddress.equals(engine.address(second, NET)));
    }
}
