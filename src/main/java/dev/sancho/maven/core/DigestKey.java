package dev.sancho.maven.core;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.NameConflictException;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.VolumeInfo;
import dev.sancho.maven.plan.Digests;
import dev.sancho.maven.plan.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The project's digest key ({@link Digests}), kept on the engine it keys: created once by the first deploy that
 * needs it, read by every later one, never printed. On one engine it is a label of an empty volume,
 * {@code <project>_sancho_digest_key} (volumes are the one object sancho never removes; nothing mounts it); on a
 * swarm a config, {@code sancho-digest-key-<project>} (cluster-wide, whichever manager is asked). Whoever can read
 * it can read the containers' environment anyway; whoever reads only a CI log or a label exporter cannot use the
 * digests there to test guesses.
 *
 * <p>Creating it is race-free: the engine answers a volume create for a taken name with the existing volume, and a
 * swarm refuses a taken config name; either way the key read back afterwards is the one every run uses.
 */
public final class DigestKey {
    private DigestKey() {}

    public static String volumeName(String project) {
        return project + "_sancho_digest_key";
    }

    public static String configName(String project) {
        return "sancho-digest-key-" + project;
    }

    /** The key on this engine, if a deploy created it. */
    public static Optional<Digests> find(DockerEngine engine, String project) {
        return engine.findVolume(volumeName(project)).flatMap(v -> parse(v.labels(), project));
    }

    /** The key on this engine, or this process's own while there is none (see {@link Digests#unsaved()}). */
    public static Digests findOrUnsaved(DockerEngine engine, String project) {
        return find(engine, project).orElseGet(Digests::unsaved);
    }

    /** The key on this engine, created when absent. */
    public static Digests ensure(DockerEngine engine, String project, Log log) {
        Optional<Digests> found = find(engine, project);
        if (found.isPresent()) {
            return found.get();
        }
        String name = volumeName(project);
        VolumeInfo v = engine.createVolume(name, "local", Map.of(), labels(project, Digests.newKey()));
        Digests created = parse(v.labels(), project).or(() -> find(engine, project)).orElseThrow(() ->
                new ConfigException("volume " + name + " exists but holds no digest key of project " + project
                        + " (made by hand?): sancho keeps the project's key for the digests in labels there; remove"
                        + " it if it is empty (docker volume rm " + name + ") and deploy again"));
        log.info("Created volume " + name + ": the project's key for the digests in labels (" + Labels.DIGEST_KEY_ID
                + " " + created.id() + "); keep it, like the data volumes");
        return created;
    }

    /** On a swarm: the key, if a deploy created it. */
    public static Optional<Digests> find(SwarmEngine swarm, String project) {
        return swarm.findConfig(configName(project)).flatMap(c -> parseConfig(c, project));
    }

    public static Digests findOrUnsaved(SwarmEngine swarm, String project) {
        return find(swarm, project).orElseGet(Digests::unsaved);
    }

    /** On a swarm: the key, created when absent. */
    public static Digests ensure(SwarmEngine swarm, String project, Log log) {
        Optional<Digests> found = find(swarm, project);
        if (found.isPresent()) {
            return found.get();
        }
        String name = configName(project);
        byte[] key = Digests.newKey();
        Map<String, String> labels = labels(project, key);
        labels.remove(Labels.DIGEST_KEY); // the key is the config's data here
        try {
            swarm.createConfig(name, labels, Base64.getEncoder().encode(key));
            log.info("Created swarm config " + name + ": the project's key for the digests in labels and secret"
                    + " names; keep it");
        } catch (NameConflictException raced) {
            // another deploy created it meanwhile: use theirs
        }
        return find(swarm, project).orElseThrow(() -> new ConfigException("swarm config " + name + " exists but holds"
                + " no digest key of project " + project + " (made by hand?): sancho keeps the project's key for the"
                + " digests in labels there; remove it (docker config rm " + name + ") and deploy again"));
    }

    private static Map<String, String> labels(String project, byte[] key) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, project);
        labels.put(Labels.ROLE, Labels.ROLE_DIGEST_KEY);
        labels.put(Labels.DIGEST_KEY, Base64.getEncoder().encodeToString(key));
        return labels;
    }

    private static Optional<Digests> parse(Map<String, String> labels, String project) {
        if (labels == null || !project.equals(labels.get(Labels.PROJECT))) {
            return Optional.empty();
        }
        return decode(labels.get(Labels.DIGEST_KEY));
    }

    private static Optional<Digests> parseConfig(SwarmInfos.Config c, String project) {
        if (!project.equals(c.labels().get(Labels.PROJECT)) || c.data() == null) {
            return Optional.empty();
        }
        return decode(new String(c.data(), StandardCharsets.US_ASCII).trim());
    }

    private static Optional<Digests> decode(String base64) {
        try {
            return base64 == null ? Optional.empty() : Optional.of(Digests.keyed(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
