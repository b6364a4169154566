package dev.sancho.maven.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One JVM shutdown hook that runs its tasks in stages, so what Ctrl-C must do in order is done in order: an
 * interrupted deploy's undo first, then the deploy locks are released (over the engine connection), then the
 * transports are closed (ssh processes ended). Separate JVM hooks run concurrently, in no order: a lock's release then
 * raced the ssh reaper and lost, and an undo over ssh would lose to the reaper the same way.
 */
public final class ShutdownHooks {
    /** In the order they run. */
    public enum Stage {
        /** Undo or finish what an interrupted run changes ({@code core.Interruption}): may wait for a graceful stop. */
        UNDO(Duration.ofMinutes(5)),
        RELEASE_LOCKS(Duration.ofSeconds(15)),
        CLOSE_TRANSPORTS(Duration.ofSeconds(15));

        /** How long the hook waits for a task of this stage before it goes on with the next stage. */
        final Duration patience;

        Stage(Duration patience) {
            this.patience = patience;
        }
    }

    /** A registered task; {@link #remove()} when it has been done the ordinary way. */
    public interface Registration {
        void remove();
    }

    record Task(Stage stage, Runnable run) implements Registration {
        @Override
        public void remove() {
            TASKS.remove(this);
        }
    }

    private static final List<Task> TASKS = new CopyOnWriteArrayList<>();
    private static boolean installed;

    private ShutdownHooks() {}

    public static synchronized Registration register(Stage stage, Runnable task) {
        if (!installed) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> runAll(List.copyOf(TASKS)), "sancho-shutdown"));
                installed = true;
            } catch (IllegalStateException shuttingDown) {
                // too late for hooks: nothing will run them
            }
        }
        Task t = new Task(stage, task);
        TASKS.add(t);
        return t;
    }

    /** Runs every task of each stage (those of one stage concurrently), stage after stage. */
    static void runAll(List<Task> tasks) {
        for (Stage stage : Stage.values()) {
            List<Thread> running = new ArrayList<>();
            for (Task t : tasks) {
                if (t.stage() == stage) {
                    Thread th = new Thread(() -> {
                        try {
                            t.run().run();
                        } catch (RuntimeException ignored) {
                            // a task that fails must not keep the others from running
                        }
                    }, "sancho-shutdown-" + stage.name().toLowerCase(java.util.Locale.ROOT));
                    running.add(th);
                    th.start();
                }
            }
            for (Thread th : running) {
                try {
                    th.join(stage.patience.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
