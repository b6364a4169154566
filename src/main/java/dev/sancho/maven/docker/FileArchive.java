package dev.sancho.maven.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar the engine extracts at {@code /} of a container for {@link DockerEngine#copyToContainer}: one entry per
 * file at its target (without the leading slash), with its mode and owner. The engine creates missing parent
 * directories itself. And the other way: the tar the engine answers for a path of a container
 * ({@link DockerEngine#readFiles}), read back into files.
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

    /**
     * The regular files of an archive the engine answered for {@code path} (its entries are named from the path's
     * last component: {@code letsencrypt/acme.json} for {@code /letsencrypt}), each at its absolute path in the
     * container, with its mode and owner. Directories, links and devices are left out.
     *
     * @param maxBytes the most content read in all; more is an error (a certificate store is kilobytes)
     */
    static List<ContainerFile> untar(InputStream archive, String path, long maxBytes) throws IOException {
        String trimmed = path.replaceAll("/+$", "");
        String parent = trimmed.contains("/") ? trimmed.substring(0, trimmed.lastIndexOf('/')) : "";
        List<ContainerFile> files = new ArrayList<>();
        long total = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile()) {
                    continue;
                }
                total += e.getSize();
                if (total > maxBytes) {
                    throw new IOException(path + " holds more than " + maxBytes / (1024 * 1024) + " MB");
                }
                byte[] content = tar.readAllBytes();
                String name = e.getName().replaceFirst("^(\\./)+", "");
                files.add(new ContainerFile(parent + "/" + name, content, e.getMode() & 07777,
                        (int) e.getLongUserId(), (int) e.getLongGroupId()));
            }
        }
        return files;
    }
}
