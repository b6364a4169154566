package dev.sancho.maven.core;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/** What runs now: infrastructure by exact name, then every deploy the labels tell of. Read-only. */
public final class Status {
    static final String CURRENT = "*";
    static final String STRAY = "!";

    private Status() {}

    public static List<String> render(DockerEngine engine, Stack stack) {
        List<String> out = new ArrayList<>();
        out.add("sancho:status — project " + stack.project() + " on " + engine.address());
        out.add("");
        out.add("Infrastructure");
        Table infra = new Table("  NAME", "STATE", "HEALTH", "IMAGE", "CREATED");
        for (StackService s : stack.infrastructure()) {
            Optional<ContainerInfo> c = engine.findContainer(s.containerName())
                    .flatMap(found -> engine.inspectContainer(found.id()));
            if (c.isEmpty()) {
                infra.row("  " + s.containerName(), "MISSING", "-", s.service().image(),
                        "- (mvn sancho:recover recreates it)");
            } else {
                infra.row("  " + s.containerName(), state(c.get()), health(c.get()), c.get().image(),
                        time(c.get().created()));
            }
        }
        if (stack.infrastructure().isEmpty()) {
            out.add("  (no infrastructure services)");
        } else {
            out.addAll(infra.lines());
        }
        out.add("");
        out.add("Deploys (" + CURRENT + " = current, " + STRAY + " = running but not current)");
        DeployHistory history = StateReader.history(engine, stack.project());
        String current = history.current().map(DeployHistory.Deploy::id).orElse(null);
        Set<String> strays = new HashSet<>();
        history.runningOutside(current).forEach(c -> strays.add(c.id()));
        // who deployed and from which commit: columns once a deploy carries them (deploys of earlier versions do not)
        boolean who = history.deploys().stream().flatMap(d -> d.containers().stream())
                .anyMatch(c -> c.label(Provenance.LABEL_DEPLOYED_BY) != null);
        Table deploys = who
                ? new Table("  DEPLOY", "DEPLOYED-AT", "SERVICE", "CONTAINER", "STATE", "HEALTH", "IMAGE", "COMMIT",
                        "BY")
                : new Table("  DEPLOY", "DEPLOYED-AT", "SERVICE", "CONTAINER", "STATE", "HEALTH", "IMAGE");
        for (DeployHistory.Deploy d : history.deploys()) {
            boolean first = true;
            for (ContainerInfo listed : d.containers()) {
                ContainerInfo c = engine.inspectContainer(listed.id()).orElse(listed);
                String[] cells = {first ? (d.id().equals(current) ? CURRENT + " " : "  ") + d.id() : "",
                        first ? time(d.deployedAt()) : "", c.label(Labels.SERVICE), c.name(),
                        state(c) + (strays.contains(c.id()) ? " " + STRAY : ""), health(c), c.image(),
                        first ? Provenance.shortCommit(c.label(Provenance.LABEL_COMMIT),
                                c.label(Provenance.LABEL_DIRTY)) : "",
                        first ? by(c) : ""};
                deploys.row(who ? cells : java.util.Arrays.copyOf(cells, 7));
                first = false;
            }
        }
        if (history.deploys().isEmpty()) {
            out.add("  (no application containers with label sancho.project=" + stack.project() + ")");
        } else {
            out.addAll(deploys.lines());
        }
        history.current().flatMap(d -> d.containers().stream().findFirst()).ifPresent(c -> {
            if (c.label(Provenance.LABEL_DEPLOYED_BY) != null) {
                String commit = c.label(Provenance.LABEL_COMMIT);
                out.add("Current deploy " + current + ": deployed by " + by(c) + (commit == null ? ""
                        : ", commit " + commit + ("true".equals(c.label(Provenance.LABEL_DIRTY))
                                ? " (with uncommitted changes)" : "")));
            }
        });
        if (current == null && !history.deploys().isEmpty()) {
            out.add("No deploy is running.");
        }
        if (!strays.isEmpty()) {
            out.add(STRAY + " " + strays.size() + " container" + (strays.size() == 1 ? "" : "s") + " of deploys other than "
                    + current + " run: mvn sancho:deploy stops them at its cutover (sancho:verify fails until then)");
        }
        return out;
    }

    /** Who deployed it ({@code sancho.deployed-by}, and the CI job), or {@code -} for deploys of earlier versions. */
    private static String by(ContainerInfo c) {
        String by = c.label(Provenance.LABEL_DEPLOYED_BY);
        String ci = c.label(Provenance.LABEL_CI);
        return by == null ? "-" : by + (ci == null ? "" : " (" + ci + ")");
    }

    private static String state(ContainerInfo c) {
        return "exited".equals(c.state()) && c.exitCode() != null && c.exitCode() != 0
                ? "exited(" + c.exitCode() + ")" : c.state();
    }

    /** A stopped container keeps its last health status; showing it would read like a live problem. */
    private static String health(ContainerInfo c) {
        return c.health() == null || !c.running() ? "-" : c.health();
    }

    private static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
