package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerFile;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.plan.CertificateGuard;
import dev.sancho.maven.plan.CertificateStore;
import dev.sancho.maven.plan.CertificateStore.Contents;
import dev.sancho.maven.plan.CertificateStore.Format;
import dev.sancho.maven.plan.ProxyStores;
import dev.sancho.maven.plan.Stack;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The certificate stores of a stack's proxies, read THROUGH the engine (an archive read on the proxy container, so
 * a remote engine's host is read, not this machine's disk) and judged by {@link CertificateGuard}: the rows
 * {@code sancho:verify} shows, and the check {@code sancho:recover} makes before it starts a recreated proxy.
 */
final class CertificateChecks {
    private CertificateChecks() {}

    /** The store of one proxy service as read through one of its containers. */
    record Read(ProxyStores.Store store, Contents contents) {}

    /** One row per store and per certificate; warnings (a certificate close to its end) are also logged. */
    static List<Verifier.Check> verify(DockerEngine engine, Stack stack, Log log, Instant now) {
        List<Verifier.Check> out = new ArrayList<>();
        for (ProxyStores.Store store : ProxyStores.of(stack)) {
            String name = stack.service(store.service()).map(s -> s.containerName()).orElse(store.service());
            Optional<ContainerInfo> c = engine.findContainer(name);
            if (c.isEmpty()) {
                continue; // the infra row already fails: no container to read the store through
            }
            Read read = read(engine, c.get().id(), store);
            if (read == null) {
                continue;
            }
            Contents contents = read.contents();
            Optional<CertificateGuard.Seen> seen = CertificateRecord.find(engine, stack.project(), store.service());
            for (CertificateGuard.Finding f : CertificateGuard.judge(store.service(), contents, seen, now)) {
                if (f.warning() != null) {
                    log.warn(f.warning());
                }
                out.add(new Verifier.Check(f.ok(), f.kind(), f.subject(), f.detail()));
            }
        }
        return out;
    }

    /**
     * Records, once per proxy service, that its store holds certificates ({@link CertificateRecord}): a deploy does
     * this after its verify step, so a later verify fails when the store is found empty.
     */
    static void record(DockerEngine engine, Stack stack, Log log, Instant now) {
        for (ProxyStores.Store store : ProxyStores.of(stack)) {
            String name = stack.service(store.service()).map(s -> s.containerName()).orElse(store.service());
            Optional<ContainerInfo> c = engine.findContainer(name);
            Read read = c.isEmpty() ? null : read(engine, c.get().id(), store);
            if (read != null && read.contents().problems().isEmpty()) {
                CertificateRecord.ensure(engine, stack.project(), store.service(), read.contents(), now, log);
            }
        }
    }

    /**
     * Why the stores of a (just created, not yet started) proxy container must not be started on: missing, empty or
     * unreadable. Empty when every store holds a certificate, or the service keeps none.
     */
    static List<String> emptyStores(DockerEngine engine, Stack stack, String service, String containerId) {
        List<String> out = new ArrayList<>();
        for (ProxyStores.Store store : ProxyStores.of(stack)) {
            if (!store.service().equals(service)) {
                continue;
            }
            Read read = read(engine, containerId, store);
            if (read == null) {
                continue;
            }
            Contents c = read.contents();
            if (!c.problems().isEmpty()) {
                out.add(c.path() + " is unreadable (" + String.join("; ", c.problems()) + ")");
            } else if (!c.present()) {
                out.add(c.path() + " does not exist");
            } else if (c.certificates().isEmpty()) {
                out.add(c.path() + " holds no certificate");
            }
        }
        return out;
    }

    /**
     * Reads a store: Caddy's storage option from its config first, then the first of its paths that exists. Null for
     * a Caddy whose config turns automatic HTTPS off: it keeps no certificates.
     */
    static Read read(DockerEngine engine, String containerId, ProxyStores.Store store) {
        try {
            if (store.caddyConfig() != null) {
                Optional<String> config = engine.readFiles(containerId, store.caddyConfig())
                        .flatMap(files -> files.stream().findFirst())
                        .map(f -> new String(f.content(), StandardCharsets.UTF_8));
                if (config.isPresent() && ProxyStores.caddyAutoHttpsOff(config.get())) {
                    return null;
                }
                if (config.isPresent()) {
                    store = store.withCaddyfile(config.get());
                }
            }
            for (String path : store.paths()) {
                Optional<List<ContainerFile>> files = engine.readFiles(containerId, path);
                if (files.isPresent()) {
                    return new Read(store, parse(store.format(), path, files));
                }
            }
            return new Read(store, parse(store.format(), store.paths().get(0), Optional.empty()));
        } catch (DockerOperationException e) {
            return new Read(store, new Contents(store.format(), store.paths().get(0), true, List.of(), null,
                    List.of("cannot read it through the engine: " + e.getMessage())));
        }
    }

    private static Contents parse(Format format, String path, Optional<List<ContainerFile>> files) {
        return format == Format.TRAEFIK
                ? CertificateStore.traefik(path, files.flatMap(f -> f.stream().findFirst()))
                : CertificateStore.caddy(path, files);
    }
}
