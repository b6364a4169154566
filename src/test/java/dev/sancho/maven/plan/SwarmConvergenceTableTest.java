package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.SwarmInfos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SwarmConvergence} over every combination that decides it, for a service of 2 replicas being deployed as d2
 * (previous deploy d1): each update state the swarm reports, the service's spec being d2's or not, and each shape of
 * its tasks. The rules, as the deploy needs them: a deploy has failed only when the swarm gave up on it (paused, or a
 * rollback of d2's spec, which leaves d1's spec behind); it has converged only when it has not failed, the update is
 * not in progress, the spec is d2's and exactly the 2 wanted tasks both run d2.
 */
class SwarmConvergenceTableTest {
    private static final List<String> UPDATE_STATES = new ArrayList<>(List.of("updating", "paused", "completed",
            "rollback_started", "rollback_paused", "rollback_completed"));

    static {
        UPDATE_STATES.add(0, null); // never updated: the service was just created
    }

    /** A shape of the tasks: what they are, and whether they make 2 wanted tasks running d2. */
    private record Shape(String name, List<SwarmInfos.Task> tasks, boolean allNewRunning) {}

    private static SwarmInfos.Task task(String id, String state, String desired, String deployId, String error) {
        return new SwarmInfos.Task(id, "sid", "n1", 1, state, desired, state + " msg", error, deployId, "c", "app",
                null);
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("both new running", List.of(task("a", "running", "running", "d2", null),
                    task("b", "running", "running", "d2", null)), true),
            new Shape("both new running, old ones shut down", List.of(task("a", "running", "running", "d2", null),
                    task("b", "running", "running", "d2", null), task("o", "shutdown", "shutdown", "d1", null),
                    task("p", "complete", "shutdown", "d1", null)), true),
            new Shape("one new starting (not healthy yet)", List.of(task("a", "running", "running", "d2", null),
                    task("b", "starting", "running", "d2", null)), false),
            new Shape("an old one still wanted", List.of(task("a", "running", "running", "d2", null),
                    task("o", "running", "running", "d1", null)), false),
            new Shape("one new only", List.of(task("a", "running", "running", "d2", null)), false),
            new Shape("three wanted (start-first overlap)", List.of(task("a", "running", "running", "d2", null),
                    task("b", "running", "running", "d2", null), task("o", "running", "running", "d1", null)), false),
            new Shape("a new one failed", List.of(task("a", "running", "running", "d2", null),
                    task("f", "failed", "shutdown", "d2", "task: non-zero exit (1)"),
                    task("o", "running", "running", "d1", null)), false),
            new Shape("none", List.of(), false),
            new Shape("only old ones", List.of(task("o", "running", "running", "d1", null),
                    task("p", "running", "running", "d1", null)), false));

    @Test
    void everyUpdateStateSpecAndTaskShape() {
        int cases = 0;
        for (String update : UPDATE_STATES) {
            for (String specDeploy : new String[] {"d2", "d1"}) {
                for (Shape shape : SHAPES) {
                    var service = new SwarmInfos.Service("sid", "shop_backend", 7, Map.of(), "app", 2, update,
                            "why", specDeploy, List.of(), List.of());
                    var st = SwarmConvergence.of(service, shape.tasks(), "d2");
                    String where = update + " / spec " + specDeploy + " / " + shape.name() + ": " + st;
                    boolean ours = specDeploy.equals("d2");
                    boolean gaveUp = "paused".equals(update) || update != null && update.startsWith("rollback_")
                            && !ours;
                    assertEquals(gaveUp, st.failed(), where);
                    assertEquals(gaveUp && "rollback_completed".equals(update), st.rollbackDone(), where);
                    assertEquals(!gaveUp && !"updating".equals(update) && ours && shape.allNewRunning(),
                            st.converged(), where);
                    assertTrue(!(st.converged() && st.failed()), where);
                    assertTrue(st.detail().startsWith("service shop_backend: "), where);
                    if (shape.name().equals("a new one failed")) {
                        assertTrue(st.detail().contains("task f failed: task: non-zero exit (1)"), where);
                    }
                    cases++;
                }
            }
        }
        assertEquals(7 * 2 * 9, cases);
    }

    @Test
    void infrastructureConvergesWithExactlyOneWantedTaskRunning() {
        var db = new SwarmInfos.Service("db", "shop_db", 1, Map.of(), "pg", 1, null, null, null, List.of(), List.of());
        List<List<SwarmInfos.Task>> no = List.of(List.of(), List.of(task("a", "starting", "running", null, null)),
                List.of(task("a", "failed", "shutdown", null, "exit 1")),
                List.of(task("a", "running", "running", null, null), task("b", "running", "running", null, null)));
        for (List<SwarmInfos.Task> tasks : no) {
            var st = SwarmConvergence.of(db, tasks, null);
            assertEquals(false, st.converged(), tasks.toString());
            assertEquals(false, st.failed(), tasks.toString());
        }
        var yes = SwarmConvergence.of(db, List.of(task("a", "running", "running", null, null),
                task("old", "shutdown", "shutdown", null, null)), null);
        assertTrue(yes.converged(), yes.detail());
    }

    @Test
    void atMostThreeTaskErrorsAreNamed() {
        var service = new SwarmInfos.Service("sid", "shop_backend", 7, Map.of(), "app", 2, "rollback_completed",
                "why", "d1", List.of(), List.of());
        List<SwarmInfos.Task> failed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            failed.add(task("t" + i, "failed", "shutdown", "d2", "error " + i));
        }
        var st = SwarmConvergence.of(service, failed, "d2");
        assertEquals("service shop_backend: rollback_completed (why); task t0 failed: error 0; task t1 failed: error 1;"
                + " task t2 failed: error 2", st.detail());
    }
}
