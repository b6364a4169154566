package dev.sancho.maven.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/** {@link EngineGet} through docker-java's transport (tcp, TLS, ssh): the reads share its connections. */
final class DockerHttpGet implements EngineGet {
    private final Supplier<DockerHttpClient> http;

    DockerHttpGet(Supplier<DockerHttpClient> http) {
        this.http = http;
    }

    @Override
    public Reply get(String pathAndQuery) throws IOException {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(pathAndQuery).build();
        try (DockerHttpClient.Response response = http.get().execute(request);
                InputStream body = response.getBody()) {
            byte[] bytes = body.readAllBytes();
            return new Reply(response.getStatusCode(), bytes);
        }
    }
}
