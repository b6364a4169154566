package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerInfosTest {
    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void anExitedContainerWithHealthMountsAndNetworks() throws Exception {
        ContainerInfo c = ContainerInfos.fromInspect(json("""
                {'Id': 'abc123', 'Name': '/sancho_db_d1', 'Image': 'sha256:img', 'Created': '2026-01-02T03:04:05.123456789Z',
                 'Config': {'Image': 'postgres:16', 'Labels': {'sancho.project': 'p', 'empty': null}},
                 'State': {'Status': 'exited', 'ExitCode': 3, 'Health': {'Status': 'unhealthy'}},
                 'Mounts': [{'Type': 'volume', 'Name': 'pgdata', 'Source': '/var/lib/docker/volumes/pgdata/_data',
                             'Destination': '/var/lib/postgresql/data', 'RW': true},
                            {'Type': 'bind', 'Source': '/etc/app.conf', 'Destination': '/app.conf', 'RW': false}],
                 'NetworkSettings': {'Networks': {'backend': {'Aliases': ['db', 'abc123'], 'IPAddress': '172.18.0.5'},
                                                  'bridge': {'Aliases': null, 'IPAddress': ''}}}}
                """));
        assertEquals("abc123", c.id());
        assertEquals("sancho_db_d1", c.name());
        assertEquals("postgres:16", c.image());
        assertEquals("sha256:img", c.imageId());
        assertEquals("exited", c.state());
        assertEquals("unhealthy", c.health());
        assertEquals(3, c.exitCode());
        assertEquals(Map.of("sancho.project", "p", "empty", ""), c.labels());
        assertEquals(Instant.parse("2026-01-02T03:04:05.123456789Z"), c.created());
        assertEquals(List.of(
                new ContainerInfo.MountInfo("volume", "pgdata", "/var/lib/postgresql/data", false),
                new ContainerInfo.MountInfo("bind", "/etc/app.conf", "/app.conf", true)), c.mounts());
        assertEquals(Map.of("backend", List.of("db", "abc123"), "bridge", List.of()), c.networkAliases());
    }

    @Test
    void aRunningContainerHasNoExitCodeAndNoHealthWithoutAHealthcheck() throws Exception {
        ContainerInfo c = ContainerInfos.fromInspect(json("""
                {'Id': 'x', 'Name': '/x', 'Created': 'not a time',
                 'State': {'Status': 'running', 'ExitCode': 0, 'Health': {'Status': 'none'}}}
                """));
        assertEquals("running", c.state());
        assertNull(c.exitCode());
        assertNull(c.health());
        assertNull(c.created());
        assertNull(c.image());
        assertEquals(Map.of(), c.labels());
        assertEquals(List.of(), c.mounts());
        assertEquals(Map.of(), c.networkAliases());
    }

    @Test
    void theAddressOnOneNetwork() throws Exception {
        JsonNode j = json("{'NetworkSettings': {'Networks': {'backend': {'IPAddress': '172.18.0.5'}}}}");
        assertEquals("172.18.0.5", ContainerInfos.ipv4Address(j, "backend"));
        assertNull(ContainerInfos.ipv4Address(j, "frontend"));
    }
}
