package dev.sancho.maven.docker;

import com.github.dockerjava.api.model.DockerObject;
import java.util.Map;

/** A field docker-java's model has no setter for (newer than the library), sent as it is in the request's JSON. */
final class RawFields {
    private RawFields() {}

    @SuppressWarnings("unchecked")
    static void put(DockerObject o, String key, Object value) {
        try {
            var field = DockerObject.class.getDeclaredField("rawValues");
            field.setAccessible(true);
            ((Map<String, Object>) field.get(o)).put(key, value);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new DockerOperationException("cannot send " + key + " with this docker-java version", e);
        }
    }
}
