package dev.sancho.maven.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@link SwarmDeploy} of every service from the merged, interpolated model, with Compose's checks. */
final class SwarmDeployParser {
    private static final Set<String> ACTIONS = Set.of("pause", "continue", "rollback");
    private static final Set<String> ORDERS = Set.of("start-first", "stop-first");
    private static final Set<String> CONDITIONS = Set.of("none", "on-failure", "any");

    private final Source src;

    SwarmDeployParser(Source src) {
        this.src = src;
    }

    Map<String, SwarmDeploy> parse(YamlNode.Mapping services) {
        Map<String, SwarmDeploy> out = new LinkedHashMap<>();
        for (YamlNode.Entry e : services.entries()) {
            if (e.key().startsWith("x-") || !(e.value() instanceof YamlNode.Mapping svc)) {
                continue;
            }
            Source s = src.as(src.fileOf(e));
            out.put(e.key(), new SwarmDeployParser(s).service(svc, "services." + e.key(), e.line()));
        }
        return out;
    }

    private SwarmDeploy service(YamlNode.Mapping svc, String p, int serviceLine) {
        List<String> portModes = portModes(svc.get("ports"), p + ".ports");
        YamlNode.Mapping d = src.optionalMapping(svc.get("deploy"), p + ".deploy");
        if (d == null) {
            return new SwarmDeploy(null, List.of(), null, null, null, portModes, serviceLine, null, Map.of());
        }
        String dp = p + ".deploy";
        String mode = src.text(d.get("mode"), dp + ".mode");
        if (mode != null && !mode.equals("replicated")) {
            throw src.error(d.get("mode"), dp + ".mode", "sancho deploys replicated services only, not \"" + mode
                    + "\"");
        }
        Integer replicas = src.integer(d.get("replicas"), dp + ".replicas");
        if (replicas != null && replicas < 0) {
            throw src.error(d.get("replicas"), dp + ".replicas", "must be 0 or more");
        }
        List<String> constraints = List.of();
        YamlNode.Mapping placement = src.optionalMapping(d.get("placement"), dp + ".placement");
        if (placement != null && !Source.isNull(placement.get("constraints"))) {
            constraints = src.strings(placement.get("constraints"), dp + ".placement.constraints");
        }
        String endpoint = src.text(d.get("endpoint_mode"), dp + ".endpoint_mode");
        if (endpoint != null && !Set.of("vip", "dnsrr").contains(endpoint)) {
            throw src.error(d.get("endpoint_mode"), dp + ".endpoint_mode", "expected vip or dnsrr, found \""
                    + endpoint + "\"");
        }
        return new SwarmDeploy(replicas, constraints, policy(d.get("update_config"), dp + ".update_config"),
                policy(d.get("rollback_config"), dp + ".rollback_config"), endpoint, portModes, d.line(),
                restart(d.get("restart_policy"), dp + ".restart_policy"),
                src.keyValues(d.get("labels"), dp + ".labels", k -> ""));
    }

    private SwarmDeploy.Restart restart(YamlNode node, String p) {
        YamlNode.Mapping m = src.optionalMapping(node, p);
        if (m == null) {
            return null;
        }
        String condition = src.text(m.get("condition"), p + ".condition");
        if (condition != null && !CONDITIONS.contains(condition)) {
            throw src.error(m.get("condition"), p + ".condition", "expected none, on-failure or any, found \""
                    + condition + "\"");
        }
        Integer attempts = src.integer(m.get("max_attempts"), p + ".max_attempts");
        if (attempts != null && attempts < 0) {
            throw src.error(m.get("max_attempts"), p + ".max_attempts", "must be 0 or more");
        }
        return new SwarmDeploy.Restart(condition, src.duration(m.get("delay"), p + ".delay"), attempts,
                src.duration(m.get("window"), p + ".window"));
    }

    private SwarmDeploy.Policy policy(YamlNode node, String p) {
        YamlNode.Mapping m = src.optionalMapping(node, p);
        if (m == null) {
            return null;
        }
        String action = src.text(m.get("failure_action"), p + ".failure_action");
        if (action != null && !ACTIONS.contains(action)) {
            throw src.error(m.get("failure_action"), p + ".failure_action", "expected pause, continue or rollback,"
                    + " found \"" + action + "\"");
        }
        String order = src.text(m.get("order"), p + ".order");
        if (order != null && !ORDERS.contains(order)) {
            throw src.error(m.get("order"), p + ".order", "expected start-first or stop-first, found \"" + order
                    + "\"");
        }
        String ratio = src.text(m.get("max_failure_ratio"), p + ".max_failure_ratio");
        Double maxRatio;
        try {
            maxRatio = ratio == null ? null : Double.valueOf(ratio);
        } catch (NumberFormatException e) {
            throw src.error(m.get("max_failure_ratio"), p + ".max_failure_ratio", "expected a number, found \""
                    + ratio + "\"");
        }
        return new SwarmDeploy.Policy(src.integer(m.get("parallelism"), p + ".parallelism"),
                src.duration(m.get("delay"), p + ".delay"), action, src.duration(m.get("monitor"), p + ".monitor"),
                maxRatio, order);
    }

    private List<String> portModes(YamlNode node, String p) {
        List<String> modes = new ArrayList<>();
        if (node instanceof YamlNode.Sequence seq) {
            for (YamlNode item : seq.items()) {
                String mode = item instanceof YamlNode.Mapping m ? src.text(m.get("mode"), p + ".mode") : null;
                if (mode != null && !Set.of("host", "ingress").contains(mode)) {
                    throw src.error(item, p + ".mode", "expected host or ingress, found \"" + mode + "\"");
                }
                modes.add(mode);
            }
        }
        return modes;
    }
}
