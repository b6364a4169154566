package dev.sancho.maven.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/** Service specs as the Engine API's JSON (what a deploy's history config records, re-applicable as it is). */
public final class SwarmSpecsJson {
    private SwarmSpecsJson() {}

    public static String of(List<SwarmServiceSpec> specs) {
        ArrayNode a = SwarmJson.JSON.createArrayNode();
        specs.forEach(s -> a.add(SwarmJson.service(s)));
        return a.toPrettyString();
    }

    /**
     * A record written by {@link #of} read back: service name -> that service's spec JSON, in order.
     *
     * @throws DockerOperationException when the record is not such a list
     */
    public static java.util.Map<String, String> byName(String json) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        try {
            for (com.fasterxml.jackson.databind.JsonNode n : SwarmJson.JSON.readTree(json)) {
                String name = JsonFields.text(n.get("Name"));
                if (name == null) {
                    throw new DockerOperationException("a service spec without Name");
                }
                out.put(name, n.toString());
            }
        } catch (java.io.IOException e) {
            throw new DockerOperationException("not a list of service specs: " + e.getMessage(), e);
        }
        return out;
    }
}
