package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
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
}
