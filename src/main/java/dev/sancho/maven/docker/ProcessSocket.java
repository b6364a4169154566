package dev.sancho.maven.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP connection carried by one {@code ssh ... docker system dial-stdio} process: what the HTTP client writes
 * goes to its stdin, what it reads comes from its stdout. dial-stdio is one connection per process, so the client
 * pools these sockets and HTTP/1.1 keep-alive carries sequential requests over one process.
 *
 * <p>The process starts on {@link #connect}. When it ends before the engine said anything (ssh refused, the remote
 * has no docker, the daemon is down) the next read or write fails with a {@link TransportException} whose one
 * line comes from ssh's stderr ({@link SshFailure}). {@link #close} ends the process and forgets it.
 */
final class ProcessSocket extends Socket {
    /** ssh's stderr is kept for the error message; more than this is chatter. */
    private static final int STDERR_LIMIT = 16 * 1024;

    private final List<String> command;
    private final SshAddress ssh;
    private final Set<ProcessSocket> live;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private volatile Process process;
    private Thread stderrReader;
    private InputStream in;
    private OutputStream out;
    private volatile boolean closed;
    private volatile boolean answered;

    /** @param live the sockets still to be reaped; this one adds itself on connect and removes itself on close */
    ProcessSocket(List<String> command, SshAddress ssh, Set<ProcessSocket> live) {
        this.command = List.copyOf(command);
        this.ssh = ssh;
        this.live = live;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public synchronized void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (process != null) {
            return;
        }
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new TransportException("cannot run ssh (" + e.getMessage() + "): ssh:// needs the OpenSSH"
                    + " client (ssh) on PATH");
        }
        live.add(this);
        Process p = process;
        stderrReader = new Thread(() -> drainStderr(p), "sancho-ssh-stderr");
        stderrReader.setDaemon(true);
        stderrReader.start();
        in = new Input(p.getInputStream());
        out = new Output(p.getOutputStream());
    }

    private void drainStderr(Process p) {
        byte[] buf = new byte[1024];
        try (InputStream err = p.getErrorStream()) {
            for (int n; (n = err.read(buf)) >= 0; ) {
                synchronized (stderr) {
                    if (stderr.size() < STDERR_LIMIT) {
                        stderr.write(buf, 0, Math.min(n, STDERR_LIMIT - stderr.size()));
                    }
                }
            }
        } catch (IOException ignored) {
            // the process is gone: what it wrote so far is all there is
        }
    }

    /** The ssh process ended (or is ending) before the engine answered: say why. */
    private TransportException failure() {
        Process p = process;
        int exit = -1;
        try {
            if (p.waitFor(10, TimeUnit.SECONDS)) {
                exit = p.exitValue();
            }
            stderrReader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text;
        synchronized (stderr) {
            text = stderr.toString(StandardCharsets.UTF_8);
        }
        return new TransportException(SshFailure.explain(ssh, text, exit));
    }

    /** The process behind this socket, for tests; null before connect. */
    Process process() {
        return process;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        checkOpen();
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        checkOpen();
        return out;
    }

    private void checkOpen() throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (process == null) {
            throw new SocketException("Socket is not connected");
        }
    }

    @Override
    public boolean isConnected() {
        return process != null;
    }

    @Override
    public boolean isBound() {
        return process != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return InetSocketAddress.createUnresolved(ssh.host(), ssh.port() == 0 ? 22 : ssh.port());
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return InetSocketAddress.createUnresolved("localhost", 0);
    }

    @Override
    public void shutdownOutput() throws IOException {
        checkOpen();
        out.close();
    }

    /**
     * Closes ssh's stdin first, so the remote dial-stdio ends its engine connection cleanly; a process that is
     * still there half a second later is terminated, then killed.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            super.close();
        } finally {
            reap();
        }
    }

    /** Ends the process without waiting for a clean exit (shutdown hook, Ctrl-C). Safe to call more than once. */
    void kill() {
        closed = true;
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        live.remove(this);
    }

    private void reap() {
        Process p = process;
        live.remove(this);
        if (p == null) {
            return;
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
                p.destroy();
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** ssh's stdout: an end before the first byte is a failed connection, explained from stderr. */
    private final class Input extends InputStream {
        private final InputStream stdout;

        Input(InputStream stdout) {
            this.stdout = stdout;
        }

        @Override
        public int read() throws IOException {
            int b = stdout.read();
            return checked(b < 0 ? -1 : 1) < 0 ? -1 : b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return checked(stdout.read(b, off, len));
        }

        private int checked(int n) throws IOException {
            if (n > 0) {
                answered = true;
            } else if (n < 0 && !answered && !closed) {
                throw failure();
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return stdout.available();
        }

        @Override
        public void close() throws IOException {
            stdout.close();
        }
    }

    /** ssh's stdin: a write to a process that already ended is explained like a read that ended. */
    private final class Output extends OutputStream {
        private final OutputStream stdin;

        Output(OutputStream stdin) {
            this.stdin = stdin;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                stdin.write(b);
            } catch (IOException e) {
                throw explained(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                stdin.write(b, off, len);
            } catch (IOException e) {
                throw explained(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                stdin.flush();
            } catch (IOException e) {
                throw explained(e);
            }
        }

        private IOException explained(IOException e) {
            return answered || closed ? e : failure();
        }

        @Override
        public void close() throws IOException {
            stdin.close();
        }
    }
}
