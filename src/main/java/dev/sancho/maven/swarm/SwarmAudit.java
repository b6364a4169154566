package dev.sancho.maven.swarm;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.core.AuditTrail;
import dev.sancho.maven.docker.NameConflictException;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.ProjectIdentity;
import dev.sancho.maven.plan.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The project's audit trail on a swarm: one swarm config per record, {@code <project>_sancho_audit_<seq>}, labelled
 * with sancho's labels (project, identity, role audit) and {@link Labels#AUDIT_SEQ}. The swarm keeps configs in its
 * raft store, so every manager, and every deployer talking to any of them, sees the same trail; nothing else sancho
 * does on a swarm (deploy records beyond {@code keep}, the lock) touches them. A config is immutable and at most 500
 * KB; a record is a few KB ({@link AuditTrail} shortens its error text). Bounded like the engine's store: after an
 * append the oldest records beyond {@link AuditTrail#CAPACITY} are removed, only configs carrying exactly this
 * project's audit labels.
 *
 * <p>Two writers at once (a rollback while an unlock is recorded; a deploy's lock is released before its record is
 * written) may pick the same number: creating a config whose name is taken fails atomically, so the second one takes
 * the next number. Records are the same as on one engine ({@link AuditTrail#record}, scrubbed before they leave this
 * process); an append never fails the goal it records.
 */
final class SwarmAudit {
    /** Attempts at a free number when other writers keep taking it. */
    static final int ATTEMPTS = 20;

    private SwarmAudit() {}

    static String name(String project, long seq) {
        return AuditTrail.volumeName(project) + "_" + seq;
    }

    /** Appends the record (its {@code seq} is set here); warns and returns false when it could not be written. */
    static boolean append(SwarmEngine swarm, String project, String identity, Map<String, Object> record,
            UnaryOperator<String> scrub, Log log) {
        try {
            List<SwarmInfos.Config> existing = stored(swarm, project);
            if (identity == null) { // only the project's name is known (unlock): the trail's own identity
                identity = existing.stream().map(c -> c.labels().get(Labels.IDENTITY)).filter(Objects::nonNull)
                        .findFirst().orElse(null);
            }
            String owner = identity;
            var other = existing.stream().map(c -> c.labels().get(Labels.IDENTITY))
                    .filter(i -> !ProjectIdentity.belongs(i, owner)).findFirst();
            if (other.isPresent()) {
                log.warn("Not recording this " + record.get("goal") + " in the audit trail: the swarm's configs "
                        + name(project, 1).replaceFirst("_1$", "_*") + " belong to another project of the same name ("
                        + Labels.IDENTITY + "=" + other.get() + ")");
                return false;
            }
            long seq = existing.stream().mapToLong(SwarmAudit::seq).max().orElse(0) + 1;
            for (int attempt = 1; ; attempt++) {
                Map<String, String> labels = AuditTrail.labels(project, identity);
                labels.put(Labels.AUDIT_SEQ, String.valueOf(seq));
                byte[] json = AuditTrail.serialize(record, seq, scrub).getBytes(StandardCharsets.UTF_8);
                try {
                    swarm.createConfig(name(project, seq), labels, json);
                    log.debug("audit: record " + seq + " written to swarm config " + name(project, seq));
                    break;
                } catch (NameConflictException taken) {
                    if (attempt >= ATTEMPTS) {
                        throw taken;
                    }
                    seq++; // another writer took this number a moment ago
                }
            }
            prune(swarm, project, identity, log);
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not append this " + record.get("goal") + " to the audit trail (swarm configs "
                    + AuditTrail.volumeName(project) + "_<n>): " + scrub.apply(String.valueOf(e.getMessage())));
            return false;
        }
    }

    /** Every record of the project's trail (of this identity, or of none), newest first. */
    static List<Map<String, Object>> read(SwarmEngine swarm, String project, String identity, Log log) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SwarmInfos.Config c : stored(swarm, project)) {
            if (identity != null && !ProjectIdentity.belongs(c.labels().get(Labels.IDENTITY), identity)) {
                continue;
            }
            AuditTrail.parse(c.data() == null ? new byte[0] : c.data(), "config " + c.name(), identity, log)
                    .ifPresent(out::add);
        }
        return AuditTrail.newestFirst(out);
    }

    /**
     * The images the services of a deploy run, per compose service, as the engine's record has them ({@code id} is
     * null: a swarm task's image is resolved on its node).
     */
    static Map<String, Object> images(SwarmEngine swarm, String project, String deployId) {
        Map<String, Object> out = new TreeMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, project);
        labels.put(Labels.ROLE, Role.APP.label());
        swarm.listServices(labels).stream().filter(s -> deployId.equals(s.deployId())).forEach(s -> {
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("image", s.image());
            image.put("id", null);
            out.put(s.labels().getOrDefault(Labels.SERVICE, s.name()), image);
        });
        return new LinkedHashMap<>(out);
    }

    /** Removes the oldest records beyond the bound; one another writer removed meanwhile is fine. */
    private static void prune(SwarmEngine swarm, String project, String identity, Log log) {
        List<SwarmInfos.Config> all = new ArrayList<>(stored(swarm, project));
        all.removeIf(c -> !ProjectIdentity.belongs(c.labels().get(Labels.IDENTITY), identity));
        if (all.size() <= AuditTrail.CAPACITY) {
            return;
        }
        all.sort(Comparator.comparingLong(SwarmAudit::seq));
        for (SwarmInfos.Config old : all.subList(0, all.size() - AuditTrail.CAPACITY)) {
            try {
                swarm.removeConfig(old.id());
                log.debug("audit: removed record " + seq(old) + " (beyond " + AuditTrail.CAPACITY + ")");
            } catch (RuntimeException gone) {
                log.debug("audit: record " + old.name() + " not removed: " + gone.getMessage());
            }
        }
    }

    /** The configs that are this project's audit records: its labels, and the name its sequence number gives. */
    private static List<SwarmInfos.Config> stored(SwarmEngine swarm, String project) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.PROJECT, project);
        selector.put(Labels.ROLE, Labels.ROLE_AUDIT);
        return swarm.listConfigs(selector).stream()
                .filter(c -> project.equals(c.labels().get(Labels.PROJECT))
                        && Labels.ROLE_AUDIT.equals(c.labels().get(Labels.ROLE))
                        && seq(c) > 0 && name(project, seq(c)).equals(c.name()))
                .toList();
    }

    static long seq(SwarmInfos.Config c) {
        try {
            return Long.parseLong(c.labels().getOrDefault(Labels.AUDIT_SEQ, ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
