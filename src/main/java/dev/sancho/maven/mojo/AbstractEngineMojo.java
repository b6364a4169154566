package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.ShellWords;
import dev.sancho.maven.core.AuditTrail;
import dev.sancho.maven.core.Provenance;
import dev.sancho.maven.core.ResultFile;
import dev.sancho.maven.core.Target;
import dev.sancho.maven.docker.DockerConnect;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.RegistryCredentials;
import dev.sancho.maven.target.Targets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that talk to a Docker engine (every goal but {@code config}). */
abstract class AbstractEngineMojo extends AbstractSanchoMojo {

    /**
     * Docker engine address; else DOCKER_HOST, else the current Docker context, else the local socket.
     * {@code unix:///path/to/docker.sock}, {@code tcp://HOST:PORT} (TLS with DOCKER_TLS_VERIFY, as the docker CLI)
     * or {@code ssh://[USER@]HOST[:PORT][/path/to/docker.sock]} (the system ssh runs {@code docker system
     * dial-stdio} on HOST, like the docker CLI).
     */
    @Parameter(property = "sancho.dockerHost")
    protected String dockerHost;

    /**
     * What the stack is deployed onto: {@code engine} (one Docker engine, containers) or {@code swarm} (the engine is
     * a Swarm manager; services, see the Swarm page of the documentation).
     */
    @Parameter(property = "sancho.target", defaultValue = "engine")
    protected String target;

    private Target chosen;

    /** The target {@code sancho.target} names, parsed once; fails in one line for a value that is neither. */
    protected Target target() {
        if (chosen == null) {
            chosen = Targets.parse(target);
        }
        return chosen;
    }

    @Override
    protected boolean swarmStack() {
        return target().readsComposeForSwarm();
    }

    /** The goal's name as in {@code sancho:<goal>}: the class name, {@code PreDeployCleanupMojo} → pre-deploy-cleanup. */
    protected String goal() {
        String name = getClass().getSimpleName().replaceFirst("Mojo$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private boolean resultWritten;

    /**
     * A goal that failed before it wrote its own result (a bad parameter, an unreadable compose file, an engine it
     * cannot reach) still leaves {@code target/sancho/<goal>.json}, with {@code outcome: failed} and the error line,
     * so CI never reads the result of an earlier build as this one's.
     */
    @Override
    protected void recordFailure(String message) {
        if (!resultWritten) {
            String targetName;
            try {
                targetName = target().name();
            } catch (RuntimeException unparsable) {
                targetName = target;
            }
            writeResult(ResultFile.failed(goal(), targetName, projectNameHint(), message));
        }
    }

    /**
     * Writes the goal's machine-readable result, {@code target/sancho/<goal>.json} (the build directory of the
     * project), every string scrubbed of the secret values this build knows.
     */
    protected void writeResult(java.util.Map<String, Object> result) {
        resultWritten = true;
        java.io.File build = mavenProject == null || mavenProject.getBuild() == null
                || mavenProject.getBuild().getDirectory() == null ? null
                : new java.io.File(mavenProject.getBuild().getDirectory());
        java.nio.file.Path dir = (build != null ? build.toPath() : basedir().resolve("target")).resolve("sancho");
        getLog().debug("sancho: result in " + ResultFile.write(dir, result, this::scrub));
    }

    private Provenance provenance;

    /** Who runs this build and from which commit ({@link Provenance}), scrubbed of secret values; read once. */
    protected Provenance provenance() {
        if (provenance == null) {
            provenance = Provenance.detect(System.getenv(), basedir()).scrubbed(this::scrub);
        }
        return provenance;
    }

    /**
     * Appends this goal's record to the project's audit trail on the engine (never for a dry run: the caller does
     * not call it then) and returns it, for the goal's result file.
     *
     * @param extra fields of this goal (a rollback's {@code from}), added after the common ones
     */
    protected Map<String, Object> audit(DockerEngine engine, String projectName, String owner, String deploy,
            String outcome, Instant started, String error, Map<String, Object> extra) {
        Map<String, Object> record = AuditTrail.record(goal(), target().name(), projectName, owner, deploy, outcome,
                started, Instant.now(), provenance(), error == null ? null : scrub(error));
        record.putAll(extra);
        target().audit(engine, projectName, owner, record, this::scrub, log());
        return record;
    }

    /**
     * Prints a goal's product (a status or history table): through the log, or, when the log is quiet
     * ({@code mvn -q}), straight to standard output, as {@code mvn help:evaluate -q -DforceStdout} does.
     */
    protected void printProduct(List<String> lines) {
        if (getLog().isInfoEnabled()) {
            lines.forEach(getLog()::info);
        } else {
            lines.forEach(l -> System.out.println(scrub(l)));
            System.out.flush();
        }
    }

    /**
     * Extra arguments for {@code ssh} when the engine address is {@code ssh://}, split like a shell would
     * (quotes allowed), e.g. {@code -i ~/.ssh/deploy -o UserKnownHostsFile=known_hosts}. {@code -o BatchMode=yes}
     * is always set, so ssh never prompts; ~/.ssh/config, known_hosts and the agent apply as for {@code ssh}.
     */
    @Parameter(property = "sancho.sshOptions")
    protected String sshOptions;

    /**
     * Connects to the engine; the caller closes it. Fails with one line naming the address when unreachable.
     * Registry credentials: settings.xml servers first, then the docker CLI's config.
     */
    protected DockerEngine connect() {
        target().requireGoal(goal());
        DockerEngine engine = DockerConnect.connect(dockerHost, System.getenv(), sshOptions(),
                RegistryCredentials.of(RegistryServers.of(settings, settingsDecrypter, secrets()::add),
                        System.getenv()));
        try {
            engine.ping();
        } catch (RuntimeException e) {
            engine.close(); // an ssh:// engine has processes to end
            throw e;
        }
        return engine;
    }

    private List<String> sshOptions() {
        if (sshOptions == null || sshOptions.isBlank()) {
            return List.of();
        }
        try {
            return ShellWords.split(sshOptions);
        } catch (ShellWords.UnclosedQuote e) {
            throw new ConfigException("parameter sshOptions (sancho.sshOptions): " + e.getMessage()
                    .replace("command", "value") + ": " + sshOptions);
        }
    }

    @Override
    protected String engineAddressForMessages() {
        try {
            return DockerConnect.resolveAddress(dockerHost, System.getenv());
        } catch (RuntimeException e) {
            return String.valueOf(dockerHost);
        }
    }
}
