package dev.sancho.maven.docker;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The Engine API's log stream read from a raw response: multiplexed frames (8-byte header: stream 0/1/2, three zero
 * bytes, the payload's length big-endian) when the task has no TTY, else raw bytes; handed on as frames.
 */
final class LogFrames {
    private LogFrames() {}

    static void read(InputStream in, LineFrames out) throws IOException {
        byte[] header = new byte[8];
        while (true) {
            int n = in.readNBytes(header, 0, 8);
            if (n == 0) {
                return;
            }
            boolean framed = n == 8 && header[0] >= 0 && header[0] <= 2 && header[1] == 0 && header[2] == 0
                    && header[3] == 0;
            if (!framed) { // a TTY's raw stream: everything is text
                out.onNext(new Frame(StreamType.RAW, Arrays.copyOf(header, n)));
                byte[] buf = new byte[8192];
                int r;
                while ((r = in.read(buf)) > 0) {
                    out.onNext(new Frame(StreamType.RAW, Arrays.copyOf(buf, r)));
                }
                return;
            }
            int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                    | (header[7] & 0xff);
            byte[] payload = in.readNBytes(size);
            out.onNext(new Frame(header[0] == 2 ? StreamType.STDERR : StreamType.STDOUT, payload));
            if (payload.length < size) {
                return;
            }
        }
    }
}
