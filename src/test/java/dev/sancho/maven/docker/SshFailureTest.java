package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ssh's and dial-stdio's own stderr lines (as OpenSSH 9 and docker 28 print them) become one line each. */
class SshFailureTest {
    private static final SshAddress VPS = SshAddress.parse("ssh://deploy@vps.example.com:2222", "x");

    private static String explain(String stderr, int exit) {
        String line = SshFailure.explain(VPS, stderr, exit);
        assertFalse(line.contains("\n"), line);
        assertTrue(line.contains("vps.example.com"), "names the host: " + line);
        return line;
    }

    @Test
    void unknownHostKey() {
        String line = explain("No ED25519 host key is known for [vps.example.com]:2222 and you have requested strict checking.\n"
                + "Host key verification failed.\n", 255);
        assertTrue(line.startsWith("the ssh host key of vps.example.com port 2222 is not known"), line);
        assertTrue(line.contains("ssh-keyscan -p 2222 vps.example.com"), line);
    }

    @Test
    void refusedKey() {
        String line = explain("deploy@vps.example.com: Permission denied (publickey).\n", 255);
        assertTrue(line.startsWith("ssh authentication as deploy to vps.example.com port 2222 was refused"), line);
        assertTrue(line.contains("Permission denied (publickey)"), line);
    }

    @Test
    void refusedConnectionAndUnknownHost() {
        assertTrue(explain("ssh: connect to host vps.example.com port 2222: Connection refused\n", 255)
                .startsWith("ssh connection to vps.example.com port 2222 refused"));
        assertTrue(explain("ssh: Could not resolve hostname vps.example.com: Name or service not known\n", 255)
                .startsWith("unknown host vps.example.com"));
    }

    @Test
    void noDockerOnTheRemoteHost() {
        String line = explain("bash: line 1: docker: command not found\n", 127);
        assertTrue(line.startsWith("there is no docker command on vps.example.com (bash: line 1: docker: command not found)"), line);
        assertTrue(explain("sh: 1: docker: not found\n", 127).startsWith("there is no docker command"));
    }

    @Test
    void remoteDaemonNotRunning() {
        String line = explain("failed to open the raw stream connection: dial unix /var/run/docker.sock: connect: no such"
                + " file or directory\n", 1);
        assertTrue(line.startsWith("ssh to vps.example.com port 2222 works, but the Docker engine there does not answer"), line);
        // a socket the user may not open is the daemon's side, not a refused ssh key
        assertTrue(explain("failed to open the raw stream connection: dial unix /var/run/docker.sock: connect: permission"
                + " denied\n", 1).contains("works, but the Docker engine there does not answer"));
    }

    @Test
    void anythingElseQuotesWhatSshSaid() {
        String line = explain("Warning: Permanently added 'vps' (ED25519) to the list of known hosts.\nkex_exchange_identification: read: Connection reset by peer\n", 255);
        assertTrue(line.contains("ended before the engine answered (ssh exit code 255) (kex_exchange_identification"), line);
        assertFalse(line.contains("Permanently added"), line);
    }
}
