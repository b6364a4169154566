package dev.sancho.maven.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * One file from an engine's archive stream (GET .../archive: a tar) into another's (PUT .../archive), renamed, with
 * its SHA-256 measured on the way. A pipe of {@link #BUFFER} bytes between the two requests bounds what is in memory
 * at any moment, whatever the file's size.
 */
final class FileStream {
    static final int BUFFER = 1 << 20;

    private FileStream() {}

    interface Source {
        InputStream open() throws Exception;
    }

    static StreamedFile copy(Source from, Consumer<InputStream> to, String path, String name) throws Exception {
        MessageDigest sha = sha256();
        long[] size = {-1};
        AtomicReference<Throwable> failed = new AtomicReference<>();
        PipedInputStream pipeIn = new PipedInputStream(BUFFER);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
        try (InputStream raw = from.open()) {
            Thread writer = new Thread(() -> {
                try (TarArchiveInputStream in = new TarArchiveInputStream(raw);
                        TarArchiveOutputStream out = new TarArchiveOutputStream(pipeOut)) {
                    out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    TarArchiveEntry e = in.getNextEntry();
                    if (e == null || !e.isFile()) {
                        throw new IOException(path + " is not a regular file");
                    }
                    TarArchiveEntry copy = new TarArchiveEntry(name);
                    copy.setSize(e.getSize());
                    copy.setMode(0600);
                    copy.setModTime(e.getModTime());
                    out.putArchiveEntry(copy);
                    DigestInputStream digesting = new DigestInputStream(in, sha);
                    byte[] buf = new byte[64 * 1024];
                    long n = 0;
                    for (int r; (r = digesting.read(buf)) > 0; ) {
                        out.write(buf, 0, r);
                        n += r;
                    }
                    out.closeArchiveEntry();
                    out.finish();
                    size[0] = n;
                } catch (Throwable t) {
                    failed.set(t);
                    try {
                        pipeIn.close(); // the upload then fails instead of waiting for more
                    } catch (IOException ignored) {
                        // closing a pipe does not fail
                    }
                }
            }, "sancho-file-stream");
            writer.setDaemon(true);
            writer.start();
            RuntimeException upload = null;
            boolean writerFailedFirst = false;
            try {
                to.accept(pipeIn);
            } catch (RuntimeException e) {
                upload = e;
                // the writer records its failure before it closes the pipe: then the upload only saw the closed pipe
                writerFailedFirst = failed.get() != null;
            } finally {
                pipeIn.close();
            }
            writer.join();
            if (upload != null && !writerFailedFirst) {
                throw upload; // the cause (the engine's answer, e.g. no space left); the writer then saw a closed pipe
            }
            if (failed.get() != null) {
                Throwable t = failed.get();
                throw t instanceof Exception ex ? ex : new IOException(t);
            }
        }
        return new StreamedFile(size[0], HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * One file from an engine's archive stream (GET .../archive) into {@code to}, 64 KiB at a time, its SHA-256
     * measured on the bytes written. A stream that ends before the size its tar header promised fails.
     */
    static StreamedFile download(Source from, OutputStream to, String path) throws Exception {
        MessageDigest sha = sha256();
        try (InputStream raw = from.open(); TarArchiveInputStream in = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e = in.getNextEntry();
            if (e == null || !e.isFile()) {
                throw new IOException(path + " is not a regular file");
            }
            byte[] buf = new byte[64 * 1024];
            long n = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                to.write(buf, 0, r);
                sha.update(buf, 0, r);
                n += r;
            }
            if (n != e.getSize()) {
                throw new IOException(path + ": the engine sent " + n + " of its " + e.getSize() + " bytes");
            }
            return new StreamedFile(n, HexFormat.of().formatHex(sha.digest()));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
