package dev.sancho.maven.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Ctrl-C: the deploy lock is released before the ssh processes it is released over are ended (issue 22). */
class ShutdownHooksTest {
    @Test
    void locksAreReleasedBeforeTransportsCloseWhateverTheOrderOfRegistration() {
        List<String> done = new CopyOnWriteArrayList<>();
        ShutdownHooks.Task reaper = new ShutdownHooks.Task(ShutdownHooks.Stage.CLOSE_TRANSPORTS, () -> done.add("reap"));
        ShutdownHooks.Task lock = new ShutdownHooks.Task(ShutdownHooks.Stage.RELEASE_LOCKS, () -> {
            sleep(300); // a release over ssh takes a round trip: the reaper must wait for it
            done.add("release");
        });
        ShutdownHooks.Task failing = new ShutdownHooks.Task(ShutdownHooks.Stage.RELEASE_LOCKS, () -> {
            throw new IllegalStateException("engine gone");
        });
        ShutdownHooks.runAll(List.of(reaper, failing, lock));
        assertEquals(List.of("release", "reap"), done);
    }

    @Test
    void anInterruptedDeploysUndoRunsBeforeItsLockIsReleasedAndItsTransportClosed() {
        List<String> done = new CopyOnWriteArrayList<>();
        ShutdownHooks.Task reaper = new ShutdownHooks.Task(ShutdownHooks.Stage.CLOSE_TRANSPORTS, () -> done.add("reap"));
        ShutdownHooks.Task lock = new ShutdownHooks.Task(ShutdownHooks.Stage.RELEASE_LOCKS, () -> done.add("release"));
        ShutdownHooks.Task undo = new ShutdownHooks.Task(ShutdownHooks.Stage.UNDO, () -> {
            sleep(300); // over ssh, a stop and a removal take round trips: the release and the reaper wait for it
            done.add("undo");
        });
        ShutdownHooks.runAll(List.of(reaper, lock, undo));
        assertEquals(List.of("undo", "release", "reap"), done);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
