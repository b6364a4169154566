package dev.sancho.maven.docker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a build context as the tar the engine's build endpoint wants, the way {@code docker build} does:
 * {@code .dockerignore} honoured (see {@link DockerIgnore}), the Dockerfile and {@code .dockerignore} always sent,
 * symlinks sent as links (not followed), file modes kept. A Dockerfile outside the context is sent under
 * {@link #OUTSIDE_DOCKERFILE}, like the CLI does.
 */
final class BuildContext {
    static final String OUTSIDE_DOCKERFILE = ".sancho.Dockerfile";

    private BuildContext() {}

    /** What was written: the Dockerfile's path inside the tar, and the entries (for tests and debug output). */
    record Written(String dockerfileInTar, List<String> entries) {}

    static Written write(Path context, String dockerfile, OutputStream out) throws IOException {
        Path root = context.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new DockerOperationException("build context " + root + " is not a directory");
        }
        Path df = root.resolve(dockerfile == null || dockerfile.isBlank() ? "Dockerfile" : dockerfile).normalize();
        if (!Files.isRegularFile(df)) {
            throw new DockerOperationException("Dockerfile " + df + " does not exist");
        }
        boolean inside = df.startsWith(root);
        String dfInTar = inside ? slashes(root.relativize(df)) : OUTSIDE_DOCKERFILE;
        DockerIgnore ignore = DockerIgnore.read(root);
        List<String> entries = new ArrayList<>();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root)) {
                        String rel = slashes(root.relativize(dir));
                        // An excluded directory is still walked: a later "!dir/keep" may re-include a file in it.
                        if (!ignore.excludes(rel)) {
                            add(tar, dir, rel + "/", entries);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String rel = slashes(root.relativize(file));
                    boolean always = rel.equals(dfInTar) || rel.equals(".dockerignore");
                    if (always || !ignore.excludes(rel)) {
                        add(tar, file, rel, entries);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            if (!inside) {
                add(tar, df, OUTSIDE_DOCKERFILE, entries);
            }
            tar.finish();
        }
        return new Written(dfInTar, List.copyOf(entries));
    }

    private static void add(TarArchiveOutputStream tar, Path path, String name, List<String> entries)
            throws IOException {
        TarArchiveEntry entry;
        if (Files.isSymbolicLink(path)) {
            entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
        } else {
            entry = new TarArchiveEntry(path, name, LinkOption.NOFOLLOW_LINKS);
        }
        entry.setMode(mode(path, entry));
        // Owner/group of the build machine mean nothing in the image; the CLI sends 0/0 as well.
        entry.setIds(0, 0);
        entry.setNames("", "");
        tar.putArchiveEntry(entry);
        if (!entry.isSymbolicLink() && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
        entries.add(name);
    }

    private static int mode(Path path, TarArchiveEntry entry) {
        int type = entry.isSymbolicLink() ? 0120000 : entry.isDirectory() ? 040000 : 0100000;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            int bits = 0;
            for (PosixFilePermission p : perms) {
                bits |= 1 << (8 - p.ordinal());
            }
            return type | bits;
        } catch (UnsupportedOperationException | IOException e) {
            return type | (entry.isDirectory() || Files.isExecutable(path) ? 0755 : 0644);
        }
    }

    private static String slashes(Path relative) {
        return relative.toString().replace('\\', '/');
    }
}
