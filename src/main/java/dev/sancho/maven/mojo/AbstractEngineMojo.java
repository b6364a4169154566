package dev.sancho.maven.mojo;

import dev.sancho.maven.docker.DockerConnect;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.RegistryCredentials;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that talk to a Docker engine (every goal but {@code config}). */
abstract class AbstractEngineMojo extends AbstractSanchoMojo {

    /** Docker engine address; else DOCKER_HOST, else the current Docker context, else the local socket. */
    @Parameter(property = "sancho.dockerHost")
    protected String dockerHost;

    /**
     * Connects to the engine; the caller closes it. Fails with one line naming the address when unreachable.
     * Registry credentials: settings.xml servers first, then the docker CLI's config.
     */
    protected DockerEngine connect() {
        DockerEngine engine = DockerConnect.connect(dockerHost, System.getenv(),
                RegistryCredentials.of(RegistryServers.of(settings, settingsDecrypter), System.getenv()));
        engine.ping();
        return engine;
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
