package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sancho.maven.docker.ContainerInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployHistoryTest {
    private final List<ContainerInfo> containers = new ArrayList<>();

    private void app(String service, String deployId, String deployedAt, String state, String deployServices) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, "shop");
        labels.put(Labels.ROLE, "app");
        labels.put(Labels.SERVICE, service);
        labels.put(Labels.DEPLOY_ID, deployId);
        labels.put(Labels.DEPLOYED_AT, deployedAt);
        if (deployServices != null) {
            labels.put(Labels.DEPLOY_SERVICES, deployServices);
        }
        String name = "shop_" + service + "_" + deployId;
        containers.add(new ContainerInfo("id-" + name, name, "shop/app:1", "sha256:1", state, null,
                "exited".equals(state) ? 0 : null, labels, Instant.parse(deployedAt), List.of(), Map.of()));
    }

    @Test
    void aKilledDeployRunningBesideTheServingOneIsNeitherCurrentNorKept() {
        app("backend", "d1", "2026-01-01T00:00:00Z", "exited", "backend,frontend");
        app("frontend", "d1", "2026-01-01T00:00:00Z", "exited", "backend,frontend");
        app("backend", "d2", "2026-01-02T00:00:00Z", "running", "backend,frontend");
        app("frontend", "d2", "2026-01-02T00:00:00Z", "running", "backend,frontend");
        app("backend", "d3", "2026-01-03T00:00:00Z", "running", "backend,frontend"); // killed before its frontend

        DeployHistory h = DeployHistory.of(containers);

        assertEquals("d2", h.current().orElseThrow().id(), "the complete running deploy serves");
        assertEquals(List.of("frontend"), h.find("d3").orElseThrow().missingServices());
        assertEquals("partial", h.find("d3").orElseThrow().state());
        assertEquals(List.of("d1"), h.kept().stream().map(DeployHistory.Deploy::id).toList());
    }

    @Test
    void theDeployThatAnswersItsServiceNamesServesNotANewerOneThatNeverJoinedDns() {
        app("backend", "d1", "2026-01-01T00:00:00Z", "running", "backend");
        app("backend", "d2", "2026-01-02T00:00:00Z", "running", "backend"); // killed while waiting for its health
        containers.replaceAll(c -> new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), c.state(), c.health(),
                c.exitCode(), c.labels(), c.created(), c.mounts(), Map.of("shop_default",
                        c.name().endsWith("d1") ? List.of("backend") : List.of())));
        assertEquals("d1", DeployHistory.of(containers).current().orElseThrow().id());
        // both in DNS (mid-switch): the newer one
        containers.replaceAll(c -> new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), c.state(), c.health(),
                c.exitCode(), c.labels(), c.created(), c.mounts(), Map.of("shop_default", List.of("backend"))));
        assertEquals("d2", DeployHistory.of(containers).current().orElseThrow().id());
    }

    @Test
    void containersWithoutTheServicesLabelCountAsComplete() {
        app("backend", "d1", "2026-01-01T00:00:00Z", "exited", null);
        app("backend", "d2", "2026-01-02T00:00:00Z", "running", null);

        DeployHistory h = DeployHistory.of(containers);

        assertEquals("d2", h.current().orElseThrow().id());
        assertEquals(List.of(), h.find("d1").orElseThrow().missingServices());
        assertEquals(List.of("d1"), h.kept().stream().map(DeployHistory.Deploy::id).toList());
    }

    @Test
    void aDeployWhoseJobCompletedIsRunningNotPartial() {
        app("migrate", "d1", "2026-01-01T00:00:00Z", "exited", "backend,migrate");
        containers.set(0, job(containers.get(0)));
        app("backend", "d1", "2026-01-01T00:00:00Z", "running", "backend,migrate");
        DeployHistory h = DeployHistory.of(containers);
        assertEquals("running", h.find("d1").orElseThrow().state());
        assertEquals("d1", h.current().orElseThrow().id());
    }

    private static ContainerInfo job(ContainerInfo c) {
        Map<String, String> labels = new LinkedHashMap<>(c.labels());
        labels.put(Labels.JOB, "true");
        return new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), c.state(), c.health(), c.exitCode(), labels,
                c.created(), c.mounts(), c.networkAliases());
    }

    @Test
    void anInterruptedDeployStoppedByTheNextOneIsReportedAsSuch() {
        app("backend", "d3", "2026-01-03T00:00:00Z", "exited", "backend,frontend");
        assertEquals("interrupted", DeployHistory.of(containers).find("d3").orElseThrow().state());
        assertEquals(List.of(), DeployHistory.of(containers).kept());
    }
}
