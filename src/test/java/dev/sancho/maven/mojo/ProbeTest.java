package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.core.VerifyOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void commandsSplitLikeAShellWithoutRunningOne() {
        assertEquals(List.of("psql", "-U", "maestro", "-c", "select count(*) from t where a = 'x'"),
                Probe.words("psql -U maestro -c \"select count(*) from t where a = 'x'\"", "p"));
        assertEquals(List.of("sh", "-c", "echo $HOME"), Probe.words("sh -c 'echo $HOME'", "p"));
        assertEquals(List.of("a b", "c"), Probe.words("a\\ b  c ", "p"));
        assertEquals("p: unterminated ' quote in <command>",
                assertThrows(ConfigException.class, () -> Probe.words("sh -c 'x", "p")).getMessage());
    }

    @Test
    void anExecProbeBecomesItsRecordWithDefaults() {
        Probe p = new Probe();
        p.exec = new Probe.Exec();
        p.exec.service = "db";
        p.exec.command = "pg_isready -U maestro";
        assertEquals(new VerifyOptions.ExecProbe(null, "db", List.of("pg_isready", "-U", "maestro"),
                Duration.ofSeconds(10)), p.toProbe(1));
    }

    @Test
    void anHttpProbeDefaultsToGetSlashExpecting200() {
        Probe p = new Probe();
        p.http = new Probe.Http();
        p.http.port = 8080;
        assertEquals(new VerifyOptions.HttpProbe(null, 8080, "/", 200, Duration.ofSeconds(10)), p.toProbe(1));
    }

    @Test
    void eachMistakeIsOneLineSayingWhichProbe() {
        Probe both = new Probe();
        both.name = "db";
        both.exec = new Probe.Exec();
        both.http = new Probe.Http();
        assertEquals("<probes> probe 2 (db): give exactly one of <exec> or <http>",
                assertThrows(ConfigException.class, () -> both.toProbe(2)).getMessage());
        Probe noService = new Probe();
        noService.exec = new Probe.Exec();
        noService.exec.command = "true";
        assertEquals("<probes> probe 1: <exec> needs <service> (a compose service name)",
                assertThrows(ConfigException.class, () -> noService.toProbe(1)).getMessage());
        Probe noPort = new Probe();
        noPort.http = new Probe.Http();
        assertEquals("<probes> probe 3: <http> needs <port>, the port published on 127.0.0.1 (1-65535)",
                assertThrows(ConfigException.class, () -> noPort.toProbe(3)).getMessage());
        noPort.http.port = 80;
        noPort.http.path = "health";
        assertEquals("<probes> probe 3: <path> must start with / (got health)",
                assertThrows(ConfigException.class, () -> noPort.toProbe(3)).getMessage());
    }
}
