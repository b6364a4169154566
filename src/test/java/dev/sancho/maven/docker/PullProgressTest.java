package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.PullResponseItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullProgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PullResponseItem item(String json) throws Exception {
        return JSON.readValue(json.replace('\'', '"'), PullResponseItem.class);
    }

    @Test
    void eachAnswerWithAStatusIsOneLine() throws Exception {
        assertEquals("Pulling from library/alpine", PullProgress.line(item("{'status': 'Pulling from library/alpine'}")));
        assertEquals("3f4ca61a: Downloading [==>   ] 1MB/5MB",
                PullProgress.line(item("{'id': '3f4ca61a', 'status': 'Downloading', 'progress': '[==>   ] 1MB/5MB'}")));
        assertNull(PullProgress.line(item("{'id': '3f4ca61a'}")));
    }

    @Test
    void linesGoToTheConsumerAndNoConsumerIsFine() throws Exception {
        List<String> lines = new ArrayList<>();
        PullProgress progress = new PullProgress(lines::add);
        progress.onNext(item("{'id': 'a', 'status': 'Pull complete'}"));
        progress.onNext(item("{'progress': 'no status'}"));
        new PullProgress(null).onNext(item("{'status': 'Digest: sha256:abc'}"));
        assertEquals(List.of("a: Pull complete"), lines);
    }
}
