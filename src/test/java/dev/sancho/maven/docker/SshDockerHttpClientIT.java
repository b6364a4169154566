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
 * does the same through a real sshd.) Needs dockerd and the docker CLI; one test also a real sshd
 * (scripts/test-sshd.sh: Debian's openssh-server on a free 127.0.0.1 port).
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
    void twoHundredCallsThroughARealSshdAreOneSshSession() throws Exception {
        String dir = "/tmp/sancho-sshd-junit-" + ProcessHandle.current().pid();
        String port = sshd("start", dir).trim();
        try {
            SshAddress address = SshAddress.parse("ssh://root@127.0.0.1:" + port, "test");
            SshDockerHttpClient http = new SshDockerHttpClient(address, List.of("-F", dir + "/ssh_config"));
            try (DockerJavaEngine engine = engine(http)) {
                for (int i = 0; i < 200; i++) {
                    engine.ping();
                }
            }
            assertEquals(0, http.openProcesses());
            assertEquals("1", sshd("sessions", dir).trim(), "ssh sessions in the sshd log for 400 API calls");
        } finally {
            sshd("teardown", dir);
        }
    }

    /** scripts/test-sshd.sh COMMAND DIR; returns its output. */
    private static String sshd(String command, String dir) throws Exception {
        Process p = new ProcessBuilder("bash", "scripts/test-sshd.sh", command, dir).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "scripts/test-sshd.sh " + command + ": " + out);
        return out;
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
