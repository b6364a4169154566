package dev.sancho.maven.mojo;

import dev.sancho.maven.docker.DockerConnect;
import dev.sancho.maven.docker.DockerEngine;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that talk to a Docker engine (every goal but {@code config}). */
abstract class AbstractEngineMojo extends AbstractSanchoMojo {

    /** Docker engine address; else DOCKER_HOST, else the current Docker context, else the local socket. */
    @Parameter(property = "sancho.dockerHost")
    protected String dockerHost;

    /**
     * What the stack is deployed onto: {@code engine} (one Docker engine, containers) or {@code swarm} (the engine is
     * a Swarm manager; services, see README "Swarm").
     */
    @Parameter(property = "sancho.target", defaultValue = "engine")
    protected String target;

    /** Goals that know the swarm target override this; the others refuse it rather than act on one engine. */
    protected boolean supportsSwarm() {
        return false;
    }

    /** True for {@code <target>swarm</target>}; fails in one line for a value that is neither. */
    protected boolean swarmTarget() {
        if (target == null || target.isBlank() || target.equals("engine")) {
            return false;
        }
        if (target.equals("swarm")) {
            return true;
        }
        throw new dev.sancho.maven.common.ConfigException("parameter target (sancho.target) is \"" + target
                + "\": use engine (one Docker engine) or swarm (a Swarm manager)");
    }

    /** Connects to the engine; the caller closes it. Fails with one line naming the address when unreachable. */
    protected DockerEngine connect() {
        if (swarmTarget() && !supportsSwarm()) {
            throw new dev.sancho.maven.common.ConfigException("this goal does not support <target>swarm</target>"
                    + " (sancho.target) yet: on a swarm use deploy, verify, status, rollback or ensure-volume");
        }
        DockerEngine engine = DockerConnect.connect(dockerHost, System.getenv());
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
