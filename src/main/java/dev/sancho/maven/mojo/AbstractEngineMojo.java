package dev.sancho.maven.mojo;

import dev.sancho.maven.docker.DockerConnect;
import dev.sancho.maven.docker.DockerEngine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that talk to a Docker engine (every goal but {@code config}). */
abstract class AbstractEngineMojo extends AbstractSanchoMojo {

    /** Docker engine address; else DOCKER_HOST, else the current Docker context, else the local socket. */
    @Parameter(property = "sancho.dockerHost")
    protected String dockerHost;

    /** The connection started by {@link #beforeRun()}, until {@link #connect()} takes it. */
    private CompletableFuture<DockerEngine> early;

    /**
     * Starts connecting on another thread while the goal reads its compose file: setting up the Docker client and
     * its first request (class loading, JSON mapping) is the costliest part of a goal's start, and the two are
     * independent. Nothing is sent but the ping; a bad address or an unreachable engine is reported by
     * {@link #connect()}, so a broken compose file is still the error a goal reports first.
     */
    @Override
    protected void beforeRun() {
        early = CompletableFuture.supplyAsync(this::open, task -> {
            Thread t = new Thread(task, "sancho-connect");
            t.setDaemon(true);
            t.start();
        });
    }

    /** An engine the goal never took (it failed before it connected) is closed. */
    @Override
    protected void afterRun() {
        CompletableFuture<DockerEngine> f = early;
        early = null;
        if (f != null) {
            f.whenComplete((engine, failure) -> {
                if (engine != null) {
                    engine.close();
                }
            });
        }
    }

    /** Connects to the engine; the caller closes it. Fails with one line naming the address when unreachable. */
    protected DockerEngine connect() {
        CompletableFuture<DockerEngine> f = early;
        early = null;
        if (f == null) {
            return open();
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private DockerEngine open() {
        DockerEngine engine = DockerConnect.connect(dockerHost, System.getenv());
        try {
            engine.ping();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
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
