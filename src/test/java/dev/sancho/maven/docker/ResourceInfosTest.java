package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceInfosTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String q(String text) {
        return text.replace('\'', '"');
    }

    @Test
    void aVolumeKeepsItsCreationTime() throws Exception {
        VolumeInfo v = ResourceInfos.volume(JSON.readTree(q("""
                {'Name': 'pgdata', 'Driver': 'local', 'CreatedAt': '2026-01-02T03:04:05Z', 'Labels': {'a': 'b'}}
                """)));
        assertEquals(new VolumeInfo("pgdata", "local", "2026-01-02T03:04:05Z", Map.of("a", "b")), v);
        assertEquals(new VolumeInfo("v", null, null, Map.of()), ResourceInfos.volume(JSON.readTree(q("{'Name': 'v', 'Labels': null}"))));
    }

    @Test
    void aNetworkWithoutLabelsHasAnEmptyMap() throws Exception {
        Network n = JSON.readValue(q("{'Id': 'n1', 'Name': 'backend', 'Driver': 'bridge'}"), Network.class);
        assertEquals(new NetworkInfo("n1", "backend", "bridge", Map.of()), ResourceInfos.network(n));
        Network labelled = JSON.readValue(q("{'Id': 'n2', 'Name': 'x', 'Driver': 'overlay', 'Labels': {'k': 'v'}}"),
                Network.class);
        assertEquals(Map.of("k", "v"), ResourceInfos.network(labelled).labels());
    }

    @Test
    void anInspectedImageHasItsTagsLabelsAndDeclaredVolumes() throws Exception {
        ImageInfo i = ResourceInfos.imageFromInspect(JSON.readTree(q("""
                {'Id': 'sha256:abc', 'RepoTags': ['app:1', 'app:latest'],
                 'Config': {'Labels': {'sancho.recipe': 'r'}, 'Volumes': {'/data': {}, '/logs': {}}}}
                """)));
        assertEquals(new ImageInfo("sha256:abc", List.of("app:1", "app:latest"), Map.of("sancho.recipe", "r"),
                List.of("/data", "/logs")), i);
        assertEquals(new ImageInfo("sha256:d", List.of(), Map.of()),
                ResourceInfos.imageFromInspect(JSON.readTree(q("{'Id': 'sha256:d', 'Config': {'Labels': null}}"))));
    }

    @Test
    void aListedImageHasNoVolumesAndNullsBecomeEmpty() throws Exception {
        Image listed = JSON.readValue(q("{'Id': 'sha256:abc', 'RepoTags': ['app:1'], 'Labels': {'k': 'v'}}"), Image.class);
        assertEquals(new ImageInfo("sha256:abc", List.of("app:1"), Map.of("k", "v")), ResourceInfos.imageFromList(listed));
        Image dangling = JSON.readValue(q("{'Id': 'sha256:d'}"), Image.class);
        assertEquals(new ImageInfo("sha256:d", List.of(), Map.of()), ResourceInfos.imageFromList(dangling));
    }
}
