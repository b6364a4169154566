package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshAddressTest {

    @Test
    void userHostPortAndSocketAreTakenFromTheAddress() {
        SshAddress a = SshAddress.parse("ssh://deploy@vps.example.com:2222/run/user/1000/docker.sock", "DOCKER_HOST");
        assertEquals("deploy", a.user());
        assertEquals("vps.example.com", a.host());
        assertEquals(2222, a.port());
        assertEquals("/run/user/1000/docker.sock", a.socket());
        assertEquals("deploy@vps.example.com:2222", a.target());
    }

    @Test
    void aBareHostLeavesUserPortAndSocketToSsh() {
        SshAddress a = SshAddress.parse("ssh://vps", "DOCKER_HOST");
        assertNull(a.user());
        assertEquals(0, a.port());
        assertNull(a.socket());
        assertNull(SshAddress.parse("ssh://vps/", "x").socket(), "a lone / is no socket path, as for the CLI");
    }

    @Test
    void theCommandRunsDialStdioLikeTheDockerCliWithBatchModeFirst() {
        SshAddress a = SshAddress.parse("ssh://deploy@vps:2222", "x");
        assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-l", "deploy", "-p", "2222", "-i", "/k", "-o",
                "ConnectTimeout=30", "-T", "--", "vps", "docker system dial-stdio"), a.command(List.of("-i", "/k")));
    }

    @Test
    void aSocketPathBecomesTheRemoteHostFlagQuotedForTheRemoteShell() {
        SshAddress a = SshAddress.parse("ssh://vps/var/run/docker.sock", "x");
        List<String> cmd = a.command(List.of());
        assertEquals("docker --host=unix:///var/run/docker.sock system dial-stdio", cmd.get(cmd.size() - 1));
        SshAddress spaced = SshAddress.parse("ssh://vps/tmp/my%20dir/d;rm.sock", "x");
        List<String> c2 = spaced.command(List.of());
        assertEquals("docker '--host=unix:///tmp/my dir/d;rm.sock' system dial-stdio", c2.get(c2.size() - 1));
    }

    @Test
    void aConnectTimeoutOrMinusTOfTheUserIsNotRepeated() {
        List<String> cmd = SshAddress.parse("ssh://vps", "x").command(List.of("-o", "ConnectTimeout=5", "-T"));
        assertEquals(1, cmd.stream().filter(s -> s.startsWith("ConnectTimeout")).count());
        assertEquals(1, cmd.stream().filter("-T"::equals).count());
    }

    @Test
    void quotingLeavesPlainWordsAndQuotesTheRest() {
        assertEquals("dial-stdio", SshAddress.quote("dial-stdio"));
        assertEquals("'it'\\''s'", SshAddress.quote("it's"));
        assertEquals("'$(x)'", SshAddress.quote("$(x)"));
    }

    @Test
    void badAddressesAreOneLineNamingTheSource() {
        for (String bad : List.of("ssh://me:secret@vps", "ssh:///docker.sock", "ssh://vps?x=1", "ssh://-oProxyCommand=x")) {
            ConfigException e = assertThrows(ConfigException.class, () -> SshAddress.parse(bad, "DOCKER_HOST"), bad);
            assertTrue(e.getMessage().startsWith("Docker address '" + bad + "' from DOCKER_HOST"), e.getMessage());
            assertFalse(e.getMessage().contains("secret") && !bad.contains("secret"));
        }
    }
}
