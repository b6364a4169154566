package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.core.Logs;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the logs of the current deploy, like {@code docker compose logs}: every replica of every app service (or of
 * {@code -Dsancho.service}), each line prefixed with its service and replica ({@code backend-2 | ...}). The containers
 * are chosen by this project's labels and identity, never by a name pattern, so another project's container of the
 * same service name never shows up. Secret values are masked. The lines go to standard output (they are the goal's
 * product, also under {@code mvn -q}). Read-only.
 */
@Mojo(name = "logs", threadSafe = true)
public class LogsMojo extends AbstractEngineMojo {

    /**
     * Only this service: an app service of the current deploy (all its replicas) or an infrastructure service (its
     * fixed-name container). Default: every app service.
     */
    @Parameter(property = "sancho.service")
    protected String service;

    /**
     * Only lines written since then: a duration back from now ({@code 10m}, {@code 2h}, {@code 90s}) or a time
     * ({@code 2026-01-31T12:00:00Z}). Default: all.
     */
    @Parameter(property = "sancho.since")
    protected String since;

    /** Only the last this many lines of each container (before following), or {@code all} (the default). */
    @Parameter(property = "sancho.tail", defaultValue = "all")
    protected String tail;

    /** Keep printing new lines until every container stopped or the build is interrupted (Ctrl-C). */
    @Parameter(property = "sancho.follow", defaultValue = "false")
    protected boolean follow;

    @Override
    protected void run() {
        Logs.Options options = new Logs.Options(service == null || service.isBlank() ? null : service.trim(),
                since(since, Instant.now()), tail(tail), follow);
        Stack stack = loadStack();
        try (DockerEngine engine = connect()) {
            target().logs(engine, stack, options, this::scrub, line -> {
                System.out.println(line);
                System.out.flush();
            }, log());
        }
    }

    static Instant since(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.contains("T") || v.matches("\\d{4}-\\d{2}-\\d{2}")) {
            try {
                return v.length() == 10 ? OffsetDateTime.parse(v + "T00:00:00Z").toInstant()
                        : OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                throw new ConfigException("parameter since (sancho.since): '" + value + "' is not a time; write a"
                        + " duration back from now (10m, 2h) or a time like 2026-01-31T12:00:00Z");
            }
        }
        Duration back = DurationParameter.parse("since", v, Duration.ZERO);
        return now.minus(back);
    }

    static Integer tail(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("all")) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException("parameter tail (sancho.tail): '" + value + "' is not a number of lines (0 or"
                    + " more) or all");
        }
    }
}
