package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The swarm plan read like the runbook: what a deploy creates, adopts, updates, reports and refuses. */
class SwarmPlannerTest {
    private static final SwarmInfos.Node MANAGER = new SwarmInfos.Node("n1", "host1", "manager", "active", "ready",
            "10.213.1.11");
    private static final String STACK = """
            services:
              db:
                image: postgres:15
                container_name: shop_db
                environment:
                  POSTGRES_PASSWORD: s3cret
                volumes:
                  - pgdata:/var/lib/postgresql/data
              backend:
                image: shop/app:${APP_VERSION:-1}
                environment:
                  DEPLOY_ID: ${DEPLOY_ID}
                deploy:
                  replicas: 3
                  endpoint_mode: dnsrr
                  placement:
                    constraints: [node.role==worker]
                  update_config:
                    parallelism: 2
                    order: stop-first
                  resources:
                    limits:
                      cpus: "0.5"
                      memory: 256M
                healthcheck:
                  test: ["CMD", "true"]
                  interval: 2s
                ports:
                  - target: 8080
                    published: 8080
                    mode: host
            volumes:
              pgdata:
                external: true
                name: shop_pgdata
            """;

    @TempDir
    Path dir;

    private Stack stack(String yaml, String deployId, Map<String, String> env) {
        return StackResolver.resolve(Fixtures.inline(dir, yaml, env), new StackConfig("shop", "shop", deployId,
                yaml.contains("  db:") ? Set.of("db") : Set.of(), null, true));
    }

    private static SwarmPlanner.Observed observed(Map<String, SwarmInfos.Service> services, Set<String> volumes) {
        return new SwarmPlanner.Observed(MANAGER, services, Set.of(), volumes, List.of());
    }

    @Test
    void theFirstDeployCreatesTheNetworkTheDatabasePinnedToTheManagerAndTheBackend() {
        SwarmPlan plan = SwarmPlanner.plan(stack(STACK, "d1", Map.of()), observed(Map.of(), Set.of("shop_pgdata")));

        assertEquals(List.of(), plan.refusals());
        assertEquals(List.of("create overlay network shop_default (attachable)",
                "create infrastructure service shop_db (postgres:15, 1 replica, pinned to node n1 (host1, the manager"
                        + " sancho talks to))",
                "create application service shop_backend (shop/app:1, 3 replicas)"),
                plan.actions().stream().map(SwarmPlan.Action::describe).toList());
        SwarmServiceSpec db = plan.actions(SwarmPlan.CreateService.class).get(0).spec();
        assertEquals(List.of("node.id==n1"), db.constraints());
        assertEquals(List.of(new SwarmServiceSpec.Mount("volume", "shop_pgdata", "/var/lib/postgresql/data", false)),
                db.mounts());
        assertTrue(!db.labels().get(SwarmSpecs.SPEC_FIELDS).contains("s3cret"), "digests only, never the value");
    }

    @Test
    void theBackendGetsTheFilesDeploySectionAndSanchosDefaults() {
        SwarmServiceSpec b = SwarmPlanner.plan(stack(STACK, "d1", Map.of()), observed(Map.of(), Set.of("shop_pgdata")))
                .actions(SwarmPlan.CreateService.class).get(1).spec();

        assertEquals("shop_backend", b.name());
        assertEquals(3, b.replicas());
        assertEquals("dnsrr", b.endpointMode());
        assertEquals(List.of("node.role==worker"), b.constraints());
        assertEquals(500_000_000L, b.nanoCpus());
        assertEquals(256L * 1024 * 1024, b.memoryBytes());
        assertEquals(List.of(new SwarmServiceSpec.Port(8080, 8080, "tcp", "host")), b.ports());
        assertEquals("d1", b.labels().get(Labels.DEPLOY_ID));
        assertEquals("d1", b.containerLabels().get(Labels.DEPLOY_ID));
        assertEquals(List.of(new SwarmServiceSpec.Network("shop_default", List.of("backend"))), b.networks());
        // the file's update_config, the rest sancho's defaults: rollback on failure, monitor = healthcheck interval
        assertEquals(new SwarmServiceSpec.UpdatePolicy(2, null, "rollback", java.time.Duration.ofSeconds(2), null,
                "stop-first"), b.update());
        assertEquals("start-first", b.rollback().order());
    }

    @Test
    void withoutAnUpdateConfigTheUpdateStartsTheNewTaskFirstAndRollsBackOnFailure() {
        Stack web = stack("services:\n  web:\n    image: web:1\n", "d1", Map.of());
        SwarmServiceSpec b = SwarmSpecs.of(web, web.service("web").orElseThrow(), List.of());
        assertEquals(new SwarmServiceSpec.UpdatePolicy(1, null, "rollback", java.time.Duration.ofSeconds(5), null,
                "start-first"), b.update());
        assertEquals("vip", b.endpointMode());
        assertEquals(1, b.replicas());
    }

    @Test
    void anExistingDatabaseIsAdoptedAndItsDriftReportedNotApplied() {
        Stack first = stack(STACK, "d1", Map.of());
        SwarmServiceSpec created = SwarmPlanner.plan(first, observed(Map.of(), Set.of("shop_pgdata")))
                .actions(SwarmPlan.CreateService.class).get(0).spec();
        SwarmInfos.Service db = new SwarmInfos.Service("sid", "shop_db", 7, created.labels(), "postgres:15", 1, null,
                null, null, List.of("node.id==n1"), List.of("shop_pgdata"));
        SwarmInfos.Service backend = new SwarmInfos.Service("bid", "shop_backend", 9, Map.of(), "shop/app:1", 3,
                "completed", null, "d1", List.of(), List.of());

        SwarmPlan same = SwarmPlanner.plan(stack(STACK, "d2", Map.of()),
                observed(Map.of("shop_db", db, "shop_backend", backend), Set.of("shop_pgdata")));
        assertEquals(List.of(), same.drift());
        assertEquals(List.of(SwarmPlan.AdoptService.class, SwarmPlan.UpdateService.class),
                same.actions().stream().filter(a -> !(a instanceof SwarmPlan.CreateNetwork)).map(Object::getClass)
                        .toList());

        SwarmPlan drifted = SwarmPlanner.plan(stack(STACK.replace("postgres:15", "postgres:16"), "d3", Map.of()),
                observed(Map.of("shop_db", db, "shop_backend", backend), Set.of("shop_pgdata")));
        assertEquals(1, drifted.drift().size());
        assertTrue(drifted.drift().get(0).startsWith("infrastructure service shop_db: image differ from"),
                drifted.drift().get(0));
        assertTrue(drifted.actions(SwarmPlan.CreateService.class).isEmpty(), "the database is never recreated");
    }

    @Test
    void theDatabaseIsNotCreatedWhenItsExternalVolumeIsMissingOnThePinnedNode() {
        SwarmPlan plan = SwarmPlanner.plan(stack(STACK, "d1", Map.of()), observed(Map.of(), Set.of()));
        assertEquals(List.of("infrastructure service shop_db: its external volume shop_pgdata does not exist on node"
                + " n1 (host1, the manager sancho talks to), where it is pinned; create it there (mvn"
                + " sancho:ensure-volume, or docker volume create shop_pgdata)"), plan.refusals());
    }

    @Test
    void aDatabasePinnedElsewhereSaysTheVolumeCannotBeChecked() {
        String pinned = STACK.replace("    volumes:\n      - pgdata", "    deploy:\n      placement:\n"
                + "        constraints: [node.hostname==db-host]\n    volumes:\n      - pgdata");
        SwarmPlan plan = SwarmPlanner.plan(stack(pinned, "d1", Map.of()), observed(Map.of(), Set.of()));
        assertEquals(List.of(), plan.refusals());
        assertTrue(plan.notes().get(0).contains("cannot check that external volume shop_pgdata exists on the node"
                + " matching node.hostname==db-host"), plan.notes().toString());
        assertEquals(List.of("node.hostname==db-host"),
                plan.actions(SwarmPlan.CreateService.class).get(0).spec().constraints());
    }

    @Test
    void imagesBuiltBySanchoMustBePushedForOtherNodes() {
        SwarmPlan plan = SwarmPlanner.plan(stack(STACK, "d1", Map.of()), new SwarmPlanner.Observed(MANAGER, Map.of(),
                Set.of(), Set.of("shop_pgdata"), List.of("backend")));
        assertEquals(List.of("services backend are built by sancho: images must be pullable by every node; set"
                + " sancho.push"), plan.refusals());
    }

    @Test
    void aDnsrrServiceCannotPublishThroughTheIngressMesh() {
        String ingress = STACK.replace("\n        mode: host", "");
        String msg = assertThrows(ConfigException.class, () -> SwarmPlanner.plan(stack(ingress, "d1", Map.of()),
                observed(Map.of(), Set.of("shop_pgdata")))).getMessage();
        assertTrue(msg.contains("service backend: port 8080:8080 is published through the ingress mesh"), msg);
    }

    /** STACK with the backend's long-syntax port replaced by one short-syntax entry. */
    private static String withPorts(String port) {
        String yaml = STACK.replace("      endpoint_mode: dnsrr\n", "").replace(
                "      - target: 8080\n        published: 8080\n        mode: host\n", "      - \"" + port + "\"\n");
        assertTrue(yaml.contains("- \"" + port + "\""), yaml);
        return yaml;
    }

    @Test
    void aPortBoundToOneAddressIsRefusedWithItsLine() {
        String msg = assertThrows(ConfigException.class, () -> SwarmPlanner.plan(stack(withPorts("127.0.0.1:8080:8080"),
                "d1", Map.of()), observed(Map.of(), Set.of("shop_pgdata")))).getMessage();
        assertEquals("docker-compose.yml:27: service backend: port 127.0.0.1:8080:8080: a swarm publishes on every"
                + " address of the node, it cannot bind 127.0.0.1 (leave the address out, or keep this service on one"
                + " engine)", msg);
        // every address is what a swarm does anyway
        SwarmPlan plan = SwarmPlanner.plan(stack(withPorts("0.0.0.0:8080:8080"), "d1", Map.of()),
                observed(Map.of(), Set.of("shop_pgdata")));
        assertEquals(List.of(), plan.refusals());
    }

    @Test
    void aPortRangeIsRefusedWithItsLine() {
        String msg = assertThrows(ConfigException.class, () -> SwarmPlanner.plan(stack(withPorts("8080-8081:8080-8081"),
                "d1", Map.of()), observed(Map.of(), Set.of("shop_pgdata")))).getMessage();
        assertEquals("docker-compose.yml:27: service backend: port 8080-8081 needs one published port (no range) on a"
                + " swarm", msg);
    }

    @Test
    void dependsOnInfrastructureHoldsOtherDependenciesAreNotedAJobIsRefused() {
        String yaml = STACK.replace("  backend:\n", "  worker:\n    image: shop/worker:1\n  backend:\n    depends_on:\n"
                + "      db: {condition: service_healthy}\n      worker: {condition: service_started}\n");
        SwarmPlan plan = SwarmPlanner.plan(stack(yaml, "d1", Map.of()), observed(Map.of(), Set.of("shop_pgdata")));
        assertEquals(List.of(), plan.refusals());
        assertEquals(List.of("docker-compose.yml:14: services.backend.depends_on.worker (service_started): not waited"
                + " for on a swarm (application services are created and updated together)"), plan.notes());
        SwarmPlan job = SwarmPlanner.plan(stack(yaml.replace("condition: service_started",
                "condition: service_completed_successfully"), "d1", Map.of()), observed(Map.of(), Set.of("shop_pgdata")));
        assertEquals(List.of("docker-compose.yml:14: services.backend.depends_on.worker"
                + " (service_completed_successfully): a swarm has no one-shot job to wait for; run worker before the"
                + " deploy, or on one engine"), job.refusals());
    }

    @Test
    void restartPolicyAndDeployLabelsMapToTheService() {
        String yaml = STACK.replace("      endpoint_mode: dnsrr\n", "      endpoint_mode: dnsrr\n"
                + "      restart_policy: {condition: on-failure, delay: 3s, max_attempts: 5, window: 1m}\n"
                + "      labels: {team: shop, sancho.project: other}\n");
        SwarmPlan plan = SwarmPlanner.plan(stack(yaml, "d1", Map.of()), observed(Map.of(), Set.of("shop_pgdata")));
        SwarmServiceSpec backend = plan.actions(SwarmPlan.CreateService.class).stream()
                .filter(c -> !c.infra()).findFirst().orElseThrow().spec();
        assertEquals(new SwarmServiceSpec.RestartPolicy("on-failure", java.time.Duration.ofSeconds(3), 5,
                java.time.Duration.ofMinutes(1)), backend.restart());
        assertEquals("shop", backend.labels().get("team"));
        assertEquals("shop", backend.labels().get("sancho.project")); // sancho's own label names stay its own
        assertEquals(null, backend.containerLabels().get("team")); // deploy.labels label the service, not its tasks
        SwarmServiceSpec db = plan.actions(SwarmPlan.CreateService.class).stream()
                .filter(SwarmPlan.CreateService::infra).findFirst().orElseThrow().spec();
        assertEquals(null, db.restart());
        assertTrue(!db.labels().get(SwarmSpecs.SPEC_FIELDS).contains("restart="), "no restart digest when not given");
    }

    @Test
    void badDeployValuesAreOneLineErrorsWithTheirLine() {
        String msg = assertThrows(ComposeException.class, () -> stack(STACK.replace("order: stop-first",
                "order: sideways"), "d1", Map.of())).getMessage();
        assertTrue(msg.contains("update_config.order") && msg.contains("expected start-first or stop-first"), msg);
    }

    @Test
    void driftNamesTheFieldsWhoseDigestsDiffer() {
        assertEquals(List.of("env.A", "image"), SwarmSpecs.drift("image=1,env.A=2,mounts=3", "image=9,env.A=8,mounts=3"));
        assertEquals(List.of("env.B"), SwarmSpecs.drift("image=1", "image=1,env.B=2"));
    }
}
