package dev.sancho.maven.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link SwarmEngine} on the engine's own transport, with the Engine API's JSON as it is: docker-java's swarm models
 * drop fields sancho needs (a config's labels and data, a task's container labels), so the requests are raw, as
 * {@link DockerJavaEngine} does for inspects. Mapping in {@link SwarmJson}; this class only makes calls.
 */
final class SwarmApi implements SwarmEngine {
    private final String address;
    private final DockerHttpClient http;

    SwarmApi(String address, DockerHttpClient http) {
        this.address = address;
        this.http = http;
    }

    @Override
    public SwarmInfos.State state() {
        return SwarmJson.state(get("/info", null).orElseThrow());
    }

    @Override
    public List<SwarmInfos.Node> nodes() {
        return list("/nodes", null).stream().map(SwarmJson::node).toList();
    }

    @Override
    public Optional<SwarmInfos.Service> findService(String name) {
        return list("/services?filters=" + enc(SwarmJson.filters("name", List.of(name))), null).stream()
                .map(SwarmJson::service).filter(s -> name.equals(s.name())).findFirst();
    }

    @Override
    public List<SwarmInfos.Service> listServices(Map<String, String> labels) {
        return list("/services?filters=" + enc(SwarmJson.filters("label", SwarmJson.labelFilter(labels))), null)
                .stream().map(SwarmJson::service).toList();
    }

    @Override
    public String createService(SwarmServiceSpec spec) {
        JsonNode r = send("POST", "/services/create", withIds(SwarmJson.service(spec)).toString(),
                "service " + spec.name());
        return JsonFields.text(r.get("ID"));
    }

    @Override
    public void updateService(SwarmInfos.Service current, SwarmServiceSpec spec) {
        send("POST", "/services/" + enc(current.id()) + "/update?version=" + current.version(),
                withIds(SwarmJson.service(spec)).toString(), "service " + spec.name());
    }

    @Override
    public void updateServiceFromJson(SwarmInfos.Service current, String serviceJson) {
        com.fasterxml.jackson.databind.node.ObjectNode n;
        try {
            n = (com.fasterxml.jackson.databind.node.ObjectNode) SwarmJson.JSON.readTree(serviceJson);
        } catch (java.io.IOException | ClassCastException e) {
            throw new DockerOperationException("service " + current.name() + ": not a service spec", e);
        }
        send("POST", "/services/" + enc(current.id()) + "/update?version=" + current.version(),
                withIds(n).toString(), "service " + current.name());
    }

    @Override
    public void removeService(String id) {
        send("DELETE", "/services/" + enc(id), null, "service " + id);
    }

    @Override
    public List<SwarmInfos.Task> tasks(String serviceName) {
        return list("/tasks?filters=" + enc(SwarmJson.filters("service", List.of(serviceName))), null).stream()
                .map(SwarmJson::task).toList();
    }

    @Override
    public NetworkInfo createOverlayNetwork(String name, Map<String, String> labels) {
        JsonNode r = send("POST", "/networks/create", SwarmJson.overlayNetwork(name, labels).toString(),
                "network " + name);
        return new NetworkInfo(JsonFields.text(r.get("Id")), name, "overlay", labels);
    }

    @Override
    public String createConfig(String name, Map<String, String> labels, byte[] data) {
        return createNamed("/configs/create", SwarmJson.configCreate(name, labels, data).toString(), "config", name);
    }

    /**
     * Creates a config or secret; a name that exists is a {@link NameConflictException} (the lock and the
     * content-named objects rely on that: creation by name is atomic in the swarm's store).
     */
    private String createNamed(String path, String body, String kind, String name) {
        try {
            return JsonFields.text(send("POST", path, body, kind + " " + name).get("ID"));
        } catch (DockerOperationException e) {
            if (e.getCause() instanceof DockerException de && de.getHttpStatus() == 409) {
                throw new NameConflictException(name, e);
            }
            throw e;
        }
    }

    @Override
    public List<SwarmInfos.Config> listConfigs(Map<String, String> labels) {
        return list("/configs?filters=" + enc(SwarmJson.filters("label", SwarmJson.labelFilter(labels))), null)
                .stream().map(SwarmJson::config).toList();
    }

    @Override
    public Optional<SwarmInfos.Config> findConfig(String name) {
        return list("/configs?filters=" + enc(SwarmJson.filters("name", List.of(name))), null).stream()
                .map(SwarmJson::config).filter(c -> name.equals(c.name())).findFirst();
    }

    @Override
    public String createSecret(String name, Map<String, String> labels, byte[] data) {
        return createNamed("/secrets/create", SwarmJson.secretCreate(name, labels, data).toString(), "secret", name);
    }

    @Override
    public Optional<String> findSecret(String name) {
        return list("/secrets?filters=" + enc(SwarmJson.filters("name", List.of(name))), null).stream()
                .filter(n -> name.equals(JsonFields.text(n.path("Spec").get("Name"))))
                .map(n -> JsonFields.text(n.get("ID"))).findFirst();
    }

    /** The engine wants each secret's and config's ID next to its name: looked up by exact name. */
    private com.fasterxml.jackson.databind.node.ObjectNode withIds(
            com.fasterxml.jackson.databind.node.ObjectNode service) {
        Map<String, String> ids = new java.util.HashMap<>();
        SwarmJson.fileNames(service).forEach((kind, names) -> names.forEach(name -> (kind.equals("secret")
                ? findSecret(name) : findConfig(name).map(SwarmInfos.Config::id))
                .ifPresent(id -> ids.put(kind + ":" + name, id))));
        return SwarmJson.withIds(service, ids);
    }

    @Override
    public void removeConfig(String id) {
        send("DELETE", "/configs/" + enc(id), null, "config " + id);
    }

    /**
     * With {@code details}, as the docker CLI asks: each line then names its task (see {@link SwarmJson#logLine}).
     * A raw request, as docker-java's {@code logServiceCmd} drops {@code details}; the multiplexed frames are cut
     * into lines by {@link LineFrames}, as a container's log is.
     */
    @Override
    public void streamServiceLogs(String serviceId, Long sinceEpochSecond, Integer tail, boolean follow,
            java.util.function.Consumer<SwarmInfos.LogLine> line) {
        String path = "/services/" + enc(serviceId) + "/logs?stdout=1&stderr=1&details=1&follow=" + (follow ? 1 : 0)
                + "&tail=" + (tail == null ? "all" : tail) + (sinceEpochSecond == null ? "" : "&since=" + sinceEpochSecond);
        LineFrames frames = new LineFrames(l -> line.accept(SwarmJson.logLine(l)));
        try (DockerHttpClient.Response response = http.execute(DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path).build());
                InputStream in = response.getBody()) {
            if (response.getStatusCode() >= 300) {
                DockerException de = new DockerException("Status " + response.getStatusCode() + ": "
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8), response.getStatusCode());
                throw new DockerOperationException("service " + serviceId + ": " + DockerErrors.engineMessage(de), de);
            }
            LogFrames.read(in, frames);
            frames.flush();
        } catch (DockerOperationException | EngineUnreachableException e) {
            throw e;
        } catch (Exception e) {
            throw DockerErrors.translate(address, "service " + serviceId, e);
        }
    }

    private List<JsonNode> list(String path, String subject) {
        List<JsonNode> out = new ArrayList<>();
        get(path, subject).ifPresent(a -> a.forEach(out::add));
        return out;
    }

    private Optional<JsonNode> get(String path, String subject) {
        try {
            return Optional.of(send("GET", path, null, subject));
        } catch (DockerOperationException e) {
            if (e.getCause() instanceof DockerException de && de.getHttpStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** One request; an answer >= 300 becomes a {@link DockerOperationException} with the engine's reason. */
    private JsonNode send(String method, String path, String body, String subject) {
        try {
            DockerHttpClient.Request.Builder b = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.valueOf(method)).path(path);
            if (body != null) {
                b.putHeader("Content-Type", "application/json").bodyBytes(body.getBytes(StandardCharsets.UTF_8));
            }
            try (DockerHttpClient.Response response = http.execute(b.build()); InputStream in = response.getBody()) {
                byte[] bytes = in.readAllBytes();
                int status = response.getStatusCode();
                if (status >= 300) {
                    DockerException de = new DockerException("Status " + status + ": "
                            + new String(bytes, StandardCharsets.UTF_8), status);
                    String what = subject == null ? "" : subject + ": ";
                    throw new DockerOperationException(what + DockerErrors.engineMessage(de), de);
                }
                return bytes.length == 0 ? SwarmJson.JSON.createObjectNode() : SwarmJson.JSON.readTree(bytes);
            }
        } catch (DockerOperationException | EngineUnreachableException e) {
            throw e;
        } catch (Exception e) {
            throw DockerErrors.translate(address, subject, e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
