package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.core.Upgrade;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.UpgradePlanner;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Applies an infrastructure service's drift on purpose (a new PostgreSQL or proxy image, a changed setting): under
 * the deploy lock, the current container leaves its fixed name for {@code <name>_pre_<id>} and stops gracefully
 * (restart policy {@code no}), a new one is created under the fixed name from the compose file on the same volumes
 * and networks, started, health-gated and verified. If it does not become ready it is removed and the previous one
 * gets its name back and runs again, same id, same data. The previous one is kept, stopped, so
 * {@code -Dsancho.revert} can go back; {@code -Dsancho.confirm} (or the next upgrade) removes it. Never two
 * containers of one service run at once.
 */
@Mojo(name = "upgrade", threadSafe = true)
public class UpgradeMojo extends AbstractLockingMojo {

    /**
     * The infrastructure services to act on, comma-separated ({@code db,proxy}); default: every infrastructure
     * service that differs from the compose file (with {@code sancho.revert}: that has an upgrade to revert; with
     * {@code sancho.confirm}: that has a container kept by an upgrade).
     */
    @Parameter(property = "sancho.services")
    protected String services;

    /** Go back one upgrade: the container the current one superseded gets the fixed name back, health-gated. */
    @Parameter(property = "sancho.revert", defaultValue = "false")
    protected boolean revert;

    /** The upgrade is good: remove the container it kept for a revert. Nothing else changes. */
    @Parameter(property = "sancho.confirm", defaultValue = "false")
    protected boolean confirm;

    /** How long the new (or reverted) container may take to become healthy (seconds or a duration). */
    @Parameter(property = "sancho.healthTimeout", defaultValue = Readiness.HEALTH_TIMEOUT)
    protected String healthTimeout;

    /** Without a healthcheck: how long a container must stay running to count as ready (seconds or a duration). */
    @Parameter(property = "sancho.minReadySeconds", defaultValue = Readiness.MIN_READY)
    protected String minReadySeconds;

    @Override
    protected void run() {
        validateLocking();
        if (revert && confirm) {
            throw new ConfigException("parameters revert (sancho.revert) and confirm (sancho.confirm) exclude each"
                    + " other: revert goes back to the previous container, confirm removes it");
        }
        UpgradePlanner.Mode mode = revert ? UpgradePlanner.Mode.REVERT
                : confirm ? UpgradePlanner.Mode.CONFIRM : UpgradePlanner.Mode.UPGRADE;
        Upgrade.Options options = new Upgrade.Options(mode, serviceList(), dryRun,
                Readiness.healthTimeout(healthTimeout), Readiness.minReady(minReadySeconds), maskedVariables(),
                Upgrade.BackupBeforeStop.defined(maskedVariables()));
        Stack stack = loadStack();
        String modeName = mode.name().toLowerCase(java.util.Locale.ROOT);
        try (DockerEngine engine = connect()) {
            Upgrade.Result result;
            try {
                result = target().upgrade(engine, stack, options, lockOptions(), log());
            } catch (RuntimeException e) {
                writeResult(ResultFile.upgrade(target().name(), stack.project(), "failed", modeName, null,
                        e.getMessage()));
                throw e;
            }
            writeResult(ResultFile.upgrade(target().name(), stack.project(), dryRun ? "dry-run"
                    : result.steps().isEmpty() ? "nothing-to-do" : "done", modeName, result, null));
        }
    }

    private List<String> serviceList() {
        if (services == null || services.isBlank()) {
            return List.of();
        }
        return Arrays.stream(services.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
