package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
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
        var n = JSON.readTree(q("{'Id': 'n1', 'Name': 'backend', 'Driver': 'bridge'}"));
        assertEquals(new NetworkInfo("n1", "backend", "bridge", Map.of(), new NetworkOptions(false, false, false,
                Map.of())), ResourceInfos.network(n));
        var nullLabels = JSON.readTree(q("{'Id': 'n1', 'Name': 'backend', 'Driver': 'bridge', 'Labels': null}"));
        assertEquals(Map.of(), ResourceInfos.network(nullLabels).labels());
        var labelled = JSON.readTree(q("{'Id': 'n2', 'Name': 'x', 'Driver': 'overlay', 'Labels': {'k': 'v'}}"));
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
        var listed = JSON.readTree(q("{'Id': 'sha256:abc', 'RepoTags': ['app:1'], 'Labels': {'k': 'v'}}"));
        assertEquals(new ImageInfo("sha256:abc", List.of("app:1"), Map.of("k", "v")), ResourceInfos.imageFromList(listed));
        var dangling = JSON.readTree(q("{'Id': 'sha256:d', 'RepoTags': null, 'Labels': null}"));
        assertEquals(new ImageInfo("sha256:d", List.of(), Map.of()), ResourceInfos.imageFromList(dangling));
    }
}
