package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildOutputTest {

    @Test
    void chunksBecomeCleanLinesAndTheFailingStepKeepsItsLastLines() {
        List<String> lines = new ArrayList<>();
        BuildOutput out = new BuildOutput(lines::add);
        out.accept("Step 1/3 : FROM sancho-it/app:1\n ---> 9c13931effb4\nStep 2/3 : RUN make\n");
        out.accept(" ---> Running in 75cafc17d900\n\u001B[1;31mcompil");
        out.accept("ing\u001B[0m\r\n 10%\r 50%\r100%\n");
        out.accept("error: boom\n\n");
        out.flush();

        assertEquals(List.of("Step 1/3 : FROM sancho-it/app:1", " ---> 9c13931effb4", "Step 2/3 : RUN make",
                " ---> Running in 75cafc17d900", "compiling", "100%", "error: boom"), lines);
        assertEquals("Step 2/3 : RUN make", out.step());
        assertEquals(List.of("compiling", "100%", "error: boom"), out.lastLines());
    }

    @Test
    void onlyTheLastLinesOfALongStepAreKept() {
        BuildOutput out = new BuildOutput(null);
        out.accept("Step 1/1 : RUN seq 100\n");
        for (int i = 1; i <= 100; i++) {
            out.accept(i + "\n");
        }
        assertEquals(BuildOutput.KEPT_LINES, out.lastLines().size());
        assertEquals("100", out.lastLines().get(BuildOutput.KEPT_LINES - 1));
    }
}
