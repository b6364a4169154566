package dev.sancho.maven.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A goal's machine-readable result, {@code target/sancho/<goal>.json} (as jib's {@code jib-image.json}): what CI reads
 * instead of the log. Every string passes through {@code scrub} (the build's SecretScrubber) before it is written, so
 * no secret value reaches the file, whatever field it travels in.
 */
public final class ResultFile {
    private ResultFile() {}

    /** {@code sancho:deploy}: the deploy, the target, what it did and how long each step took. */
    public static Map<String, Object> deploy(String target, String project, String deployId, String outcome,
            DeployRun.Result result, String error) {
        Map<String, Object> m = head("deploy", target, project, outcome);
        m.put("deployId", deployId);
        List<Object> actions = new ArrayList<>();
        if (result != null) {
            result.actions().forEach(a -> actions.add(ordered("action", a.action(), "subject", a.subject())));
        }
        m.put("actions", actions);
        Map<String, Object> phases = new LinkedHashMap<>();
        if (result != null) {
            result.timeline().forEach((step, seconds) -> phases.put(step, Math.round(seconds * 1000) / 1000.0));
        }
        m.put("timeline", phases);
        m.put("error", error);
        return m;
    }

    /** {@code sancho:verify}: every check with its outcome. */
    public static Map<String, Object> verify(String target, String project, String expectedDeployId,
            Verifier.Report report) {
        Map<String, Object> m = head("verify", target, project, report.ok() ? "passed" : "failed");
        m.put("expectedDeployId", expectedDeployId);
        List<Object> checks = new ArrayList<>();
        report.checks().forEach(c -> checks.add(ordered("ok", c.ok(), "kind", c.kind(), "subject", c.subject(),
                "detail", c.detail())));
        m.put("checks", checks);
        return m;
    }

    /** {@code sancho:rollback}: from which deploy to which (the one it went to, or was asked for when it failed). */
    public static Map<String, Object> rollback(String target, String project, String outcome, String from, String to,
            String error) {
        Map<String, Object> m = head("rollback", target, project, outcome);
        m.put("from", from);
        m.put("to", to);
        m.put("error", error);
        return m;
    }

    /** {@code sancho:recover}: the infrastructure it recreated (or would, in a dry run). */
    public static Map<String, Object> recover(String target, String project, String outcome, List<String> recreated,
            String error) {
        Map<String, Object> m = head("recover", target, project, outcome);
        m.put("recreated", new ArrayList<Object>(recreated));
        m.put("error", error);
        return m;
    }

    /** Any goal that failed before it had a result of its own: the error line, scrubbed like everything else. */
    public static Map<String, Object> failed(String goal, String target, String project, String error) {
        Map<String, Object> m = head(goal, target, project, "failed");
        m.put("error", error);
        return m;
    }

    /**
     * {@code sancho:upgrade}: the mode, and per infrastructure service what happened ({@code upgraded},
     * {@code reverted}, {@code reinstated}, {@code confirmed}; {@code planned} in a dry run) and which container id
     * holds the fixed name now.
     */
    public static Map<String, Object> upgrade(String target, String project, String outcome, String mode,
            Upgrade.Result result, String error) {
        Map<String, Object> m = head("upgrade", target, project, outcome);
        m.put("mode", mode);
        List<Object> services = new ArrayList<>();
        if (result != null) {
            result.steps().forEach(s -> services.add(ordered("service", s.service(), "container", s.container(),
                    "kind", s.kind(), "outcome", s.outcome(), "summary", s.summary(), "id", s.id())));
        }
        m.put("services", services);
        m.put("notes", result == null ? List.of() : new ArrayList<Object>(result.notes()));
        m.put("error", error);
        return m;
    }

    /** {@code sancho:unlock}: whether a lock was released (or, in a dry run, is held) and who held it. */
    public static Map<String, Object> unlock(String target, String project, String outcome, String holder) {
        Map<String, Object> m = head("unlock", target, project, outcome);
        m.put("holder", holder);
        return m;
    }

    /** {@code sancho:ensure-volume}: what it created (or would) and what was already there. */
    public static Map<String, Object> ensureVolume(String target, String project, VolumeEnsurer.Result r) {
        Map<String, Object> m = head("ensure-volume", target, project, r.dryRun() ? "dry-run" : "ensured");
        m.put("createdVolumes", new ArrayList<Object>(r.createdVolumes()));
        m.put("existingVolumes", new ArrayList<Object>(r.existingVolumes()));
        m.put("createdDirectories", strings(r.createdDirectories()));
        m.put("existingDirectories", strings(r.existingDirectories()));
        m.put("createdFiles", strings(r.createdFiles()));
        return m;
    }

    /** {@code sancho:pre-deploy-cleanup}: the containers and images it removed (or would), what it kept. */
    public static Map<String, Object> preDeployCleanup(String target, String project, boolean dryRun,
            PreDeployCleanup.Result r) {
        Map<String, Object> m = head("pre-deploy-cleanup", target, project, dryRun ? "dry-run" : "cleaned");
        m.put("removedContainers", new ArrayList<Object>(r.containers().removed()));
        m.put("currentDeploy", r.containers().currentDeploy());
        m.put("keptDeploys", new ArrayList<Object>(r.containers().keptDeploys()));
        m.put("removedImages", new ArrayList<Object>(r.images().removed()));
        m.put("imagesTheEngineKept", new ArrayList<Object>(r.images().refused()));
        return m;
    }

    /** {@code sancho:build} and {@code sancho:push}: the images, by service, that the deploy will run. */
    public static Map<String, Object> build(String goal, String target, String project, String outcome,
            String deployId, Map<String, String> images) {
        Map<String, Object> m = head(goal, target, project, outcome);
        m.put("deployId", deployId);
        Map<String, Object> byService = new LinkedHashMap<>(images);
        m.put("images", byService);
        return m;
    }

    private static List<Object> strings(List<?> values) {
        List<Object> out = new ArrayList<>();
        values.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }

    /** A goal that had nothing to do in this build (a verify after a dry-run deploy): says so and why. */
    public static Map<String, Object> skipped(String goal, String target, String project, String why) {
        Map<String, Object> m = head(goal, target, project, "skipped");
        m.put("reason", why);
        return m;
    }

    private static Map<String, Object> head(String goal, String target, String project, String outcome) {
        return ordered("goal", goal, "target", target, "project", project, "outcome", outcome);
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Writes {@code <dir>/<goal>.json}; returns the file. */
    public static Path write(Path dir, Map<String, Object> result, UnaryOperator<String> scrub) {
        Path file = dir.resolve(result.get("goal") + ".json");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, json(result, scrub) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** JSON of maps, lists, strings, numbers, booleans and null; strings scrubbed, then escaped. */
    static String json(Object value, UnaryOperator<String> scrub) {
        StringBuilder out = new StringBuilder();
        append(out, value, scrub, "");
        return out.toString();
    }

    private static void append(StringBuilder out, Object v, UnaryOperator<String> scrub, String indent) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            string(out, scrub.apply(s));
        } else if (v instanceof Number || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.append(indent).append("  ");
                string(out, scrub.apply(String.valueOf(e.getKey())));
                out.append(": ");
                append(out, e.getValue(), scrub, indent + "  ");
                out.append(++i < m.size() ? ",\n" : "\n");
            }
            out.append(indent).append("}");
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                out.append(indent).append("  ");
                append(out, l.get(i), scrub, indent + "  ");
                out.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            out.append(indent).append("]");
        } else {
            string(out, scrub.apply(String.valueOf(v)));
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
