package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.common.Parallel;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerProcess;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.ExecResult;
import dev.sancho.maven.plan.Action;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Runs a proxy's {@code x-sancho-proxy} reload inside its running container (the engine's exec) and observes that it
 * took effect, so the cutover can stop waiting for the proxy's DNS cache:
 * <ul>
 * <li>the command must exit with 0 within {@link #EXEC_TIMEOUT} ({@code caddy reload} returns once the new
 * configuration runs);</li>
 * <li>a proxy with worker processes (nginx: {@code nginx: worker process}; {@code nginx -s reload} only signals the
 * master and returns at once) has reloaded once every worker that accepts connections is a new one, i.e. none of them
 * ran before the reload and none is {@code shutting down}: a new nginx worker starts with an empty DNS cache, the old
 * ones stop accepting and only finish their requests. Read from the engine's process list ({@code docker top}),
 * which needs nothing in the image. A master that refuses the new configuration keeps its old workers: that is a
 * failed reload.</li>
 * </ul>
 * Anything else (the container not running, a non-zero exit, a timeout, no new workers within
 * {@link #WORKERS_TIMEOUT}) is a failure, which the caller answers with the waits a proxy without reload gets.
 */
final class ProxyReloads {
    /** The longest a reload command may run. */
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    /** The longest the proxy's new workers may take to replace the old ones after the command returned. */
    static final Duration WORKERS_TIMEOUT = Duration.ofSeconds(5);
    static final Duration POLL = Duration.ofMillis(50);

    private ProxyReloads() {}

    /**
     * Reloads every proxy, in parallel.
     *
     * @param when for the log line, e.g. {@code the new deploy joined DNS}
     * @return empty when each reload ran and was observed; else why not, one line for all (the first failure)
     */
    static Optional<String> run(DockerEngine engine, List<Action.ReloadProxy> reloads, String when, Log log) {
        Map<Action.ReloadProxy, String> failed = new ConcurrentHashMap<>();
        Parallel.run(reloads, r -> {
            String why;
            try {
                why = reload(engine, r, when, log);
            } catch (RuntimeException e) {
                why = "the engine refused (" + e.getMessage() + ")";
            }
            if (why != null) {
                failed.put(r, why);
            }
        });
        return reloads.stream().filter(failed::containsKey).findFirst()
                .map(r -> "the proxy reload `" + r.shown() + "` in " + r.container() + " failed: " + failed.get(r));
    }

    /** @return null when done and observed, else why not */
    private static String reload(DockerEngine engine, Action.ReloadProxy r, String when, Log log) {
        ContainerInfo proxy = engine.inspectContainer(r.container()).orElse(null);
        if (proxy == null || !proxy.running()) {
            return "the container is " + (proxy == null ? "missing" : proxy.state());
        }
        long start = Time.nanoTime();
        Optional<List<ContainerProcess>> before = listQuietly(engine, proxy.id());
        ExecResult result = engine.exec(proxy.id(), r.command(), EXEC_TIMEOUT);
        if (result.timedOut()) {
            return "it did not finish within " + EXEC_TIMEOUT.toSeconds() + " s" + lastLine(result.output());
        }
        if (result.exitCode() != 0) {
            return "exit code " + result.exitCode() + lastLine(result.output());
        }
        String observed = "";
        List<ContainerProcess> oldWorkers = before.map(ProxyReloads::accepting).orElse(List.of());
        if (!oldWorkers.isEmpty()) {
            Set<String> old = before.get().stream().map(ContainerProcess::pid).collect(Collectors.toSet());
            long deadline = Time.nanoTime() + WORKERS_TIMEOUT.toNanos();
            while (true) {
                List<ContainerProcess> now = accepting(engine.processes(proxy.id()).orElse(List.of()));
                if (!now.isEmpty() && now.stream().noneMatch(p -> old.contains(p.pid()))) {
                    observed = ", " + now.size() + " new worker" + (now.size() == 1 ? "" : "s") + " up";
                    break;
                }
                if (Time.nanoTime() >= deadline) {
                    return "exit code 0, but no new worker processes replaced the old ones within "
                            + WORKERS_TIMEOUT.toSeconds() + " s (does the proxy accept its configuration? see docker"
                            + " logs " + r.container() + ")";
                }
                Time.sleep(POLL, "the proxy's new workers");
            }
        }
        log.info("  reloaded the proxy " + r.container() + " (" + r.shown() + ") after " + when + " in "
                + (Time.nanoTime() - start) / 1_000_000 + " ms" + observed);
        return null;
    }

    /** Worker processes that take new connections (nginx's, and those of proxies that name theirs alike). */
    static List<ContainerProcess> accepting(List<ContainerProcess> processes) {
        return processes.stream().filter(p -> p.command().contains("worker process")
                && !p.command().contains("shutting down")).toList();
    }

    private static Optional<List<ContainerProcess>> listQuietly(DockerEngine engine, String id) {
        try {
            return engine.processes(id);
        } catch (RuntimeException e) {
            return Optional.empty(); // no process list: the exit code is all that is observed
        }
    }

    private static String lastLine(String output) {
        String[] lines = output == null ? new String[0] : output.strip().split("\n");
        String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
        if (last.length() > 200) {
            last = last.substring(0, 200) + "...";
        }
        return last.isEmpty() ? "" : ": " + last;
    }
}
