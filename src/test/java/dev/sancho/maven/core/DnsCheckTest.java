package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.FakeDockerEngine;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DnsCheckTest {
    private final FakeDockerEngine engine = new FakeDockerEngine();

    private ContainerInfo running(String name, Map<String, List<String>> aliases) {
        ContainerInfo c = engine.add(name, "sancho-it/app:1", "running", Map.of());
        aliases.forEach((network, names) -> engine.connectNetwork(network, c.id(), names));
        return c;
    }

    @Test
    void aResolverOnTwoNetworksThatIsAnsweredFromTheOtherOneStillSeesTheSameContainer() {
        // the only container on p_extra is also on p_default, and Docker's DNS answers it from p_default
        running("p_fixedip", Map.of("p_default", List.of("fixedip"), "p_extra", List.of("fixedip")));
        running("p_other", Map.of("p_default", List.of("other")));
        engine.dnsAnswersFrom.put("p_fixedip", "p_default");

        DnsCheck dns = new DnsCheck(engine, Set.of());
        DnsCheck.Answer answer = dns.resolve("p_extra", "fixedip");

        assertEquals(Set.of(engine.address("p_fixedip", "p_extra")), answer.addresses());
        assertEquals("p_fixedip (" + engine.address("p_fixedip", "p_extra") + ")",
                dns.describe("p_extra", answer.addresses()));
    }

    @Test
    void anAddressOfAContainerThatIsNotOnTheNetworkStaysUnknown() {
        running("p_fixedip", Map.of("p_default", List.of("fixedip"), "p_extra", List.of()));
        running("p_impostor", Map.of("p_default", List.of("thing")));
        engine.dnsAnswersFrom.put("p_fixedip", "p_default");

        DnsCheck dns = new DnsCheck(engine, Set.of());
        DnsCheck.Answer answer = dns.resolve("p_extra", "thing");

        assertEquals(Set.of(engine.address("p_impostor", "p_default")), answer.addresses());
        assertEquals("an unknown container (" + engine.address("p_impostor", "p_default") + ")",
                dns.describe("p_extra", answer.addresses()));
    }
}
