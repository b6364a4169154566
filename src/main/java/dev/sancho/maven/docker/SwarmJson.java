package dev.sancho.maven.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Maps {@link SwarmServiceSpec} to the Engine API's service JSON, and the API's answers to {@link SwarmInfos}. */
final class SwarmJson {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOY_ID = "sancho.deploy-id";

    private SwarmJson() {}

    static ObjectNode service(SwarmServiceSpec s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Name", s.name());
        n.set("Labels", strings(s.labels()));
        ObjectNode task = n.putObject("TaskTemplate");
        ObjectNode c = task.putObject("ContainerSpec");
        c.put("Image", s.image());
        c.set("Labels", strings(s.containerLabels()));
        if (s.command() != null) {
            c.set("Command", array(s.command()));
        }
        if (s.args() != null) {
            c.set("Args", array(s.args()));
        }
        c.set("Env", array(s.env()));
        if (s.user() != null) {
            c.put("User", s.user());
        }
        if (s.workingDir() != null) {
            c.put("Dir", s.workingDir());
        }
        if (s.stopSignal() != null) {
            c.put("StopSignal", s.stopSignal());
        }
        if (s.stopGracePeriod() != null) {
            c.put("StopGracePeriod", nanos(s.stopGracePeriod()));
        }
        ArrayNode mounts = c.putArray("Mounts");
        s.mounts().forEach(m -> {
            ObjectNode o = mounts.addObject();
            o.put("Type", m.type());
            if (m.source() != null) {
                o.put("Source", m.source());
            }
            o.put("Target", m.target());
            o.put("ReadOnly", m.readOnly());
        });
        fileRefs(c, s.files(), true);
        fileRefs(c, s.files(), false);
        if (s.health() != null) {
            ObjectNode h = c.putObject("HealthCheck");
            if (s.health().test() != null) {
                h.set("Test", array(s.health().test()));
            }
            putNanos(h, "Interval", s.health().interval());
            putNanos(h, "Timeout", s.health().timeout());
            putNanos(h, "StartPeriod", s.health().startPeriod());
            if (s.health().retries() != null) {
                h.put("Retries", s.health().retries());
            }
        }
        ObjectNode res = task.putObject("Resources");
        ObjectNode limits = res.putObject("Limits");
        if (s.nanoCpus() != null) {
            limits.put("NanoCPUs", s.nanoCpus());
        }
        if (s.memoryBytes() != null) {
            limits.put("MemoryBytes", s.memoryBytes());
        }
        if (s.memoryReservation() != null) {
            res.putObject("Reservations").put("MemoryBytes", s.memoryReservation());
        }
        task.putObject("Placement").set("Constraints", array(s.constraints()));
        if (s.restart() != null) {
            ObjectNode r = task.putObject("RestartPolicy");
            if (s.restart().condition() != null) {
                r.put("Condition", s.restart().condition());
            }
            putNanos(r, "Delay", s.restart().delay());
            if (s.restart().maxAttempts() != null) {
                r.put("MaxAttempts", s.restart().maxAttempts());
            }
            putNanos(r, "Window", s.restart().window());
        }
        ArrayNode nets = task.putArray("Networks");
        s.networks().forEach(net -> {
            ObjectNode o = nets.addObject();
            o.put("Target", net.name());
            o.set("Aliases", array(net.aliases()));
        });
        n.putObject("Mode").putObject("Replicated").put("Replicas", s.replicas());
        if (s.update() != null) {
            n.set("UpdateConfig", policy(s.update()));
        }
        if (s.rollback() != null) {
            n.set("RollbackConfig", policy(s.rollback()));
        }
        ObjectNode ep = n.putObject("EndpointSpec");
        ep.put("Mode", s.endpointMode());
        ArrayNode ports = ep.putArray("Ports");
        s.ports().forEach(p -> {
            ObjectNode o = ports.addObject();
            o.put("Protocol", p.protocol());
            o.put("TargetPort", p.target());
            o.put("PublishedPort", p.published());
            o.put("PublishMode", p.mode());
        });
        return n;
    }

    /**
     * ContainerSpec.Secrets or .Configs, by name only: the engine also wants each object's ID, which
     * {@link #withIds} adds when the request is sent (so a recorded spec re-applies after the IDs changed).
     */
    private static void fileRefs(ObjectNode c, List<SwarmServiceSpec.FileRef> files, boolean secrets) {
        List<SwarmServiceSpec.FileRef> of = files.stream().filter(f -> f.secret() == secrets).toList();
        if (of.isEmpty()) {
            return;
        }
        ArrayNode a = c.putArray(secrets ? "Secrets" : "Configs");
        for (SwarmServiceSpec.FileRef f : of) {
            ObjectNode o = a.addObject();
            ObjectNode file = o.putObject("File");
            file.put("Name", f.target());
            file.put("UID", f.uid());
            file.put("GID", f.gid());
            file.put("Mode", f.mode());
            o.put(secrets ? "SecretName" : "ConfigName", f.name());
        }
    }

    /** The secret and config names a service JSON refers to: {"secret": [...], "config": [...]}. */
    static Map<String, List<String>> fileNames(JsonNode service) {
        JsonNode c = service.path("TaskTemplate").path("ContainerSpec");
        return Map.of("secret", names(c.get("Secrets"), "SecretName"), "config", names(c.get("Configs"), "ConfigName"));
    }

    private static List<String> names(JsonNode refs, String key) {
        List<String> out = new java.util.ArrayList<>();
        if (refs != null && refs.isArray()) {
            refs.forEach(r -> out.add(JsonFields.text(r.get(key))));
        }
        return out;
    }

    /**
     * The service JSON with each secret's and config's ID set from its name.
     *
     * @param ids "secret:NAME" or "config:NAME" to the object's ID
     * @throws DockerOperationException naming an object the swarm does not hold
     */
    static ObjectNode withIds(ObjectNode service, Map<String, String> ids) {
        ObjectNode n = service.deepCopy();
        JsonNode c = n.path("TaskTemplate").path("ContainerSpec");
        for (String kind : List.of("secret", "config")) {
            String cap = kind.equals("secret") ? "Secret" : "Config";
            JsonNode refs = c.get(cap + "s");
            if (refs != null && refs.isArray()) {
                for (JsonNode r : refs) {
                    String name = JsonFields.text(r.get(cap + "Name"));
                    String id = ids.get(kind + ":" + name);
                    if (id == null) {
                        throw new DockerOperationException("service " + JsonFields.text(n.get("Name")) + ": " + kind
                                + " " + name + " does not exist in the swarm");
                    }
                    ((ObjectNode) r).put(cap + "ID", id);
                }
            }
        }
        return n;
    }

    static ObjectNode secretCreate(String name, Map<String, String> labels, byte[] data) {
        return configCreate(name, labels, data);
    }

    private static ObjectNode policy(SwarmServiceSpec.UpdatePolicy p) {
        ObjectNode o = JSON.createObjectNode();
        if (p.parallelism() != null) {
            o.put("Parallelism", p.parallelism());
        }
        putNanos(o, "Delay", p.delay());
        if (p.failureAction() != null) {
            o.put("FailureAction", p.failureAction());
        }
        putNanos(o, "Monitor", p.monitor());
        if (p.maxFailureRatio() != null) {
            o.put("MaxFailureRatio", p.maxFailureRatio());
        }
        if (p.order() != null) {
            o.put("Order", p.order());
        }
        return o;
    }

    static SwarmInfos.State state(JsonNode info) {
        JsonNode sw = info.path("Swarm");
        return new SwarmInfos.State(JsonFields.text(sw.get("NodeID")), JsonFields.text(sw.get("LocalNodeState")),
                sw.path("ControlAvailable").asBoolean(false), JsonFields.text(sw.get("NodeAddr")));
    }

    static SwarmInfos.Node node(JsonNode n) {
        return new SwarmInfos.Node(JsonFields.text(n.get("ID")), JsonFields.text(n.path("Description").get("Hostname")),
                JsonFields.text(n.path("Spec").get("Role")), JsonFields.text(n.path("Spec").get("Availability")),
                JsonFields.text(n.path("Status").get("State")), JsonFields.text(n.path("Status").get("Addr")));
    }

    static SwarmInfos.Service service(JsonNode n) {
        JsonNode spec = n.path("Spec");
        JsonNode c = spec.path("TaskTemplate").path("ContainerSpec");
        return new SwarmInfos.Service(JsonFields.text(n.get("ID")), JsonFields.text(spec.get("Name")),
                n.path("Version").path("Index").asLong(), JsonFields.stringMap(spec.get("Labels")),
                JsonFields.text(c.get("Image")), spec.path("Mode").path("Replicated").path("Replicas").asInt(0),
                JsonFields.text(n.path("UpdateStatus").get("State")),
                JsonFields.text(n.path("UpdateStatus").get("Message")),
                JsonFields.stringMap(c.get("Labels")).get(DEPLOY_ID),
                texts(spec.path("TaskTemplate").path("Placement").get("Constraints")),
                volumes(c.get("Mounts")));
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new java.util.ArrayList<>();
        if (a != null && a.isArray()) {
            a.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    private static List<String> volumes(JsonNode mounts) {
        List<String> out = new java.util.ArrayList<>();
        if (mounts != null && mounts.isArray()) {
            mounts.forEach(m -> {
                if ("volume".equals(JsonFields.text(m.get("Type"))) && JsonFields.text(m.get("Source")) != null) {
                    out.add(JsonFields.text(m.get("Source")));
                }
            });
        }
        return out;
    }

    static SwarmInfos.Task task(JsonNode n) {
        JsonNode st = n.path("Status");
        JsonNode c = n.path("Spec").path("ContainerSpec");
        return new SwarmInfos.Task(JsonFields.text(n.get("ID")), JsonFields.text(n.get("ServiceID")),
                JsonFields.text(n.get("NodeID")), n.hasNonNull("Slot") ? n.get("Slot").asInt() : null,
                JsonFields.text(st.get("State")), JsonFields.text(n.get("DesiredState")),
                JsonFields.text(st.get("Message")), JsonFields.text(st.get("Err")),
                JsonFields.stringMap(c.get("Labels")).get(DEPLOY_ID),
                JsonFields.text(st.path("ContainerStatus").get("ContainerID")), JsonFields.text(c.get("Image")),
                JsonFields.instant(JsonFields.text(n.get("UpdatedAt"))));
    }

    static SwarmInfos.Config config(JsonNode n) {
        JsonNode spec = n.path("Spec");
        String data = JsonFields.text(spec.get("Data"));
        return new SwarmInfos.Config(JsonFields.text(n.get("ID")), JsonFields.text(spec.get("Name")),
                JsonFields.stringMap(spec.get("Labels")), JsonFields.instant(JsonFields.text(n.get("CreatedAt"))),
                data == null ? new byte[0] : Base64.getDecoder().decode(data));
    }

    static ObjectNode configCreate(String name, Map<String, String> labels, byte[] data) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Name", name);
        n.set("Labels", strings(labels));
        n.put("Data", Base64.getEncoder().encodeToString(data));
        return n;
    }

    static ObjectNode overlayNetwork(String name, Map<String, String> labels) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Name", name);
        n.put("Driver", "overlay");
        n.put("Attachable", true);
        n.put("CheckDuplicate", true);
        n.set("Labels", strings(labels));
        return n;
    }

    /** Filters as the API takes them: {"label":["k=v", ...], "name":[...]}. */
    static String filters(String key, List<String> values) {
        ObjectNode f = JSON.createObjectNode();
        f.set(key, array(values));
        return f.toString();
    }

    static List<String> labelFilter(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getValue() == null ? e.getKey() : e.getKey() + "=" + e.getValue())
                .sorted().toList();
    }

    private static void putNanos(ObjectNode o, String key, Duration d) {
        if (d != null) {
            o.put(key, nanos(d));
        }
    }

    private static long nanos(Duration d) {
        return d.toNanos();
    }

    private static ObjectNode strings(Map<String, String> m) {
        ObjectNode o = JSON.createObjectNode();
        new java.util.TreeMap<>(m).forEach(o::put);
        return o;
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    /**
     * A service log line as the engine sends it when asked for details: {@code k=v,k=v <text>}, the attributes
     * query-escaped, among them {@code com.docker.swarm.task.id} (what the docker CLI reads for its prefix). A line
     * without them is all text.
     */
    static SwarmInfos.LogLine logLine(String line) {
        int space = line.indexOf(' ');
        String head = space < 0 ? line : line.substring(0, space);
        String text = space < 0 ? "" : line.substring(space + 1);
        String task = null;
        for (String attr : head.split(",")) {
            int eq = attr.indexOf('=');
            if (eq <= 0) {
                return new SwarmInfos.LogLine(null, line);
            }
            if (attr.substring(0, eq).equals("com.docker.swarm.task.id")) {
                task = java.net.URLDecoder.decode(attr.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return task == null ? new SwarmInfos.LogLine(null, line) : new SwarmInfos.LogLine(task, text);
    }
}
