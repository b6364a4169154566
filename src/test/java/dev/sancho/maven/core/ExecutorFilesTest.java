package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.ContainerFile;
import dev.sancho.maven.docker.ContainerOptions;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.plan.Action;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets and configs of an environment:/content: source are copied in between create and start, as Compose v2 does. */
class ExecutorFilesTest {
    private final FakeDockerEngine engine = new FakeDockerEngine();

    private static ContainerSpec spec(List<ContainerFile> files) throws Exception {
        RecordComponent[] components = ContainerOptions.class.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals("files")) {
                args[i] = files;
            }
        }
        ContainerOptions options = ContainerOptions.class.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new)).newInstance(args);
        return new ContainerSpec("shop_api_d1", "app:1", null, null, Map.of(), Map.of(), List.of(), List.of(),
                Map.of(), "unless-stopped", null, null, null, null, List.of(), null, null, options);
    }

    @Test
    void theFilesAreInTheContainerBeforeItStarts() throws Exception {
        engine.addImage("app:1");
        ContainerFile token = ContainerFile.text("/run/secrets/token", "tok-1618", 0444, null, null);
        String id = Executor.create(engine, new Action.CreateContainer("api", false, spec(List.of(token))));
        Executor.start(engine, id);
        assertEquals(List.of("create shop_api_d1", "copy shop_api_d1 [/run/secrets/token]", "start shop_api_d1"),
                engine.calls.stream().filter(c -> !c.startsWith("pull")).toList());
        assertEquals(token, engine.copiedFiles.get("shop_api_d1").get("/run/secrets/token"));
        assertFalse(String.join("\n", engine.calls).contains("tok-1618"));
    }

    @Test
    void noFilesNoCopy() throws Exception {
        engine.addImage("app:1");
        Executor.create(engine, new Action.CreateContainer("api", false, spec(List.of())));
        assertEquals(List.of("create shop_api_d1"), engine.calls);
    }

    @Test
    void aFailedCopyRemovesTheContainerItCreated() throws Exception {
        engine.addImage("app:1");
        engine.failCopyTo.add("shop_api_d1");
        ContainerSpec spec = spec(List.of(ContainerFile.text("/run/secrets/token", "tok-1618", 0444, null, null)));
        DockerOperationException e = assertThrows(DockerOperationException.class,
                () -> Executor.create(engine, new Action.CreateContainer("api", false, spec)));
        assertFalse(e.getMessage().contains("tok-1618"));
        assertTrue(engine.findContainer("shop_api_d1").isEmpty(), "nothing half-made is left");
    }
}
