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
}
