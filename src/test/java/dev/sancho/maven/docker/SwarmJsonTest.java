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
}
