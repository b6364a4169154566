package dev.sancho.maven.swarm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.NameConflictException;
import dev.sancho.maven.docker.NetworkInfo;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmInfos;
import dev.sancho.maven.docker.SwarmServiceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * A swarm for core tests: a config store that refuses a taken name (as the raft store does), services whose state
 * and tasks follow a script, one step per poll of that service, and services created running at once (one running
 * task per replica). Calls a test does not script fail it.
 */
final class FakeSwarm implements SwarmEngine {
    final Map<String, SwarmInfos.Config> configs = new LinkedHashMap<>();
    /** Per service name: its state at each poll (the last one repeats). */
    final Map<String, List<Step>> scripts = new LinkedHashMap<>();
    private final Map<String, Integer> polls = new LinkedHashMap<>();
    int created;
    int finds;
    /** Called with the number of findConfig calls so far, before answering (a holder releasing meanwhile). */
    IntConsumer onFind = n -> {};

    record Step(SwarmInfos.Service service, List<SwarmInfos.Task> tasks) {}

    /** The engine sancho talks to, as a swarm member, and the swarm's nodes. */
    SwarmInfos.State state = new SwarmInfos.State("n1", "active", true, "10.213.1.11");
    List<SwarmInfos.Node> nodes = List.of(new SwarmInfos.Node("n1", "host1", "manager", "active", "ready",
            "10.213.1.11"));
    /** Services created, in order; each then runs its tasks at once (one running task per replica). */
    final List<SwarmServiceSpec> createdServices = new ArrayList<>();
    final List<String> createdNetworks = new ArrayList<>();

    /** Called with the name before a config is created (another writer taking it first). */
    java.util.function.Consumer<String> onCreateConfig = n -> {};

    @Override
    public synchronized String createConfig(String name, Map<String, String> labels, byte[] data) {
        onCreateConfig.accept(name);
        if (configs.containsKey(name)) {
            throw new NameConflictException(name, null);
        }
        String id = "cfg" + (++created);
        configs.put(name, new SwarmInfos.Config(id, name, labels, Instant.now(), data));
        return id;
    }

    /** Secrets by name: their data (a real swarm never gives it back). */
    final Map<String, byte[]> secrets = new LinkedHashMap<>();

    @Override
    public synchronized String createSecret(String name, Map<String, String> labels, byte[] data) {
        if (secrets.containsKey(name)) {
            throw new NameConflictException(name, null);
        }
        secrets.put(name, data);
        return "sec" + (++created);
    }

    @Override
    public synchronized Optional<String> findSecret(String name) {
        return secrets.containsKey(name) ? Optional.of("sec-" + name) : Optional.empty();
    }

    @Override
    public synchronized Optional<SwarmInfos.Config> findConfig(String name) {
        onFind.accept(++finds);
        return Optional.ofNullable(configs.get(name));
    }

    @Override
    public synchronized void removeConfig(String id) {
        assertTrue(configs.values().removeIf(c -> c.id().equals(id)), "no config " + id);
    }

    @Override
    public synchronized List<SwarmInfos.Config> listConfigs(Map<String, String> labels) {
        // as the engine's label filter: every given label, with its value
        return new ArrayList<>(configs.values().stream()
                .filter(c -> labels.entrySet().stream().allMatch(l -> l.getValue().equals(c.labels().get(l.getKey()))))
                .toList());
    }

    /** Each call is one poll: the service's next scripted state. */
    @Override
    public synchronized Optional<SwarmInfos.Service> findService(String name) {
        List<Step> script = scripts.get(name);
        if (script == null) {
            return Optional.empty();
        }
        int i = polls.merge(name, 1, Integer::sum) - 1;
        return Optional.of(script.get(Math.min(i, script.size() - 1)).service());
    }

    /** The tasks of the state findService returned last. */
    @Override
    public synchronized List<SwarmInfos.Task> tasks(String serviceName) {
        List<Step> script = scripts.get(serviceName);
        int i = Math.max(0, polls.getOrDefault(serviceName, 1) - 1);
        return script.get(Math.min(i, script.size() - 1)).tasks();
    }

    int polls(String name) {
        return polls.getOrDefault(name, 0);
    }

    @Override
    public SwarmInfos.State state() {
        return state;
    }

    @Override
    public List<SwarmInfos.Node> nodes() {
        return nodes;
    }

    /** The services carrying every given label, in their current scripted state (not a poll). */
    @Override
    public synchronized List<SwarmInfos.Service> listServices(Map<String, String> labels) {
        List<SwarmInfos.Service> out = new ArrayList<>();
        scripts.forEach((name, script) -> {
            SwarmInfos.Service s = script.get(Math.min(Math.max(0, polls.getOrDefault(name, 1) - 1),
                    script.size() - 1)).service();
            if (labels.entrySet().stream().allMatch(l -> l.getValue().equals(s.labels().get(l.getKey())))) {
                out.add(s);
            }
        });
        return out;
    }

    /** Per service id: its log, every task's lines, as the engine's service log sends them. */
    final Map<String, List<SwarmInfos.LogLine>> serviceLogs = new LinkedHashMap<>();
    /** The service log reads: id, since, tail, follow. */
    final List<List<Object>> logReads = new ArrayList<>();

    @Override
    public void streamServiceLogs(String serviceId, Long sinceEpochSecond, Integer tail, boolean follow,
            java.util.function.Consumer<SwarmInfos.LogLine> line) {
        synchronized (this) {
            logReads.add(java.util.Arrays.asList(serviceId, sinceEpochSecond, tail, follow));
        }
        serviceLogs.getOrDefault(serviceId, List.of()).forEach(line);
    }

    @Override
    public synchronized String createService(SwarmServiceSpec spec) {
        assertTrue(!scripts.containsKey(spec.name()), "service " + spec.name() + " exists");
        createdServices.add(spec);
        String id = "svc" + createdServices.size();
        List<SwarmInfos.Task> tasks = new ArrayList<>();
        for (int i = 0; i < spec.replicas(); i++) {
            // a one-shot service (restart none) has done its work by the first look
            boolean once = spec.restart() != null && "none".equals(spec.restart().condition());
            tasks.add(new SwarmInfos.Task(id + "t" + i, id, "n1", i + 1, once ? "complete" : "running",
                    once ? "shutdown" : "running", "started", null,
                    spec.labels().get("sancho.deploy-id"), "c" + i, spec.image(), null));
        }
        List<String> volumes = spec.mounts().stream().filter(m -> "volume".equals(m.type()))
                .map(SwarmServiceSpec.Mount::source).toList();
        scripts.put(spec.name(), List.of(new Step(new SwarmInfos.Service(id, spec.name(), 1, spec.labels(),
                spec.image(), spec.replicas(), null, null, spec.labels().get("sancho.deploy-id"), spec.constraints(),
                volumes), tasks)));
        return id;
    }

    /** The removed services' ids. */
    final List<String> removedServices = new ArrayList<>();

    @Override
    public synchronized void removeService(String id) {
        removedServices.add(id);
        scripts.values().removeIf(steps -> steps.get(0).service().id().equals(id));
    }

    @Override
    public void updateService(SwarmInfos.Service current, SwarmServiceSpec spec) {
        throw new AssertionError("not scripted");
    }

    /** The rollbacks' updates, by service name: the JSON spec sent. */
    final Map<String, String> jsonUpdates = new LinkedHashMap<>();

    /** A rollback's update: the service then runs the deploy its spec's label names, its tasks with it at once. */
    @Override
    public synchronized void updateServiceFromJson(SwarmInfos.Service current, String serviceJson) {
        jsonUpdates.put(current.name(), serviceJson);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"sancho\\.deploy-id\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(serviceJson);
        assertTrue(m.find(), "no deploy id in " + serviceJson);
        String id = m.group(1);
        SwarmInfos.Service s = current;
        List<SwarmInfos.Task> tasks = new ArrayList<>();
        for (int i = 0; i < s.replicas(); i++) {
            tasks.add(new SwarmInfos.Task(s.id() + "u" + i, s.id(), "n1", i + 1, "running", "running", "started", null,
                    id, "u" + i, s.image(), null));
        }
        scripts.put(s.name(), List.of(new Step(new SwarmInfos.Service(s.id(), s.name(), s.version() + 1, s.labels(),
                s.image(), s.replicas(), "completed", null, id, s.constraints(), s.volumes()), tasks)));
    }

    @Override
    public synchronized NetworkInfo createOverlayNetwork(String name, Map<String, String> labels) {
        createdNetworks.add(name);
        return null;
    }
}
