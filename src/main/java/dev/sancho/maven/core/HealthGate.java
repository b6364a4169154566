package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Waits until containers are ready: healthy when they have a healthcheck, else running without a restart for
 * {@code minReady}. Fails fast on exit, death or unhealthy, so a broken deploy is reported in seconds.
 */
public final class HealthGate {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int LOG_LINES = 20;

    private HealthGate() {}

    /** @param containerIds container id -> display name */
    public static Result await(DockerEngine engine, Map<String, String> containerIds, Duration timeout,
            Duration minReady, Log log) {
        Map<String, Long> runningSince = new LinkedHashMap<>();
        return poll(engine, containerIds, timeout, (id, name, c) -> {
            if ("exited".equals(c.state()) || "dead".equals(c.state())) {
                return Result.failed(name, "exited with code " + c.exitCode(), engine.logTail(c.id(), LOG_LINES));
            }
            if ("unhealthy".equals(c.health())) {
                return Result.failed(name, "its healthcheck reports unhealthy", engine.logTail(c.id(), LOG_LINES));
            }
            if ("healthy".equals(c.health())) {
                log.info("  " + name + " is healthy");
                return Result.OK;
            }
            if (c.health() == null && "running".equals(c.state())) {
                long since = runningSince.computeIfAbsent(id, k -> Time.nanoTime());
                if (Time.nanoTime() - since >= minReady.toNanos()) {
                    log.info("  " + name + " is running (no healthcheck; stayed up " + minReady.toSeconds() + " s)");
                    return Result.OK;
                }
            } else {
                runningSince.remove(id); // restarting resets the clock
            }
            return null;
        }, (id, name) -> {
            ContainerInfo c = engine.inspectContainer(id).orElse(null);
            String state = c == null ? "gone" : c.state() + (c.health() == null ? "" : ", " + c.health());
            return Result.failed(name, "not ready after " + timeout.toSeconds() + " s (state: " + state + ")",
                    c == null ? List.of() : engine.logTail(id, LOG_LINES));
        });
    }

    /**
     * Waits until one-shot jobs have exited with code 0. A non-zero exit, or a job that disappears, fails at once
     * with its last log lines.
     *
     * @param containerIds container id -> display name
     */
    public static Result awaitCompleted(DockerEngine engine, Map<String, String> containerIds, Duration timeout,
            Log log) {
        return poll(engine, containerIds, timeout, (id, name, c) -> {
            if (!"exited".equals(c.state()) && !"dead".equals(c.state())) {
                return null;
            }
            if (!Integer.valueOf(0).equals(c.exitCode())) {
                return Result.failed(name, "the job exited with code " + c.exitCode(), engine.logTail(c.id(), LOG_LINES));
            }
            log.info("  " + name + " completed (exit code 0)");
            return Result.OK;
        }, (id, name) -> Result.failed(name, "the job has not finished after " + timeout.toSeconds() + " s",
                engine.logTail(id, LOG_LINES)));
    }

    /** What one inspect says about one awaited container: null to keep waiting, {@link Result#OK}, or the failure. */
    private interface Judge {
        Result judge(String id, String name, ContainerInfo c);
    }

    /**
     * The one polling loop: inspects every pending container each round until all are judged done; the first
     * failure, a container that disappeared, or the timeout ({@code onTimeout(id, name)} of the first one still
     * pending) ends it.
     */
    private static Result poll(DockerEngine engine, Map<String, String> containerIds, Duration timeout, Judge judge,
            BiFunction<String, String, Result> onTimeout) {
        long deadline = Time.nanoTime() + timeout.toNanos();
        Map<String, String> pending = new LinkedHashMap<>(containerIds);
        while (true) {
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                ContainerInfo c = engine.inspectContainer(e.getKey()).orElse(null);
                if (c == null) {
                    return Result.failed(e.getValue(), "the container disappeared", List.of());
                }
                Result r = judge.judge(e.getKey(), e.getValue(), c);
                if (r == Result.OK) {
                    it.remove();
                } else if (r != null) {
                    return r;
                }
            }
            if (pending.isEmpty()) {
                return Result.OK;
            }
            if (Time.nanoTime() > deadline) {
                String id = pending.keySet().iterator().next();
                return onTimeout.apply(id, pending.get(id));
            }
            sleep();
        }
    }

    private static void sleep() {
        Time.sleep(POLL, "containers to become ready");
    }

    /** @param failedContainer null when everything became ready */
    public record Result(String failedContainer, String reason, List<String> lastLogLines) {
        static final Result OK = new Result(null, null, List.of());

        static Result failed(String container, String reason, List<String> logs) {
            return new Result(container, reason, new ArrayList<>(logs));
        }

        public boolean ok() {
            return failedContainer == null;
        }

        /** One paragraph for the build failure: what failed, why, and its last log lines. */
        public String describe() {
            if (ok()) {
                return "all containers ready";
            }
            StringBuilder b = new StringBuilder(failedContainer).append(": ").append(reason);
            if (!lastLogLines.isEmpty()) {
                b.append("; last log lines:");
                lastLogLines.forEach(l -> b.append("\n    ").append(l));
            }
            return b.toString();
        }
    }
}
