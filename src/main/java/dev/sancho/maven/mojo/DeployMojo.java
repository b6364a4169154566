package dev.sancho.maven.mojo;

import dev.sancho.maven.core.BackupMode;
import dev.sancho.maven.core.DeployRun;
import dev.sancho.maven.core.ProxyWaits;
import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.core.VerifyOptions;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.EngineUnreachableException;
import dev.sancho.maven.plan.DeployOptions;
import dev.sancho.maven.plan.Stack;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deploys the stack: the runbook's whole deploy process in one command. Builds the images of services with
 * {@code build:}, then runs pre-deploy-cleanup, ensure-volume, the deploy itself and verify, in that order, under
 * the project's deploy lock. Bound to a lifecycle phase next to executions of {@code build},
 * {@code pre-deploy-cleanup}, {@code ensure-volume} or {@code verify}, it leaves those steps to their own goals
 * ({@code sancho.deployOnly} leaves out all but the build).
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class DeployMojo extends AbstractCleaningMojo {

    /** Named volumes to ensure besides the compose file's (comma-separated on the command line). */
    @Parameter(property = "sancho.volumes")
    protected List<String> volumes;

    /**
     * How long started containers may take to become healthy (or running, without healthcheck): a deploy's new ones,
     * each dependency a {@code condition: service_healthy} waits for, a rollback's target, recovered infrastructure.
     * Seconds or a duration ({@code 90s}, {@code 2m}).
     */
    @Parameter(property = "sancho.healthTimeout", defaultValue = Readiness.HEALTH_TIMEOUT)
    protected String healthTimeout;

    /** How long a container without healthcheck must stay running to count as ready (seconds or a duration). */
    @Parameter(property = "sancho.minReadySeconds", defaultValue = Readiness.MIN_READY)
    protected String minReadySeconds;

    /**
     * The longest the previous deploy drains after it left DNS: it stops as soon as it has no open connection left
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
     * follows the engine's events: no DNS wait, no drain; the previous deploy stops {@code sancho.proxyResolveInterval}
     * (Traefik's throttle) plus 1 s after the new one is ready),
     * {@code none} (nothing caches DNS answers: no DNS wait; the drain lasts until the open connections are gone).
     */
    @Parameter(property = "sancho.proxy", defaultValue = Readiness.PROXY)
    protected String proxy;

    /**
     * Run only the deploy step (no pre-deploy-cleanup, ensure-volume, verify): for a pom that binds those goals
     * to lifecycle phases itself.
     */
    @Parameter(property = "sancho.deployOnly", defaultValue = "false")
    protected boolean deployOnly;

    /**
     * Build nothing: deploy the per-deploy tag prepared by {@code sancho:build} with the same deploy id, else the
     * service's {@code image:}.
     */
    @Parameter(property = "sancho.skipBuild", defaultValue = "false")
    protected boolean skipBuild;

    /**
     * After the build, push each built image to the registry its {@code image:} names: the per-deploy tag
     * ({@code image:}'s repository with the deploy id as tag) and the {@code image:} tag. The deploy then runs the
     * pushed reference, so an engine that did not build it pulls it. A failed push stops before any container
     * changes. Docker Hub only for a name with an account ({@code user/app}).
     */
    @Parameter(property = "sancho.push", defaultValue = "false")
    protected boolean push;

    /**
     * Create a missing {@code external: true} volume of the compose file although the project has been deployed on
     * this engine before. By default only the project's first deploy on an engine creates one: later, a missing
     * external volume is a typo or lost data, and the deploy refuses in one line before changing anything.
     * {@code sancho:ensure-volume} run on the command line always creates them (bound to a phase it follows this rule).
     */
    @Parameter(property = "sancho.createExternalVolumes", defaultValue = "false")
    protected boolean createExternalVolumes;

    /**
     * When the deploy backs up the infrastructure services with {@code x-sancho-backup} (each proven restorable
     * before the deploy changes anything): {@code auto} before a deploy that runs a one-shot job (a service others
     * wait for with {@code condition: service_completed_successfully}, e.g. a migration), {@code always} before every
     * deploy, {@code skip} never.
     */
    @Parameter(property = "sancho.backup", defaultValue = "auto")
    protected String backup;

    /**
     * Extra checks of the verify step: {@code <probe><exec>} runs a command in a service's container,
     * {@code <probe><http>} sends a GET to a port published on 127.0.0.1 (see {@code sancho:verify}).
     */
    @Parameter
    protected List<Probe> probes;

    private DeployRun.Steps steps() {
        Set<String> bound = goalsBoundInThisBuild();
        DeployRun.Steps steps = new DeployRun.Steps(!skipBuild && !bound.contains("build"),
                !deployOnly && !bound.contains("pre-deploy-cleanup"),
                !deployOnly && !bound.contains("ensure-volume"), !deployOnly && !bound.contains("verify"));
        Set<String> byBinding = new LinkedHashSet<>(steps.left());
        byBinding.retainAll(bound);
        if (!byBinding.isEmpty()) {
            getLog().info("sancho:deploy: " + String.join(", ", byBinding) + " run as goals of their own in this"
                    + " build (executions in the pom); this one does the rest");
        }
        return steps;
    }

    @Override
    protected void run() {
        Instant started = Instant.now();
        validateLocking();
        DeployOptions opts = new DeployOptions(keep, Readiness.healthTimeout(healthTimeout),
                Readiness.minReady(minReadySeconds),
                Readiness.drain(drainSeconds),
                started, Set.of(), deployId != null && !deployId.isBlank(), provenance().labels());
        ProxyWaits waits = Readiness.waits(proxy, proxyResolveInterval, drainSeconds);
        List<VerifyOptions.Probe> checks = Probe.toProbes(probes);
        DeployRun.Steps steps = steps();
        Stack declared = loadStack();
        BackupMode backupMode = BackupMode.parse(backup);
        DeployRun.Request request = new DeployRun.Request(declared, steps, opts, lockOptions(), volumes,
                System.getenv(), maskedVariables(), checks, dryRun, waits, push, createExternalVolumes, backupMode);
        try (DockerEngine engine = connect()) {
            DeployRun.Result result;
            try {
                result = target().deploy(engine, request, log());
            } catch (RuntimeException e) {
                Map<String, Object> failed = ResultFile.deploy(target().name(), declared.project(),
                        declared.deployId(), "failed", null, e.getMessage());
                if (!dryRun && !(e instanceof EngineUnreachableException)) {
                    failed.put("audit", audit(engine, declared.project(), declared.identity(), declared.deployId(),
                            "failed", started, e.getMessage(), Map.of()));
                }
                writeResult(failed);
                throw e;
            }
            Map<String, Object> done = ResultFile.deploy(target().name(), declared.project(), result.deployId(),
                    dryRun ? "dry-run" : "deployed", result, null);
            if (!dryRun) {
                done.put("audit", audit(engine, declared.project(), declared.identity(), result.deployId(),
                        "deployed", started, null, Map.of()));
            }
            writeResult(done);
            rememberForThisBuild(DEPLOYED_IN_THIS_BUILD, dryRun ? DRY_RUN_DEPLOY : result.deployId());
        }
    }
}
