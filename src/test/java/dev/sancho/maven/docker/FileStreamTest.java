package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** One file from one archive stream into another, renamed, measured on the way; larger than the pipe. */
class FileStreamTest {

    private static byte[] tar(String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            t.putArchiveEntry(e);
            t.write(content);
            t.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    @Test
    void aFileSeveralTimesThePipeArrivesWholeRenamedWithItsDigest() throws Exception {
        byte[] content = new byte[3 * FileStream.BUFFER + 12345];
        new Random(25).nextBytes(content);
        byte[] source = tar("sancho-backup-x.dump", content);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        StreamedFile f = FileStream.copy(() -> new ByteArrayInputStream(source), in -> {
            try {
                in.transferTo(received);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "/tmp/sancho-backup-x.dump", "x.dump");
        assertEquals(content.length, f.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), f.sha256());
        try (TarArchiveInputStream t = new TarArchiveInputStream(new ByteArrayInputStream(received.toByteArray()))) {
            TarArchiveEntry e = t.getNextEntry();
            assertEquals("x.dump", e.getName());
            assertEquals(0600, e.getMode() & 07777);
            assertArrayEquals(content, t.readAllBytes());
        }
    }

    @Test
    void aDownloadWritesTheFileBytesOnlyWithTheirDigestAndATruncatedStreamFails() throws Exception {
        byte[] content = new byte[3 * FileStream.BUFFER + 777];
        new Random(26).nextBytes(content);
        byte[] source = tar("x.dump", content);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        StreamedFile f = FileStream.download(() -> new ByteArrayInputStream(source), written, "/b/x.dump");
        assertArrayEquals(content, written.toByteArray());
        assertEquals(content.length, f.size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), f.sha256());

        byte[] cut = java.util.Arrays.copyOf(source, 512 + content.length / 2);
        assertThrows(IOException.class, () -> FileStream.download(() -> new ByteArrayInputStream(cut),
                new ByteArrayOutputStream(), "/b/x.dump"));
    }

    @Test
    void aFailedUploadFailsTheCopy() {
        byte[] content = new byte[2 * FileStream.BUFFER];
        assertThrows(IllegalStateException.class, () -> FileStream.copy(() -> new ByteArrayInputStream(
                tar("a", content)), in -> {
                    throw new IllegalStateException("disk full (engine)");
                }, "/a", "a"));
    }

    @Test
    void aDirectoryIsNotAFile() {
        assertThrows(IOException.class, () -> FileStream.copy(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
                t.putArchiveEntry(new TarArchiveEntry("dir/"));
                t.closeArchiveEntry();
            }
            return (InputStream) new ByteArrayInputStream(out.toByteArray());
        }, in -> {
            try {
                in.transferTo(new ByteArrayOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "/dir", "x"));
    }
}
