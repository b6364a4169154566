package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** The tar extracted at a container's root: each file at its target, with its mode and owner. */
class FileArchiveTest {

    @Test
    void eachFileIsAnEntryAtItsTargetWithModeAndOwner() throws IOException {
        byte[] tar = FileArchive.tar(List.of(ContainerFile.text("/run/secrets/token", "tok", 0444, null, null),
                ContainerFile.text("/etc/app/conf", "a=1\n", 0640, 1000, 1001)));
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e = in.getNextEntry();
            assertEquals("run/secrets/token", e.getName());
            assertEquals(0444, e.getMode() & 07777);
            assertEquals(0, e.getLongUserId());
            assertEquals("tok", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            e = in.getNextEntry();
            assertEquals("etc/app/conf", e.getName());
            assertEquals(0640, e.getMode() & 07777);
            assertEquals(1000, e.getLongUserId());
            assertEquals(1001, e.getLongGroupId());
            assertEquals(true, e.isFile());
            assertEquals("a=1\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertNull(in.getNextEntry());
        }
    }

    @Test
    void theContentNeverPrints() {
        ContainerFile f = ContainerFile.text("/run/secrets/token", "tok-secret", 0400, 7, null);
        assertEquals("/run/secrets/token mode=0400 uid=7 (10 bytes)", f.toString(), "no digest of the content either");
    }

    /** The archive the engine answers for a directory: entries named from its last component, directories too. */
    private static byte[] engineArchive(String... namesAndContents) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                String name = namesAndContents[i];
                TarArchiveEntry e = new TarArchiveEntry(name);
                if (!name.endsWith("/")) {
                    byte[] b = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                    e.setSize(b.length);
                    e.setMode(0100600);
                    e.setUserId(0);
                    tar.putArchiveEntry(e);
                    tar.write(b);
                } else {
                    tar.putArchiveEntry(e);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void anArchiveTheEngineAnsweredIsReadBackAtAbsolutePathsFilesOnly() throws IOException {
        byte[] tar = engineArchive("letsencrypt/", null, "letsencrypt/acme.json", "{}",
                "letsencrypt/certificates/", null, "letsencrypt/certificates/a/a.crt", "PEM");
        List<ContainerFile> files = FileArchive.untar(new ByteArrayInputStream(tar), "/letsencrypt/", 1024);
        assertEquals(List.of("/letsencrypt/acme.json", "/letsencrypt/certificates/a/a.crt"),
                files.stream().map(ContainerFile::target).toList());
        assertEquals(0600, files.get(0).mode());
        assertEquals("{}", new String(files.get(0).content(), StandardCharsets.UTF_8));
        // one file asked for by its path: the entry is its bare name
        List<ContainerFile> one = FileArchive.untar(new ByteArrayInputStream(engineArchive("acme.json", "{}")),
                "/letsencrypt/acme.json", 1024);
        assertEquals("/letsencrypt/acme.json", one.get(0).target());
    }

    @Test
    void moreThanTheLimitIsAnErrorNotARead() throws IOException {
        byte[] tar = engineArchive("data/big", "x".repeat(2000));
        IOException e = assertThrows(IOException.class,
                () -> FileArchive.untar(new ByteArrayInputStream(tar), "/data", 1024));
        assertTrue(e.getMessage().startsWith("/data holds more than"), e.getMessage());
    }
}
