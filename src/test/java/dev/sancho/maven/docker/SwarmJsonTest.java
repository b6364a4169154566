package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service JSON sent to the Engine API for the parts of a spec that are optional. */
class SwarmJsonTest {
    private static SwarmServiceSpec spec(SwarmServiceSpec.RestartPolicy restart) {
        return new SwarmServiceSpec("shop_backend", Map.of("team", "shop"), "app:1", null, null, List.of("A=1"),
                Map.of("sancho.project", "shop"), List.of(), List.of(), null, null, null, null, null, 2, List.of(),
                null, null, null, "dnsrr", List.of(), null, null, restart);
    }

    @Test
    void aRestartPolicyIsSentWithItsDurationsInNanoseconds() {
        JsonNode n = SwarmJson.service(spec(new SwarmServiceSpec.RestartPolicy("on-failure", Duration.ofSeconds(3), 5,
                Duration.ofMinutes(1))));
        JsonNode r = n.path("TaskTemplate").path("RestartPolicy");
        assertEquals("on-failure", r.path("Condition").asText());
        assertEquals(3_000_000_000L, r.path("Delay").asLong());
        assertEquals(5, r.path("MaxAttempts").asInt());
        assertEquals(60_000_000_000L, r.path("Window").asLong());
        assertEquals("shop", n.path("Labels").path("team").asText());
        assertTrue(n.path("TaskTemplate").path("ContainerSpec").path("Labels").path("team").isMissingNode());
    }

    @Test
    void withoutARestartPolicyTheEnginesDefaultApplies() {
        assertTrue(SwarmJson.service(spec(null)).path("TaskTemplate").path("RestartPolicy").isMissingNode());
    }

    private static SwarmServiceSpec withFiles() {
        SwarmServiceSpec s = spec(null);
        return new SwarmServiceSpec(s.name(), s.labels(), s.image(), s.command(), s.args(), s.env(),
                s.containerLabels(), s.mounts(), s.networks(), s.health(), s.user(), s.workingDir(), s.stopSignal(),
                s.stopGracePeriod(), s.replicas(), s.constraints(), s.nanoCpus(), s.memoryBytes(),
                s.memoryReservation(), s.endpointMode(), s.ports(), s.update(), s.rollback(), s.restart(), List.of(
                        new SwarmServiceSpec.FileRef(true, "shop_pw_0123456789ab", "pw-161803".getBytes(), "0123",
                                "/run/secrets/pw", "0", "0", 0444),
                        new SwarmServiceSpec.FileRef(false, "shop_conf_ba9876543210", "x=1".getBytes(), "ba98",
                                "/etc/app.conf", "1000", "1001", 0440)));
    }

    @Test
    void secretsAndConfigsAreReferredToByNameWithTheirFileNeverWithTheirData() {
        JsonNode c = SwarmJson.service(withFiles()).path("TaskTemplate").path("ContainerSpec");
        assertEquals("{\"File\":{\"Name\":\"/run/secrets/pw\",\"UID\":\"0\",\"GID\":\"0\",\"Mode\":292},"
                + "\"SecretName\":\"shop_pw_0123456789ab\"}", c.path("Secrets").get(0).toString());
        assertEquals("{\"File\":{\"Name\":\"/etc/app.conf\",\"UID\":\"1000\",\"GID\":\"1001\",\"Mode\":288},"
                + "\"ConfigName\":\"shop_conf_ba9876543210\"}", c.path("Configs").get(0).toString());
        assertTrue(!SwarmJson.service(withFiles()).toString().contains("pw-161803"));
        assertTrue(!SwarmSpecsJson.of(List.of(withFiles())).contains("pw-161803"), "the deploy record neither");
        assertTrue(!withFiles().toString().contains("pw-161803"), withFiles().toString());
        assertTrue(SwarmJson.service(spec(null)).path("TaskTemplate").path("ContainerSpec").path("Secrets")
                .isMissingNode());
    }

    @Test
    void theIdsAreAddedByNameWhenSentAndAMissingObjectIsNamed() {
        com.fasterxml.jackson.databind.node.ObjectNode n = SwarmJson.service(withFiles());
        assertEquals(Map.of("secret", List.of("shop_pw_0123456789ab"), "config", List.of("shop_conf_ba9876543210")),
                SwarmJson.fileNames(n));
        JsonNode sent = SwarmJson.withIds(n, Map.of("secret:shop_pw_0123456789ab", "s1",
                "config:shop_conf_ba9876543210", "c1")).path("TaskTemplate").path("ContainerSpec");
        assertEquals("s1", sent.path("Secrets").get(0).path("SecretID").asText());
        assertEquals("c1", sent.path("Configs").get(0).path("ConfigID").asText());
        DockerOperationException e = org.junit.jupiter.api.Assertions.assertThrows(DockerOperationException.class,
                () -> SwarmJson.withIds(n, Map.of("secret:shop_pw_0123456789ab", "s1")));
        assertEquals("service shop_backend: config shop_conf_ba9876543210 does not exist in the swarm", e.getMessage());
    }

    @Test
    void aSecretIsCreatedWithItsDataBase64() {
        assertEquals("{\"Name\":\"shop_pw_1\",\"Labels\":{\"sancho.project\":\"shop\"},\"Data\":\"cHc=\"}",
                SwarmJson.secretCreate("shop_pw_1", Map.of("sancho.project", "shop"), "pw".getBytes()).toString());
    }

    /** The engine's service log line with details, as the docker CLI asks for it: the task id names the replica. */
    @Test
    void aServiceLogLineWithDetailsNamesItsTask() {
        assertEquals(new SwarmInfos.LogLine("t1 x", "GET / 200 a=b"), SwarmJson.logLine("com.docker.swarm.node.id=n1,"
                + "com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1+x GET / 200 a=b"));
        assertEquals(new SwarmInfos.LogLine(null, "plain text line"), SwarmJson.logLine("plain text line"));
        assertEquals(new SwarmInfos.LogLine(null, "a=1 no task"), SwarmJson.logLine("a=1 no task"));
        assertEquals(new SwarmInfos.LogLine("t2", ""), SwarmJson.logLine("com.docker.swarm.task.id=t2 "));
    }
}
