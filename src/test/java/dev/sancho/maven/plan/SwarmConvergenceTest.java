package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.SwarmInfos;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a deploy on a swarm counts as done, as failed, or as still rolling. */
class SwarmConvergenceTest {

    private static SwarmInfos.Service service(String update, String deployId) {
        return new SwarmInfos.Service("sid", "shop_backend", 3, Map.of(), "app:2", 2, update, "msg", deployId, List.of(),
                List.of());
    }

    private static SwarmInfos.Task task(String id, String state, String desired, String deployId, String err) {
        return new SwarmInfos.Task(id, "sid", "n1", 1, state, desired, "m-" + state, err, deployId, "c", "app", null);
    }

    @Test
    void convergedWhenEveryWantedTaskRunsTheNewDeploy() {
        var st = SwarmConvergence.of(service("completed", "d2"), List.of(task("a", "running", "running", "d2", null),
                task("b", "running", "running", "d2", null), task("c", "shutdown", "shutdown", "d1", null)), "d2");
        assertTrue(st.converged(), st.detail());
    }

    @Test
    void stillRollingWhileAnOldTaskIsWantedOrANewOneIsStarting() {
        var st = SwarmConvergence.of(service("updating", "d2"), List.of(task("a", "running", "running", "d2", null),
                task("b", "starting", "running", "d2", null), task("c", "running", "running", "d1", null)), "d2");
        assertFalse(st.converged());
        assertFalse(st.failed());
        assertEquals("service shop_backend: 1/2 tasks of deploy d2 running, update updating; task b starting:"
                + " m-starting", st.detail());
    }

    @Test
    void aRollbackByTheSwarmIsAFailureNamingTheTasksErrors() {
        var st = SwarmConvergence.of(service("rollback_completed", "d1"), List.of(
                task("a", "failed", "shutdown", "d2", "task: non-zero exit (1): unhealthy container"),
                task("b", "running", "running", "d1", null)), "d2");
        assertTrue(st.failed());
        assertTrue(st.rollbackDone());
        assertEquals("service shop_backend: rollback_completed (msg); task a failed: task: non-zero exit (1):"
                + " unhealthy container", st.detail());
    }

    @Test
    void aTaskThatNeverBecameHealthyIsNamedWithItsState() {
        var st = SwarmConvergence.of(service("rollback_completed", "d1"), List.of(
                new SwarmInfos.Task("t2", "sid", "n1", 1, "complete", "shutdown", "finished", null, "d2", "c", "app",
                        null), task("b", "running", "running", "d1", null)), "d2");
        assertEquals("service shop_backend: rollback_completed (msg); task t2 complete: finished", st.detail());
    }

    @Test
    void aRollbackStateLeftFromAnEarlierDeployIsNotThisDeploysFailure() {
        var st = SwarmConvergence.of(service("rollback_completed", "d3"), List.of(
                task("a", "running", "running", "d3", null), task("b", "running", "running", "d3", null)), "d3");
        assertFalse(st.failed());
        assertTrue(st.converged());
    }

    @Test
    void infrastructureNeedsItsOneTaskRunning() {
        var db = new SwarmInfos.Service("db", "shop_db", 1, Map.of(), "pg", 1, null, null, null, List.of(), List.of());
        assertFalse(SwarmConvergence.of(db, List.of(task("a", "starting", "running", null, null)), null).converged());
        assertTrue(SwarmConvergence.of(db, List.of(task("a", "running", "running", null, null)), null).converged());
    }
}
