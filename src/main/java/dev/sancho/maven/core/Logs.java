package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.ProjectIdentity;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code sancho:logs}: the log of what serves, like {@code docker compose logs}. The containers are the current
 * deploy's app containers (every replica), chosen by their labels (project, role app, the deploy id, this project's
 * identity), never by a name pattern, so a container of another project with the same service name is never shown;
 * an infrastructure service named with {@code service} is its container of that exact name, with this project's
 * labels. Each line is prefixed {@code <service>-<replica> | } and passes the build's secret scrubber.
 */
public final class Logs {
    private Logs() {}

    /**
     * @param service only this service (app or infrastructure); null: every app service of the current deploy
     * @param since   only lines from this moment on; null: all
     * @param tail    only the last lines of each container; null: all
     * @param follow  keep streaming until every container stopped (or the build is interrupted)
     */
    public record Options(String service, Instant since, Integer tail, boolean follow) {}

    /** One container to read, with its prefix. */
    record Source(String prefix, ContainerInfo container) {}

    /** A log to read: a name (its reader's) and the call that streams its lines, each handed on as it comes. */
    public record Stream(String name, Consumer<Consumer<String>> lines) {}

    public static void run(DockerEngine engine, Stack stack, Options options, UnaryOperator<String> scrub,
            Consumer<String> out, Log log) {
        List<Source> sources = sources(engine, stack, options.service());
        int width = sources.stream().mapToInt(s -> s.prefix().length()).max().orElse(0);
        Long since = options.since() == null ? null : options.since().getEpochSecond();
        log.debug("logs: " + sources.stream().map(s -> s.container().name()).toList());
        readAll(sources.stream().map(s -> new Stream(s.container().name(), sink -> {
            String prefix = prefix(s.prefix(), width);
            engine.streamLogs(s.container().id(), since, options.tail(), options.follow(),
                    l -> sink.accept(prefix + scrub.apply(l)));
        })).toList(), options.follow(), out);
    }

    /**
     * Reads the logs one after the other, or, when following several, each in its own thread with whole lines
     * printed as they come (Ctrl-C ends the build and the streams with it). The first failure is thrown.
     */
    public static void readAll(List<Stream> streams, boolean follow, Consumer<String> out) {
        if (!follow || streams.size() == 1) {
            streams.forEach(s -> s.lines().accept(out));
            return;
        }
        List<Thread> readers = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        for (Stream s : streams) {
            Thread t = new Thread(() -> {
                try {
                    s.lines().accept(line -> {
                        synchronized (out) {
                            out.accept(line);
                        }
                    });
                } catch (RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "sancho-logs-" + s.name());
            t.setDaemon(true);
            readers.add(t);
            t.start();
        }
        for (Thread t : readers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** A line's prefix, {@code <service>-<replica>} padded to the widest one, then {@code " | "}. */
    public static String prefix(String name, int width) {
        return name + " ".repeat(Math.max(0, width - name.length())) + " | ";
    }

    /** The stack's service named {@code service}, else a one-line error naming the parameter and the services. */
    public static StackService declared(Stack stack, String service) {
        return stack.service(service).orElseThrow(() -> new ConfigException("parameter service (sancho.service) is \""
                + service + "\": the stack has " + String.join(", ",
                        stack.services().stream().map(StackService::name).toList())));
    }

    /** The containers to read: the current deploy's (or one service's), in service then replica order. */
    static List<Source> sources(DockerEngine engine, Stack stack, String service) {
        if (service != null) {
            StackService declared = declared(stack, service);
            if (declared.infra()) {
                String name = declared.containerName();
                ContainerInfo c = engine.findContainer(name)
                        .filter(found -> stack.project().equals(found.label(Labels.PROJECT))
                                && ProjectIdentity.belongs(found.label(Labels.IDENTITY), stack.identity()))
                        .orElseThrow(() -> new CheckFailedException("infrastructure container " + name + " of project "
                                + stack.project() + " does not exist (mvn sancho:status; mvn sancho:recover)"));
                return List.of(new Source(service, c));
            }
        }
        DeployHistory history = StateReader.history(engine, stack.project());
        DeployHistory.Deploy current = history.current().orElseThrow(() -> new CheckFailedException(
                "no deploy of project " + stack.project() + " is running on " + engine.address()
                        + " (mvn sancho:status shows the kept ones)"));
        Map<String, List<ContainerInfo>> byService = new LinkedHashMap<>();
        current.containers().stream()
                .filter(c -> ProjectIdentity.belongs(c.label(Labels.IDENTITY), stack.identity()))
                .filter(c -> service == null || service.equals(c.label(Labels.SERVICE)))
                .sorted(Comparator.comparing((ContainerInfo c) -> String.valueOf(c.label(Labels.SERVICE)))
                        .thenComparingInt((ContainerInfo c) -> c.name().length()).thenComparing(ContainerInfo::name))
                .forEach(c -> byService.computeIfAbsent(c.label(Labels.SERVICE), k -> new ArrayList<>()).add(c));
        if (byService.isEmpty()) {
            throw new CheckFailedException("the current deploy " + current.id() + " of project " + stack.project()
                    + " has no container" + (service == null ? "" : " of service " + service) + " (it has "
                    + new TreeSet<>(current.containers().stream().map(c -> c.label(Labels.SERVICE)).toList()) + ")");
        }
        List<Source> out = new ArrayList<>();
        byService.forEach((s, containers) -> {
            for (int i = 0; i < containers.size(); i++) {
                out.add(new Source(s + "-" + (i + 1), containers.get(i)));
            }
        });
        return out;
    }
}
