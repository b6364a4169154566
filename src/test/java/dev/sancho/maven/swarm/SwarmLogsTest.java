package dev.sancho.maven.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.core.DeployRun;
import dev.sancho.maven.core.LockOptions;
import dev.sancho.maven.core.Logs;
import dev.sancho.maven.core.ProxyWaits;
import dev.sancho.maven.core.Target;
import dev.sancho.maven.core.VirtualTime;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sancho:logs} on a fake swarm: the current deploy's services' logs, chosen by labels, prefixed with service and
 * task slot, scrubbed; an earlier deploy's task, a replaced one and another project's service of the same compose name
 * left out.
 */
class SwarmLogsTest {
    private static final String STACK = """
            services:
              db:
                image: postgres:15
                container_name: shop_db
              backend:
                image: shop/app:1
                deploy:
                  replicas: 2
              worker:
                image: shop/worker:1
            """;
    private static final Target TARGET = SwarmTarget.INSTANCE;
    private static final UnaryOperator<String> SCRUB = s -> s.replace("s3cret", "****");

    @TempDir
    Path dir;

    @RegisterExtension
    final VirtualTime time = new VirtualTime();

    private final FakeSwarm swarm = new FakeSwarm();
    private final FakeDockerEngine engine = new FakeDockerEngine() {
        @Override
        public SwarmEngine swarm() {
            return swarm;
        }
    };
    private final List<String> out = new ArrayList<>();

    private Stack stack(String deployId) {
        return StackResolver.resolve(Fixtures.inline(dir, STACK), new StackConfig("shop", "shop", deployId,
                Set.of("db"), null, true));
    }

    private void deploy(String deployId) {
        DeployOptions options = new DeployOptions(2, Duration.ofSeconds(30), ProxyWaits.DEFAULT_MIN_READY,
                ProxyWaits.DEFAULT.maxDrain(), Instant.now(), Set.of());
        TARGET.deploy(engine, new DeployRun.Request(stack(deployId), DeployRun.Steps.ALL, options,
                new LockOptions(Duration.ZERO, Duration.ofMinutes(30)), List.of(), Map.of(), List.of(), List.of(),
                false, ProxyWaits.DEFAULT, false, false), Log.NONE);
    }

    private String id(String service) {
        return swarm.findService(service).orElseThrow().id();
    }

    private static SwarmInfos.LogLine line(String task, String text) {
        return new SwarmInfos.LogLine(task, text);
    }

    @Test
    void everyReplicaOfEveryAppServiceOfTheCurrentDeployPrefixedAndScrubbed() {
        deploy("rel-1");
        String backend = id("shop_backend");
        // a task of an earlier deploy, still in the swarm's task history
        FakeSwarm.Step now = swarm.scripts.get("shop_backend").get(0);
        List<SwarmInfos.Task> tasks = new ArrayList<>(now.tasks());
        tasks.add(new SwarmInfos.Task("old1", backend, "n1", 1, "shutdown", "shutdown", "", null, "rel-0", "c9",
                "shop/app:0", null));
        // a task of this deploy the swarm replaced (or of the same deploy id before a rollback back to it)
        tasks.add(new SwarmInfos.Task("gone2", backend, "n1", 2, "failed", "shutdown", "", null, "rel-1", "c8",
                "shop/app:1", null));
        swarm.scripts.put("shop_backend", List.of(new FakeSwarm.Step(now.service(), tasks)));
        swarm.serviceLogs.put(backend, List.of(line(backend + "t0", "started on 8080"),
                line("old1", "the old deploy"), line("gone2", "a replaced task"), line(backend + "t1",
                "password=s3cret")));
        swarm.serviceLogs.put(id("shop_worker"), List.of(line(id("shop_worker") + "t0", "working")));
        swarm.serviceLogs.put(id("shop_db"), List.of(line(id("shop_db") + "t0", "database ready")));

        TARGET.logs(engine, stack("x"), new Logs.Options(null, null, 5, false), SCRUB, out::add, Log.NONE);

        assertEquals(List.of("backend-1 | started on 8080", "backend-2 | password=****", "worker-1  | working"), out);
        assertEquals(List.of(java.util.Arrays.asList(backend, null, 5, false),
                java.util.Arrays.asList(id("shop_worker"), null, 5, false)), swarm.logReads);
    }

    @Test
    void anotherProjectsServiceOfTheSameComposeNameIsNeverRead() {
        deploy("rel-1");
        SwarmServiceSpec s = swarm.createdServices.get(1);
        Map<String, String> labels = Map.of("sancho.project", "other", "sancho.service", "backend", "sancho.role",
                "app", "sancho.deploy-id", "rel-1");
        swarm.createService(new SwarmServiceSpec("other_backend", labels, s.image(), s.command(), s.args(), s.env(),
                labels, s.mounts(), s.networks(), s.health(), s.user(), s.workingDir(), s.stopSignal(),
                s.stopGracePeriod(), 1, s.constraints(), s.nanoCpus(), s.memoryBytes(), s.memoryReservation(),
                s.endpointMode(), s.ports(), s.update(), s.rollback(), s.restart(), s.files()));
        swarm.serviceLogs.put(id("other_backend"), List.of(line(id("other_backend") + "t0", "not ours")));

        TARGET.logs(engine, stack("x"), new Logs.Options("backend", Instant.ofEpochSecond(1000), null, true), SCRUB,
                out::add, Log.NONE);

        assertTrue(out.stream().noneMatch(l -> l.contains("not ours")), out.toString());
        assertEquals(List.of(java.util.Arrays.asList(id("shop_backend"), 1000L, null, true).toString()),
                swarm.logReads.stream().map(List::toString).toList());
    }

    @Test
    void anInfrastructureServiceIsReadWhenNamedAndAnUnknownServiceIsRefusedInOneLine() {
        deploy("rel-1");
        swarm.serviceLogs.put(id("shop_db"), List.of(line(id("shop_db") + "t0", "database ready")));
        TARGET.logs(engine, stack("x"), new Logs.Options("db", null, null, false), SCRUB, out::add, Log.NONE);
        assertEquals(List.of("db-1 | database ready"), out);

        String msg = assertThrows(ConfigException.class, () -> TARGET.logs(engine, stack("x"),
                new Logs.Options("frontend", null, null, false), SCRUB, out::add, Log.NONE)).getMessage();
        assertEquals("parameter service (sancho.service) is \"frontend\": the stack has db, backend, worker", msg);
    }

    @Test
    void withNoDeployOnTheSwarmItSaysSoInOneLine() {
        String msg = assertThrows(CheckFailedException.class, () -> TARGET.logs(engine, stack("x"),
                new Logs.Options(null, null, null, false), SCRUB, out::add, Log.NONE)).getMessage();
        assertEquals("no deploy of project shop is recorded on the swarm (mvn sancho:status)", msg);
    }
}
