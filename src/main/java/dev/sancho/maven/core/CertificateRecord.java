package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.CertificateGuard;
import dev.sancho.maven.plan.CertificateStore.Contents;
import dev.sancho.maven.plan.Labels;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's record that a proxy's certificate store held certificates, so {@code sancho:verify} can tell a store
 * that was lost from one that is new: both look empty. Kept like the digest key ({@link DigestKey}): as labels of an
 * empty volume, {@code <project>_sancho_certs_<service>} (volumes are the one object sancho never removes; nothing
 * mounts it), created once, by a deploy whose verify step finds certificates in the store, and never changed. It
 * says "this store held at least these certificates"; names added later do not matter for that.
 */
final class CertificateRecord {
    private CertificateRecord() {}

    static String volumeName(String project, String service) {
        return project + "_sancho_certs_" + service;
    }

    /** What the store of this proxy service was seen holding, if a deploy recorded it. */
    static Optional<CertificateGuard.Seen> find(DockerEngine engine, String project, String service) {
        return engine.findVolume(volumeName(project, service)).flatMap(v -> parse(v.labels(), project));
    }

    /** Records a store that holds certificates, once: an existing record is kept as it is. */
    static void ensure(DockerEngine engine, String project, String service, Contents store, Instant now, Log log) {
        Optional<CertificateGuard.Seen> seen = CertificateGuard.seen(store, now);
        if (seen.isEmpty() || find(engine, project, service).isPresent()) {
            return;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, project);
        labels.put(Labels.ROLE, Labels.ROLE_CERTIFICATES);
        labels.put(Labels.SERVICE, service);
        labels.put(Labels.CERTIFICATE_NAMES, String.join(",", seen.get().names()));
        labels.put(Labels.CERTIFICATE_COUNT, Integer.toString(seen.get().count()));
        labels.put(Labels.CERTIFICATES_SEEN_AT, now.toString());
        String name = volumeName(project, service);
        engine.createVolume(name, "local", Map.of(), labels);
        log.info("Created volume " + name + ": the record that " + service + "'s certificate store " + store.path()
                + " holds certificates, so verify fails should it ever be empty (keep it, like the data volumes)");
    }

    private static Optional<CertificateGuard.Seen> parse(Map<String, String> labels, String project) {
        if (labels == null || !project.equals(labels.get(Labels.PROJECT))
                || !Labels.ROLE_CERTIFICATES.equals(labels.get(Labels.ROLE))) {
            return Optional.empty();
        }
        try {
            String names = labels.getOrDefault(Labels.CERTIFICATE_NAMES, "");
            return Optional.of(new CertificateGuard.Seen(
                    names.isEmpty() ? java.util.List.of() : Arrays.asList(names.split(",")),
                    Integer.parseInt(labels.getOrDefault(Labels.CERTIFICATE_COUNT, "1")),
                    Instant.parse(labels.get(Labels.CERTIFICATES_SEEN_AT))));
        } catch (NumberFormatException | DateTimeParseException | NullPointerException e) {
            return Optional.empty(); // not a record this version wrote: no evidence either way
        }
    }
}
