package dev.sancho.maven.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar the engine extracts at {@code /} of a container for {@link DockerEngine#copyToContainer}: one entry per
 * file at its target (without the leading slash), with its mode and owner. The engine creates missing parent
 * directories itself.
 */
final class FileArchive {
    private FileArchive() {}

    static byte[] tar(List<ContainerFile> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (ContainerFile f : files) {
                byte[] content = f.content();
                TarArchiveEntry entry = new TarArchiveEntry(f.target().replaceFirst("^/+", ""));
                entry.setSize(content.length);
                entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | f.mode() & 07777);
                entry.setUserId(f.uid() == null ? 0 : f.uid());
                entry.setGroupId(f.gid() == null ? 0 : f.gid());
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the archive of the container's files", e);
        }
        return out.toByteArray();
    }
}
