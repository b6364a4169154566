package dev.sancho.maven.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link StdinStream} over docker-java's attach: the transport sends whatever {@link #feed} yields on the upgraded
 * connection; the engine's answer (the container's output, none for the lock) ends when the container stops or the
 * connection breaks. Errors are recorded, never logged by the library (its callback would print a stack trace).
 */
final class AttachedStdin implements StdinStream {
    private static final byte[] EOF = new byte[0];

    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean ended;
    private volatile boolean closed;
    private volatile Throwable error;

    /** What the transport reads and sends: the bytes written, until {@link #close()}. */
    final InputStream feed = new InputStream() {
        private byte[] current = new byte[0];
        private int pos;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= current.length) {
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                pos = 0;
                if (current == EOF) {
                    queue.offer(EOF); // every later read ends too
                    return -1;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    };

    final ResultCallback<Frame> callback = new ResultCallback<>() {
        private volatile Closeable stream;

        @Override
        public void onStart(Closeable stream) {
            this.stream = stream;
            settled.countDown();
        }

        @Override
        public void onNext(Frame frame) {
            // the lock's process prints nothing; anything else is not ours to show
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            finish();
        }

        @Override
        public void onComplete() {
            finish();
        }

        @Override
        public void close() throws IOException {
            finish();
        }

        private void finish() {
            ended = true;
            settled.countDown();
            Closeable s = stream;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the connection is going anyway
                }
            }
        }
    };

    /** Waits until the engine accepted the attach (or refused it). */
    void awaitAccepted(String address, String containerId) {
        try {
            if (!settled.await(30, TimeUnit.SECONDS)) {
                close();
                throw new DockerOperationException("the engine at " + address + " did not accept the attach to "
                        + containerId + " within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new DockerOperationException("interrupted while attaching to " + containerId, e);
        }
        if (error != null) {
            close();
            throw DockerErrors.translate(address, "container " + containerId, error);
        }
        if (ended) {
            throw new DockerOperationException("the engine at " + address + " ended the attach to " + containerId
                    + " at once");
        }
    }

    @Override
    public void write(byte[] bytes) {
        if (ended || closed) {
            throw new DockerOperationException("the attach has ended");
        }
        queue.offer(bytes.clone());
    }

    @Override
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            queue.offer(EOF);
        }
        try {
            callback.close();
        } catch (IOException ignored) {
            // finish() swallows its own
        }
    }
}
