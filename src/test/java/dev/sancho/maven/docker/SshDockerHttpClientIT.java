package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The ssh:// transport's connection handling against the real engine, without sshd: the process each connection
 * runs is the local {@code docker system dial-stdio}, which is what ssh runs on the remote host. (The IT deploy-ssh
 * does the same through a real sshd.) Needs dockerd and the docker CLI.
 */
class SshDockerHttpClientIT {
    private static final SshAddress LOCAL = SshAddress.parse("ssh://localhost", "test");

    private static DockerJavaEngine engine(SshDockerHttpClient http) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("tcp://localhost:2375").build();
        return new DockerJavaEngine("ssh://localhost", config, http);
    }

    private static SshDockerHttpClient dialStdio() {
        return new SshDockerHttpClient(LOCAL, List.of("docker", "-H", DockerConnect.DEFAULT_ADDRESS, "system",
                "dial-stdio"), true);
    }

    @Test
    void twoHundredSequentialCallsShareOneProcess() throws Exception {
        SshDockerHttpClient http = dialStdio();
        try (DockerJavaEngine engine = engine(http)) {
            for (int i = 0; i < 200; i++) {
                engine.ping();
                engine.findContainer("sanchoit-no-such-container-" + i);
            }
            assertEquals(1, http.startedProcesses(), "processes started for 400 sequential calls");
        }
        assertEquals(0, http.openProcesses(), "close ends every process");
    }

    @Test
    void concurrentCallsUseAtMostTheBoundedNumberOfProcesses() throws Exception {
        SshDockerHttpClient http = dialStdio();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try (DockerJavaEngine engine = engine(http)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                calls.add(pool.submit(() -> engine.listContainers(java.util.Map.of("sancho.project", "sanchoit-none"))));
            }
            for (Future<?> f : calls) {
                f.get();
            }
            int started = http.startedProcesses();
            assertTrue(started >= 2 && started <= SshDockerHttpClient.MAX_CONNECTIONS,
                    "12 threads, 120 calls started " + started + " processes");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, http.openProcesses());
    }

    @Test
    void aStreamedAnswerAndABuildUploadWorkOverIt() throws Exception {
        SshDockerHttpClient http = dialStdio();
        try (DockerJavaEngine engine = engine(http)) {
            String name = "sanchoit_ssh_stream";
            engine.findContainer(name).ifPresent(c -> engine.removeContainer(c.id()));
            try {
                String id = engine.createContainer(new ContainerSpec(name, "sancho-it/app:1", null, null,
                        java.util.Map.of(), java.util.Map.of(), List.of(), List.of(), java.util.Map.of(), null, null,
                        null, null, null, List.of(), null, null));
                engine.startContainer(id);
                ExecResult r = engine.exec(id, List.of("sh", "-c", "echo out-$((6*7)); echo err >&2"), java.time.Duration.ofSeconds(20));
                assertEquals(0, r.exitCode());
                assertTrue(r.output().contains("out-42"), r.output());
                // after a raw stream (it ends its connection) the pool carries on with new processes
                engine.ping();
            } finally {
                engine.findContainer(name).ifPresent(c -> engine.removeContainer(c.id()));
            }
        }
        assertEquals(0, http.openProcesses());
    }
}
