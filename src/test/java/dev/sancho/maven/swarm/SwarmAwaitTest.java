package dev.sancho.maven.swarm;

import dev.sancho.maven.core.VirtualTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.SwarmInfos;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deploy's wait on a swarm, on virtual time against a scripted swarm: it returns once every service converged,
 * fails only after the swarm's rollback has completed (so the previous deploy is serving when the build fails),
 * and gives up at healthTimeout naming each service's tasks.
 */
class SwarmAwaitTest {
    @RegisterExtension
    final VirtualTime time = new VirtualTime();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static SwarmInfos.Service backend(String update, String specDeploy) {
        return new SwarmInfos.Service("sid", "shop_backend", 9, Map.of(), "app:2", 2, update, "why", specDeploy,
                List.of(), List.of());
    }

    private static SwarmInfos.Task task(String id, String state, String desired, String deployId) {
        return new SwarmInfos.Task(id, "sid", "n1", 1, state, desired, state, null, deployId, "c", "app:2", null);
    }

    private static FakeSwarm.Step step(SwarmInfos.Service s, SwarmInfos.Task... tasks) {
        return new FakeSwarm.Step(s, List.of(tasks));
    }

    @Test
    void returnsOnceEveryTaskRunsTheNewDeploy() {
        FakeSwarm swarm = new FakeSwarm();
        swarm.scripts.put("shop_backend", List.of(
                step(backend("updating", "d2"), task("a", "starting", "running", "d2"), task("o", "running", "running", "d1")),
                step(backend("updating", "d2"), task("a", "running", "running", "d2"), task("o", "running", "running", "d1")),
                step(backend("completed", "d2"), task("a", "running", "running", "d2"), task("b", "running", "running", "d2"))));
        SwarmAwait.until(swarm, "d2", List.of("shop_backend"), "d2", TIMEOUT, Log.NONE);
        assertEquals(3, swarm.polls("shop_backend"));
        assertEquals(Duration.ofMillis(1000), time.elapsed());
    }

    @Test
    void aFailedUpdateFailsOnlyOnceTheSwarmsRollbackCompleted() {
        FakeSwarm swarm = new FakeSwarm();
        swarm.scripts.put("shop_backend", List.of(
                step(backend("updating", "d2"), task("a", "starting", "running", "d2"), task("o", "running", "running", "d1")),
                step(backend("rollback_started", "d1"), task("a", "complete", "shutdown", "d2"), task("o", "running", "running", "d1")),
                step(backend("rollback_started", "d1"), task("a", "complete", "shutdown", "d2"), task("o", "running", "running", "d1")),
                step(backend("rollback_completed", "d1"), task("a", "complete", "shutdown", "d2"),
                        task("o", "running", "running", "d1"), task("p", "running", "running", "d1"))));
        String msg = assertThrows(CheckFailedException.class, () -> SwarmAwait.until(swarm, "d2",
                List.of("shop_backend"), "d2", TIMEOUT, Log.NONE)).getMessage();
        assertEquals(4, swarm.polls("shop_backend"));
        assertEquals("deploy d2 did not converge (the swarm rolled back: the previous deploy keeps serving): service"
                + " shop_backend: rollback_completed (why); task a complete: complete", msg);
    }

    @Test
    void aRollbackThatNeverCompletesFailsAtTheTimeout() {
        FakeSwarm swarm = new FakeSwarm();
        swarm.scripts.put("shop_backend", List.of(step(backend("rollback_started", "d1"),
                task("a", "complete", "shutdown", "d2"), task("o", "running", "running", "d1"))));
        String msg = assertThrows(CheckFailedException.class, () -> SwarmAwait.until(swarm, "d2",
                List.of("shop_backend"), "d2", TIMEOUT, Log.NONE)).getMessage();
        assertTrue(msg.startsWith("deploy d2 did not converge (the swarm rolled back"), msg);
        assertTrue(time.elapsed().compareTo(TIMEOUT) > 0 && time.elapsed().compareTo(TIMEOUT.plusSeconds(1)) <= 0,
                time.elapsed().toString());
    }

    @Test
    void aDeployThatNeverConvergesFailsAtHealthTimeoutNamingTheTasks() {
        FakeSwarm swarm = new FakeSwarm();
        swarm.scripts.put("shop_backend", List.of(step(backend("updating", "d2"),
                task("a", "starting", "running", "d2"), task("o", "running", "running", "d1"))));
        String msg = assertThrows(CheckFailedException.class, () -> SwarmAwait.until(swarm, "d2",
                List.of("shop_backend"), "d2", TIMEOUT, Log.NONE)).getMessage();
        assertEquals("deploy d2 did not converge within 60 s (sancho.healthTimeout): service shop_backend: 0/2 tasks"
                + " of deploy d2 running, update updating; task a starting: starting", msg);
    }

    @Test
    void everyServiceMustConvergeAndAVanishedOneFailsNamingIt() {
        FakeSwarm swarm = new FakeSwarm();
        swarm.scripts.put("shop_backend", List.of(step(backend("completed", "d2"),
                task("a", "running", "running", "d2"), task("b", "running", "running", "d2"))));
        String msg = assertThrows(CheckFailedException.class, () -> SwarmAwait.until(swarm, "d2",
                List.of("shop_backend", "shop_worker"), "d2", TIMEOUT, Log.NONE)).getMessage();
        assertEquals("service shop_worker vanished during deploy d2", msg);
    }

    @Test
    void infrastructureWaitsForItsOneTaskRunning() {
        FakeSwarm swarm = new FakeSwarm();
        var db = new SwarmInfos.Service("db", "shop_db", 1, Map.of(), "pg", 1, null, null, null, List.of(), List.of());
        swarm.scripts.put("shop_db", List.of(step(db, task("t", "preparing", "running", null)),
                step(db, task("t", "starting", "running", null)), step(db, task("t", "running", "running", null))));
        SwarmAwait.until(swarm, "recover", List.of("shop_db"), null, TIMEOUT, Log.NONE);
        assertEquals(3, swarm.polls("shop_db"));
    }

    /** Before: a proxy whose bind source is not on its node was waited for until healthTimeout (120 s measured). */
    @Test
    void aTaskRejectedForAReasonWaitingCannotFixFailsAtOnceWithThatReason() {
        FakeSwarm swarm = new FakeSwarm();
        var proxy = new SwarmInfos.Service("px", "shop_traefik", 1, Map.of(), "traefik", 1, null, null, null,
                List.of(), List.of());
        String why = "invalid mount config for type \"bind\": bind source path does not exist: /srv/shop/letsencrypt";
        swarm.scripts.put("shop_traefik", List.of(step(proxy, task("t1", "pending", "running", null)),
                step(proxy, new SwarmInfos.Task("t1", "px", "node2abcdefghijk", 1, "rejected", "shutdown",
                        "rejected", why, null, null, "traefik", null), task("t2", "pending", "running", null))));
        String msg = assertThrows(CheckFailedException.class, () -> SwarmAwait.until(swarm, "d2",
                List.of("shop_traefik"), null, TIMEOUT, Log.NONE)).getMessage();
        assertEquals("deploy d2 failed: service shop_traefik: task t1 rejected on node node2abcdefg: " + why
                + " (waiting cannot fix this; the swarm keeps retrying until the cause is fixed)", msg);
        assertTrue(time.elapsed().compareTo(Duration.ofSeconds(1)) <= 0, time.elapsed().toString());
    }

    @Test
    void anApplicationTaskWithNoSuchImageFailsAtOnceToo() {
        FakeSwarm swarm = new FakeSwarm();
        swarm.scripts.put("shop_backend", List.of(step(backend("updating", "d2"),
                new SwarmInfos.Task("a", "sid", "n1", 1, "rejected", "shutdown", "rejected",
                        "No such image: shop/backend:2", "d2", null, "shop/backend:2", null),
                task("o", "running", "running", "d1"))));
        String msg = assertThrows(CheckFailedException.class, () -> SwarmAwait.until(swarm, "d2",
                List.of("shop_backend"), "d2", TIMEOUT, Log.NONE)).getMessage();
        assertTrue(msg.startsWith("deploy d2 failed: service shop_backend: task a rejected on node n1: No such image:"
                + " shop/backend:2"), msg);
        assertEquals(Duration.ZERO, time.elapsed());
    }
}
