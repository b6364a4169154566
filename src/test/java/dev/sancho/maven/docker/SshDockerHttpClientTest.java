package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transport with a stand-in for ssh (a shell that writes what ssh writes and exits as ssh does): no engine, no
 * sshd. What a real sshd says is the IT deploy-ssh-refused's business.
 */
class SshDockerHttpClientTest {
    private static final SshAddress VPS = SshAddress.parse("ssh://deploy@vps.example.com", "x");

    private static DockerJavaEngine engineOver(String script) {
        var http = new SshDockerHttpClient(VPS, List.of("sh", "-c", script), true);
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("ssh://deploy@vps.example.com").build();
        return new DockerJavaEngine("ssh://deploy@vps.example.com", config, http);
    }

    @Test
    void aRefusedKeyIsOneLineNamingTheHostAndNoRetry() {
        try (DockerJavaEngine engine = engineOver("echo 'deploy@vps.example.com: Permission denied (publickey).' >&2; exit 255")) {
            EngineUnreachableException e = assertThrows(EngineUnreachableException.class, engine::ping);
            assertEquals("Cannot reach Docker at ssh://deploy@vps.example.com: ssh authentication as deploy to"
                    + " vps.example.com was refused (deploy@vps.example.com: Permission denied (publickey)). Load the"
                    + " key into ssh-agent or pass it with -Dsancho.sshOptions='-i KEY', and check that its public key"
                    + " is in ~/.ssh/authorized_keys there", e.getMessage());
        }
    }

    @Test
    void aProcessThatReadsTheRequestThenDiesIsExplainedToo() {
        // the remote shell reads the request, then dial-stdio fails: the failure shows on the read, not the write
        try (DockerJavaEngine engine = engineOver("head -c 10 >/dev/null; echo 'failed to open the raw stream"
                + " connection: dial unix /var/run/docker.sock: connect: no such file or directory' >&2; exit 1")) {
            EngineUnreachableException e = assertThrows(EngineUnreachableException.class, engine::ping);
            assertTrue(e.getMessage().contains("works, but the Docker engine there does not answer"), e.getMessage());
        }
    }

    @Test
    void everyProcessEndsOnClose() throws Exception {
        var http = new SshDockerHttpClient(VPS, List.of("sh", "-c", "exec sleep 30"), true);
        var request = com.github.dockerjava.transport.DockerHttpClient.Request.builder()
                .method(com.github.dockerjava.transport.DockerHttpClient.Request.Method.GET).path("/_ping").build();
        Thread caller = new Thread(() -> {
            try {
                http.execute(request).close();
            } catch (RuntimeException expected) {
                // the process is killed under it
            }
        });
        caller.start();
        for (int i = 0; i < 100 && http.openProcesses() == 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(1, http.openProcesses());
        http.close();
        assertEquals(0, http.openProcesses());
        caller.join(10_000);
        assertTrue(!caller.isAlive(), "the waiting request ended with its process");
        assertInstanceOf(SshDockerHttpClient.class, http);
    }
}
