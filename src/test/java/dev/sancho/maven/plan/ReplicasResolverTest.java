package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.ContainerSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy.replicas / scale: names, aliases, labels, and what is refused. */
class ReplicasResolverTest {
    private static final String ID = Fixtures.DEPLOY_ID;
    @TempDir
    Path dir;

    private Stack stack(String yaml, String... infrastructure) {
        return StackResolver.resolve(Fixtures.inline(dir, yaml),
                new StackConfig("shop", "shop", Fixtures.DEPLOY_ID, Set.of(infrastructure), null));
    }

    private String error(String yaml, String... infrastructure) {
        return assertThrows(ComposeException.class, () -> stack(yaml, infrastructure)).getMessage();
    }

    @Test
    void anAppServiceWithTwoReplicasGetsTwoNamesTheFirstUnchanged() {
        Stack s = stack("""
                services:
                  backend:
                    image: app:1
                    deploy:
                      replicas: 2
                  worker:
                    image: app:1
                    scale: 3
                  frontend:
                    image: app:1
                """);
        assertEquals(List.of("shop_backend_" + ID, "shop_backend_" + ID + "_2"),
                s.service("backend").orElseThrow().containerNames());
        assertEquals(List.of("shop_worker_" + ID, "shop_worker_" + ID + "_2", "shop_worker_" + ID + "_3"),
                s.service("worker").orElseThrow().containerNames());
        assertEquals(List.of("shop_frontend_" + ID), s.service("frontend").orElseThrow().containerNames());
    }

    @Test
    void everyReplicaIsTheSameContainerBehindTheSameAliasesButForItsName() {
        Stack s = stack("""
                services:
                  backend:
                    image: app:1
                    deploy: {replicas: 2}
                    networks:
                      default:
                        aliases: [api]
                """);
        List<ContainerSpec> specs = ContainerSpecs.forReplicas(s, s.service("backend").orElseThrow());
        assertEquals(List.of("shop_backend_" + ID, "shop_backend_" + ID + "_2"), specs.stream().map(ContainerSpec::name).toList());
        assertEquals(specs.get(0).networks(), specs.get(1).networks());
        assertEquals(List.of("backend", "api"), specs.get(0).networks().get("shop_default"));
        assertEquals(specs.get(0).labels(), specs.get(1).labels());
        assertEquals("2", specs.get(0).labels().get(Labels.REPLICAS));
    }

    @Test
    void aServiceWithoutReplicasCarriesNoReplicaLabelSoItsHashIsUnchanged() {
        Stack plain = stack("services:\n  backend:\n    image: app:1\n");
        Stack one = stack("services:\n  backend:\n    image: app:1\n    scale: 1\n");
        ContainerSpec a = ContainerSpecs.forService(plain, plain.service("backend").orElseThrow());
        ContainerSpec b = ContainerSpecs.forService(one, one.service("backend").orElseThrow());
        assertEquals(null, a.labels().get(Labels.REPLICAS));
        assertEquals(a.labels().get(Labels.CONFIG_HASH), b.labels().get(Labels.CONFIG_HASH));
    }

    @Test
    void infrastructureWithReplicasIsOneLineNamingTheFileAndLine() {
        String m = error("""
                services:
                  db:
                    image: postgres:15
                    deploy:
                      replicas: 2
                """, "db");
        assertTrue(m.startsWith("docker-compose.yml:5: services.db.deploy.replicas: 2 replicas, but db is"
                + " infrastructure"), m);
        assertTrue(!m.contains("\n"), m);
        m = error("services:\n  db:\n    image: postgres:15\n    scale: 3\n", "db");
        assertTrue(m.startsWith("docker-compose.yml:4: services.db.scale: 3 replicas"), m);
    }

    @Test
    void oneReplicaOfInfrastructureIsFine() {
        Stack s = stack("services:\n  db:\n    image: postgres:15\n    deploy: {replicas: 1}\n", "db");
        assertEquals(List.of("shop_db"), s.service("db").orElseThrow().containerNames());
    }

    @Test
    void scaleAndReplicasThatDifferOrAreZeroAreRefused() {
        String m = error("services:\n  a:\n    image: x\n    scale: 2\n    deploy: {replicas: 3}\n");
        assertTrue(m.startsWith("docker-compose.yml:4: services.a.scale: scale: 2 and deploy.replicas: 3 differ"), m);
        m = error("services:\n  a:\n    image: x\n    scale: 0\n");
        assertTrue(m.startsWith("docker-compose.yml:4: services.a.scale: 0 is out of range"), m);
        assertEquals(2, stack("services:\n  a:\n    image: x\n    scale: 2\n    deploy: {replicas: 2}\n")
                .service("a").orElseThrow().replicas());
    }

    @Test
    void aFixedHostPortCannotBeBoundByTwoReplicas() {
        String m = error("services:\n  a:\n    image: x\n    ports: ['8080:80']\n    scale: 2\n");
        assertTrue(m.startsWith("docker-compose.yml:4: services.a.ports: host port 8080 is fixed, so only one of 2"
                + " replicas could bind it"), m);
        // a port the engine picks is fine
        assertEquals(2, stack("services:\n  a:\n    image: x\n    ports: ['80']\n    scale: 2\n")
                .service("a").orElseThrow().replicas());
    }

    @Test
    void theReplicaNamesMustNotCollideWithAnotherService() {
        String m = error("""
                services:
                  a:
                    image: x
                    container_name: shop_a_${DEPLOY_ID}
                    scale: 2
                  b:
                    image: x
                    container_name: shop_a_${DEPLOY_ID}_2
                """);
        assertTrue(m.contains("gets the container name shop_a_" + ID + "_2, which service a already has"), m);
    }

    @Test
    void aBuiltServiceKeepsItsReplicas() {
        Stack s = stack("services:\n  backend:\n    image: app:1\n    scale: 2\n");
        Stack built = ImageBuilds.withImages(s, java.util.Map.of("backend", "shop/backend:" + ID));
        assertEquals(2, built.service("backend").orElseThrow().replicas());
        assertEquals("shop/backend:" + ID, built.service("backend").orElseThrow().service().image());
    }

    @Test
    void thePlanCreatesStartsAndAwaitsEveryReplica() {
        Stack s = stack("services:\n  backend:\n    image: app:1\n    deploy: {replicas: 2}\n");
        Plan plan = Planner.plan(s, new ObservedState(java.util.Map.of(), List.of(), Set.of(), Set.of(),
                Set.of("app:1")), DeployOptions.defaults(Instant.parse("2026-02-01T10:00:00Z"))).assertSafe();
        assertEquals(List.of("shop_backend_" + ID, "shop_backend_" + ID + "_2"),
                plan.actions(Action.CreateContainer.class).stream().map(Action.CreateContainer::name).toList());
        assertEquals(List.of("shop_backend_" + ID, "shop_backend_" + ID + "_2"),
                plan.actions(Action.StartContainer.class).stream().map(Action.StartContainer::name).toList());
        assertEquals(List.of("shop_backend_" + ID, "shop_backend_" + ID + "_2"),
                plan.actions(Action.AwaitHealthy.class).get(0).names());
    }
}
