package dev.sancho.maven.mojo;

import dev.sancho.maven.core.ProxyWaits;
import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.core.Rollback;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.docker.EngineUnreachableException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Starts the previous kept deploy (or {@code -Dsancho.rollbackTo=X}), waits until it is healthy, then takes the
 * current one out of service like a deploy's cutover (leave DNS, drain, graceful stop). If the target does not
 * become healthy it is stopped again and the current deploy keeps serving. Removes nothing. Runs under the
 * project's deploy lock, so it never races a deploy.
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractLockingMojo {

    /**
     * The kept deploy to go back to; default: the newest one kept. ({@code sancho.deployId} named it before and still
     * does, with a deprecation warning.)
     */
    @Parameter(property = "sancho.rollbackTo")
    protected String rollbackTo;

    /** How long the target deploy may take to become healthy (seconds or a duration). */
    @Parameter(property = "sancho.healthTimeout", defaultValue = Readiness.HEALTH_TIMEOUT)
    protected String healthTimeout;

    /** Without a healthcheck: how long a container must stay running to count as ready (seconds or a duration). */
    @Parameter(property = "sancho.minReadySeconds", defaultValue = Readiness.MIN_READY)
    protected String minReadySeconds;

    /**
     * The longest the current deploy drains after it left DNS: it stops as soon as it has no open connection left
     * (but not before {@code sancho.proxyResolveInterval}), at the latest after this (or after the interval, if that
     * is longer). Set it to the proxy's re-resolve interval plus your longest request (seconds or a duration, e.g.
     * {@code 1500ms}). With {@code sancho.proxyResolveInterval=0}, 0 stops right away.
     */
    @Parameter(property = "sancho.drainSeconds", defaultValue = Readiness.DRAIN)
    protected String drainSeconds;

    /**
     * The longest the proxy may use a DNS answer before it resolves the service name again: nginx {@code resolver
     * ... valid=Ns} keeps one up to N+1 s (it counts whole seconds: {@code 2s} for {@code valid=1s}), haproxy
     * {@code hold valid}, caddy {@code refresh}. The new deploy has been in DNS that long before
     * the previous one leaves it (counted from when it joins DNS, once it is ready), and the previous one drains
     * at least that long (seconds or a duration). With {@code sancho.proxy=labels}: Traefik's
     * {@code providersThrottleDuration} (its default is 2 s too); the previous deploy stops that long plus 1 s after
     * the new one is ready, so Traefik routes to the new one first.
     */
    @Parameter(property = "sancho.proxyResolveInterval", defaultValue = Readiness.RESOLVE_INTERVAL)
    protected String proxyResolveInterval;

    /**
     * How the proxy finds the app containers: {@code dns} (by service name through Docker's DNS: nginx, haproxy,
     * caddy; the cutover waits {@code sancho.proxyResolveInterval}), {@code labels} (Traefik's Docker provider, which
     * follows the engine's events: no DNS wait, no drain; the current deploy stops {@code sancho.proxyResolveInterval}
     * (Traefik's throttle) plus 1 s after the new one is ready),
     * {@code none} (nothing caches DNS answers: no DNS wait; the drain lasts until the open connections are gone).
     */
    @Parameter(property = "sancho.proxy", defaultValue = Readiness.PROXY)
    protected String proxy;

    @Override
    protected void run() {
        Instant started = Instant.now();
        validateLocking();
        Duration health = Readiness.healthTimeout(healthTimeout);
        Duration minReady = Readiness.minReady(minReadySeconds);
        ProxyWaits waits = Readiness.waits(proxy, proxyResolveInterval, drainSeconds);
        String to = deprecatedAlias("rollbackTo", rollbackTo, "deployId", deployId,
                "names the deploy to go back to");
        Stack stack = loadStack();
        Rollback.Options options = new Rollback.Options(to, dryRun, health, minReady, waits.maxDrain(),
                maskedVariables(), waits);
        try (DockerEngine engine = connect()) {
            Rollback.Result result;
            try {
                result = target().rollback(engine, stack, options, lockOptions(), log());
            } catch (RuntimeException e) {
                Map<String, Object> failed = ResultFile.rollback(target().name(), stack.project(), "failed", null, to,
                        e.getMessage());
                if (!dryRun && !(e instanceof EngineUnreachableException)) {
                    Map<String, Object> extra = new LinkedHashMap<>();
                    extra.put("from", null);
                    failed.put("audit", audit(engine, stack.project(), stack.identity(), to, "failed", started,
                            e.getMessage(), extra));
                }
                writeResult(failed);
                throw e;
            }
            Map<String, Object> done = ResultFile.rollback(target().name(), stack.project(),
                    dryRun ? "dry-run" : "rolled-back", result.from(), result.to(), null);
            if (!dryRun) {
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("from", result.from());
                done.put("audit", audit(engine, stack.project(), stack.identity(), result.to(), "rolled-back",
                        started, null, extra));
            }
            writeResult(done);
        }
    }
}
