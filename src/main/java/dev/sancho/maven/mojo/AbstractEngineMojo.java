package dev.sancho.maven.mojo;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.compose.ShellWords;
import dev.sancho.maven.docker.DockerConnect;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.RegistryCredentials;
import java.util.List;
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

    /** Goals that know the swarm target override this; the others refuse it rather than act on one engine. */
    protected boolean supportsSwarm() {
        return false;
    }

    /** Why a goal that does not support the swarm target refuses it: the end of its one-line message. */
    protected String swarmRefusal() {
        return " yet: on a swarm use deploy, verify, status, rollback, recover, unlock or ensure-volume";
    }

    /** True for {@code <target>swarm</target>}; fails in one line for a value that is neither. */
    protected boolean swarmTarget() {
        return isSwarm(target);
    }

    @Override
    protected boolean swarmStack() {
        return swarmTarget();
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
        if (swarmTarget() && !supportsSwarm()) {
            throw new ConfigException("this goal does not support <target>swarm</target> (sancho.target)"
                    + swarmRefusal());
        }
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
