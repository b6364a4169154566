package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A raw log response cut into lines: multiplexed frames (a line split over two) and a TTY's raw stream. */
class LogFramesTest {

    private static void frame(ByteArrayOutputStream out, int stream, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(new byte[] {(byte) stream, 0, 0, 0, (byte) (b.length >>> 24), (byte) (b.length >>> 16),
                (byte) (b.length >>> 8), (byte) b.length});
        out.writeBytes(b);
    }

    private static List<String> lines(byte[] response) throws Exception {
        List<String> out = new ArrayList<>();
        LineFrames frames = new LineFrames(out::add);
        LogFrames.read(new ByteArrayInputStream(response), frames);
        frames.flush();
        return out;
    }

    @Test
    void multiplexedFramesBecomeWholeLinesPerStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frame(out, 1, "com.docker.swarm.task.id=t1 hel");
        frame(out, 2, "err line\n");
        frame(out, 1, "lo\nlast");
        assertEquals(List.of("err line", "com.docker.swarm.task.id=t1 hello", "last"), lines(out.toByteArray()));
    }

    @Test
    void aTtysRawStreamIsText() throws Exception {
        assertEquals(List.of("plain output", "second"), lines("plain output\r\nsecond\n".getBytes(StandardCharsets.UTF_8)));
    }
}
