package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.BuildResponseItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BuildResponseItem item(String json) throws Exception {
        return JSON.readValue(json.replace('\'', '"'), BuildResponseItem.class);
    }

    @Test
    void aSuccessfulBuildReportsItsLinesAndImageId() throws Exception {
        List<String> lines = new ArrayList<>();
        BuildStream stream = new BuildStream(lines::add);
        stream.onNext(item("{'stream': 'Step 1/1 : FROM sancho-it/app:1\\n'}"));
        stream.onNext(item("{'stream': ' ---> 9c13931effb4\\n'}"));
        stream.onNext(item("{'stream': 'Successfully built 9c13931effb4\\n'}"));
        stream.onNext(item("{'stream': 'Successfully tagged app:2'}"));
        stream.flush();

        assertEquals(List.of("Step 1/1 : FROM sancho-it/app:1", " ---> 9c13931effb4",
                "Successfully built 9c13931effb4", "Successfully tagged app:2"), lines);
        assertEquals("9c13931effb4", stream.imageId());
        assertNull(stream.failure());
    }

    @Test
    void theFirstErrorBecomesTheFailureOfTheCurrentStep() throws Exception {
        BuildStream stream = new BuildStream(null);
        stream.onNext(item("{'stream': 'Step 2/3 : RUN make\\n'}"));
        stream.onNext(item("{'stream': 'make: *** no rule\\n'}"));
        stream.onNext(item("{'error': 'ignored', 'errorDetail': {'code': 2, 'message':"
                + " 'The command \\u001b[1m/bin/sh -c make\\u001b[0m returned a non-zero code: 2'}}"));
        stream.onNext(item("{'error': 'a second error'}"));
        stream.flush();

        ImageBuildException e = stream.failure();
        assertEquals("Step 2/3 : RUN make", e.step());
        assertEquals("The command /bin/sh -c make returned a non-zero code: 2", e.reason());
        assertEquals(List.of("make: *** no rule"), e.lastLines());
        assertNull(stream.imageId());
    }

    @Test
    void anErrorWithoutDetailUsesItsText() throws Exception {
        BuildStream stream = new BuildStream(null);
        stream.onNext(item("{'error': 'pull access denied for nope'}"));
        ImageBuildException e = stream.failure();
        assertNull(e.step());
        assertEquals("build failed: pull access denied for nope", e.getMessage());
    }
}
