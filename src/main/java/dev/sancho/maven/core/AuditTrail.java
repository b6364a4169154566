package dev.sancho.maven.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.ContainerFile;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.NameConflictException;
import dev.sancho.maven.docker.VolumeInfo;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.ProjectIdentity;
import dev.sancho.maven.plan.Safety;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The project's audit trail, kept on the engine so that every deployer (a laptop, each CI runner) sees the same
 * history, and kept apart from the deploys so that {@code keep} and cleanup never shorten it: a named volume
 * {@code <project>_sancho_audit} (labelled, never removed, like every volume) holding one JSON file per record in a
 * ring of {@link #CAPACITY} slots ({@code records/NNNN.json}, the slot of record {@code seq} is {@code seq % CAPACITY})
 * and the last sequence number ({@code head}). Bounded: at most {@code CAPACITY} records of at most a few KB.
 *
 * <p>The volume is read and written through a helper container that is created, never started, and removed by id at
 * once: {@code <project>_sancho_audit}, from the deploy lock's image ({@code FROM scratch}, built once per engine; no
 * registry, no shell), mounting the volume. The engine copies files into and out of a created container's volumes, so
 * this works over every transport (unix socket, tcp+TLS, ssh://). Its fixed name is the store's mutex: a second writer
 * waits for the first (a create with a taken name fails atomically); one left behind by a killed build is removed when
 * older than {@link #STALE_HELPER}, only when it is exactly this project's helper ({@link Safety#removableAuditHelper}).
 *
 * <p>Every record passes the build's secret scrubber before it is written; an append never fails the goal it records
 * (it warns: the deploy happened whether or not its record could be written).
 */
public final class AuditTrail {
    /** Records kept; the oldest slot is overwritten by the next one. */
    public static final int CAPACITY = 1000;
    /** Where the helper mounts the volume. */
    static final String MOUNT = "/sancho-audit";
    /** A helper lives a second or two; one older than this belongs to a build that was killed while writing. */
    static final Duration STALE_HELPER = Duration.ofSeconds(60);
    /** How long a writer waits for another one. */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** The longest text of a record field (an error message): records stay small, the store bounded. */
    static final int MAX_TEXT = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditTrail() {}

    /** The volume holding the trail (and the name of the helper container that reads and writes it). */
    public static String volumeName(String project) {
        return project + "_sancho_audit";
    }

    /**
     * A record of one goal run. Field order is the order in the JSON; null values are kept (as null) so every record
     * has the same fields.
     */
    public static Map<String, Object> record(String goal, String target, String project, String identity,
            String deployId, String outcome, Instant started, Instant ended, Provenance who, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", started.toString());
        m.put("goal", goal);
        m.put("target", target);
        m.put("project", project);
        m.put("identity", identity);
        m.put("deployId", deployId);
        m.put("outcome", outcome);
        m.put("seconds", Math.round(Duration.between(started, ended).toMillis() / 100.0) / 10.0);
        m.put("user", who.user());
        m.put("host", who.host());
        Map<String, Object> ci = new LinkedHashMap<>();
        ci.put("system", who.ci());
        ci.put("job", who.ciJob());
        ci.put("url", who.ciUrl());
        m.put("ci", who.ci() == null ? null : ci);
        Map<String, Object> git = new LinkedHashMap<>();
        git.put("commit", who.commit());
        git.put("dirty", who.dirty());
        m.put("git", who.commit() == null ? null : git);
        m.put("images", new LinkedHashMap<String, Object>());
        m.put("error", error == null ? null : shorten(error));
        return m;
    }

    /**
     * The images a deploy's app containers run, per service ({@code image} as named, {@code id} the engine's image
     * id): what a deploy or rollback record says was put in service.
     */
    public static Map<String, Object> images(DockerEngine engine, String project, String identity, String deployId) {
        Map<String, Object> out = new TreeMap<>();
        if (deployId == null) {
            return out;
        }
        Optional<DeployHistory.Deploy> d = StateReader.history(engine, project).find(deployId);
        d.ifPresent(deploy -> deploy.containers().stream()
                .filter(c -> ProjectIdentity.belongs(c.label(Labels.IDENTITY), identity))
                .sorted(Comparator.comparing(ContainerInfo::name))
                .forEach(c -> {
                    Map<String, Object> image = new LinkedHashMap<>();
                    image.put("image", c.image());
                    image.put("id", c.imageId());
                    out.putIfAbsent(c.label(Labels.SERVICE), image);
                }));
        return new LinkedHashMap<>(out);
    }

    /**
     * Appends the record (its {@code seq} is set here); warns and returns false when it could not be written. The
     * record is scrubbed before it leaves this process.
     */
    public static boolean append(DockerEngine engine, String project, String identity, Map<String, Object> record,
            UnaryOperator<String> scrub, Log log) {
        String volume = volumeName(project);
        try {
            Optional<VolumeInfo> existing = engine.findVolume(volume);
            if (identity == null && existing.isPresent()) {
                identity = existing.get().labels().get(Labels.IDENTITY); // only the project's name is known (unlock)
            }
            if (existing.isPresent() && !ProjectIdentity.belongs(existing.get().labels().get(Labels.IDENTITY),
                    identity)) {
                log.warn("Not recording this " + record.get("goal") + " in the audit trail: volume " + volume
                        + " belongs to another project of the same name (" + Labels.IDENTITY + "="
                        + existing.get().labels().get(Labels.IDENTITY) + ")");
                return false;
            }
            if (existing.isEmpty()) {
                engine.createVolume(volume, null, Map.of(), labels(project, identity));
            }
            Optional<String> helper = helper(engine, project, identity, log);
            if (helper.isEmpty()) {
                return false;
            }
            try {
                long seq = head(engine, helper.get()) + 1;
                String json = serialize(record, seq, scrub);
                engine.copyToContainer(helper.get(), List.of(
                        ContainerFile.text(slot(seq), json, 0644, 0, 0),
                        ContainerFile.text(MOUNT + "/head", seq + "\n", 0644, 0, 0)));
                log.debug("audit: record " + seq + " written to volume " + volume);
                return true;
            } finally {
                removeHelper(engine, helper.get(), project, identity);
            }
        } catch (RuntimeException e) {
            log.warn("Could not append this " + record.get("goal") + " to the audit trail (volume " + volume + "): "
                    + scrub.apply(String.valueOf(e.getMessage())));
            return false;
        }
    }

    /**
     * Every record of the project's trail (of this identity, or of none), newest first; empty when it has none yet.
     */
    public static List<Map<String, Object>> read(DockerEngine engine, String project, String identity, Log log) {
        Optional<VolumeInfo> volume = engine.findVolume(volumeName(project));
        if (volume.isEmpty()) {
            return List.of();
        }
        String labelled = volume.get().labels().get(Labels.IDENTITY);
        if (identity != null && !ProjectIdentity.belongs(labelled, identity)) {
            log.warn("Volume " + volumeName(project) + " holds the audit trail of another project of the same name ("
                    + Labels.IDENTITY + "=" + labelled + "); this project (" + identity + ") has none on this engine");
            return List.of();
        }
        String owner = identity != null ? identity : labelled;
        Optional<String> helper = helper(engine, project, owner, log);
        if (helper.isEmpty()) {
            return List.of();
        }
        List<ContainerFile> files;
        try {
            files = engine.readFiles(helper.get(), MOUNT + "/records").orElse(List.of());
        } finally {
            removeHelper(engine, helper.get(), project, owner);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        files.forEach(f -> parse(f.content(), f.target(), identity, log).ifPresent(out::add));
        return newestFirst(out);
    }

    /**
     * The record as stored: numbered {@code seq} (set on the record too, for the goal's result file), scrubbed of
     * the build's secret values, as JSON. Every store (a volume here, swarm configs) writes this.
     */
    public static String serialize(Map<String, Object> record, long seq, UnaryOperator<String> scrub) {
        record.put("seq", seq);
        return ResultFile.json(record, scrub) + "\n";
    }

    /** A stored record, when it is one of this identity's (or {@code identity} is null); empty, logged, if unreadable. */
    public static Optional<Map<String, Object>> parse(byte[] stored, String where, String identity, Log log) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = JSON.readValue(stored, LinkedHashMap.class);
            return identity == null || ProjectIdentity.belongs((String) r.get("identity"), identity) ? Optional.of(r)
                    : Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            log.debug("audit: skipping unreadable record " + where + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The records by sequence number, newest first. */
    public static List<Map<String, Object>> newestFirst(List<Map<String, Object>> records) {
        List<Map<String, Object>> out = new ArrayList<>(records);
        out.sort(Comparator.comparingLong(AuditTrail::seq).reversed());
        return out;
    }

    static long seq(Map<String, Object> r) {
        Object s = r.get("seq");
        return s instanceof Number n ? n.longValue() : -1;
    }

    static String slot(long seq) {
        return String.format("%s/records/%04d.json", MOUNT, seq % CAPACITY);
    }

    private static long head(DockerEngine engine, String helper) {
        Optional<List<ContainerFile>> head = engine.readFiles(helper, MOUNT + "/head");
        if (head.isEmpty() || head.get().isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(new String(head.get().get(0).content(), StandardCharsets.UTF_8).strip());
        } catch (NumberFormatException e) {
            throw new DockerOperationException("the audit trail's head file is damaged (" + e.getMessage() + ")");
        }
    }

    /** The labels of the store (and of each swarm record): project, identity when known, role audit. */
    public static Map<String, String> labels(String project, String identity) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, project);
        if (identity != null) {
            labels.put(Labels.IDENTITY, identity);
        }
        labels.put(Labels.ROLE, Labels.ROLE_AUDIT);
        return labels;
    }

    /**
     * Creates the helper (waiting while another build's helper exists, removing one left behind by a killed build);
     * empty, with a warning, when the engine's architecture has no helper image.
     */
    private static Optional<String> helper(DockerEngine engine, String project, String identity, Log log) {
        Optional<String> image = DeployLock.lockImage(engine, log);
        if (image.isEmpty()) {
            log.warn("The audit trail is not kept on the engine at " + engine.address() + ": its architecture "
                    + engine.architecture() + " has no helper image");
            return Optional.empty();
        }
        String name = volumeName(project);
        ContainerSpec spec = new ContainerSpec(name, image.get(), null, List.of(), Map.of(), labels(project, identity),
                List.of(), List.of(new ContainerSpec.Mount("volume", name, MOUNT, false)), Map.of(), null, null, null,
                null, null, List.of(), null, null);
        long deadline = Time.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return Optional.of(engine.createContainer(spec));
            } catch (NameConflictException taken) {
                Optional<ContainerInfo> other = engine.findContainer(name);
                if (other.isPresent() && !Safety.removableAuditHelper(other.get(), name, project, identity)) {
                    throw new DockerOperationException("container " + name + " exists but is not the audit trail"
                            + " helper of project " + project + " (" + Labels.IDENTITY + "="
                            + other.get().label(Labels.IDENTITY) + "): rename or remove it yourself");
                }
                if (other.isPresent() && other.get().created() != null
                        && Duration.between(other.get().created(), engine.clock()).compareTo(STALE_HELPER) > 0) {
                    log.debug("audit: removing the helper " + name + " a killed build left behind");
                    removeHelper(engine, other.get().id(), project, identity);
                    continue;
                }
                if (Time.nanoTime() > deadline) {
                    throw new DockerOperationException("container " + name + " (another build's access to the audit"
                            + " trail) stayed for " + WAIT.toSeconds() + " s");
                }
                Time.sleep(Duration.ofMillis(200), "the audit trail");
            }
        }
    }

    private static void removeHelper(DockerEngine engine, String id, String project, String identity) {
        Optional<ContainerInfo> c = engine.inspectContainer(id);
        if (c.isEmpty()) {
            return;
        }
        Safety.requireRemovableAuditHelper(c.get(), volumeName(project), project, identity);
        engine.removeContainer(id);
    }

    private static String shorten(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
