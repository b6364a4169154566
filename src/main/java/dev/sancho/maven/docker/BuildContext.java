package dev.sancho.maven.docker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a build context as the tar the engine's build endpoint wants, the way {@code docker build} does:
 * {@code .dockerignore} honoured (see {@link DockerIgnore}; {@code <Dockerfile>.dockerignore} beside the Dockerfile
 * replaces it, as with BuildKit), the Dockerfile and the {@code .dockerignore} in use always sent, symlinks inside
 * the context sent as links (not followed), file modes kept. The context path itself may be a symlink: like the CLI,
 * its target is the context. An excluded directory is not even listed unless an exception could re-include
 * something below it, so an unreadable excluded directory (a database's data directory owned by another user)
 * cannot fail the build. A Dockerfile outside the context is sent under {@link #OUTSIDE_DOCKERFILE}, like the CLI
 * does.
 */
final class BuildContext {
    static final String OUTSIDE_DOCKERFILE = ".sancho.Dockerfile";

    private BuildContext() {}

    /** What was written: the Dockerfile's path inside the tar, and the entries (for tests and debug output). */
    record Written(String dockerfileInTar, List<String> entries) {}

    /** Lists a directory's entries; the seam through which a test sees which directories are listed. */
    @FunctionalInterface
    interface Lister {
        List<Path> list(Path dir) throws IOException;
    }

    static final Lister FILES = dir -> {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    };

    static Written write(Path context, String dockerfile, OutputStream out) throws IOException {
        return write(context, dockerfile, out, FILES);
    }

    static Written write(Path context, String dockerfile, OutputStream out, Lister lister) throws IOException {
        Path given = context.toAbsolutePath().normalize();
        if (!Files.isDirectory(given)) {
            throw new DockerOperationException("build context " + given + " is not a directory");
        }
        Path df = given.resolve(dockerfile == null || dockerfile.isBlank() ? "Dockerfile" : dockerfile).normalize();
        if (!Files.isRegularFile(df)) {
            throw new DockerOperationException("Dockerfile " + df + " does not exist");
        }
        // Symlinks resolved as the CLI does (EvalSymlinks on both): walking a link would send only the link.
        Path root = given.toRealPath();
        Path realDf = df.toRealPath();
        boolean inside = realDf.startsWith(root);
        String dfInTar = inside ? slashes(root.relativize(realDf)) : OUTSIDE_DOCKERFILE;
        DockerIgnore ignore = DockerIgnore.read(root, df);
        String ignoreInTar = ignore.source() != null && ignore.source().toRealPath().startsWith(root)
                ? slashes(root.relativize(ignore.source().toRealPath())) : null;
        List<String> entries = new ArrayList<>();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            new Walk(root, ignore, lister, dfInTar, ignoreInTar, tar, entries).directory(root);
            if (!inside) {
                add(tar, realDf, OUTSIDE_DOCKERFILE, entries);
            }
            tar.finish();
        }
        return new Written(dfInTar, List.copyOf(entries));
    }

    private record Walk(Path root, DockerIgnore ignore, Lister lister, String dfInTar, String ignoreInTar,
            TarArchiveOutputStream tar, List<String> entries) {

        void directory(Path dir) throws IOException {
            List<Path> children;
            try {
                children = lister.list(dir);
            } catch (IOException e) {
                throw unreadable("list", dir.equals(root) ? "." : slashes(root.relativize(dir)), e);
            }
            for (Path child : children) {
                String rel = slashes(root.relativize(child));
                boolean excluded = ignore.excludes(rel);
                if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    if (!excluded) {
                        copy(child, rel + "/");
                        directory(child);
                    } else if (ignore.mayReincludeBelow(rel) || holds(rel, dfInTar) || holds(rel, ignoreInTar)) {
                        directory(child);
                    }
                } else if (!excluded || rel.equals(dfInTar) || rel.equals(ignoreInTar)) {
                    copy(child, rel);
                }
            }
        }

        private void copy(Path path, String rel) throws IOException {
            try {
                add(tar, path, rel, entries);
            } catch (AccessDeniedException e) {
                throw unreadable("read", rel, e);
            }
        }

        private IOException unreadable(String what, String rel, IOException e) {
            String file = ignore.source() == null ? ".dockerignore" : ignore.source().toString();
            String hint = !rel.equals(".") && ignore.excludes(rel)
                    ? "; it is excluded, but an exception (!...) in " + file + " may re-include something in it:"
                            + " narrow that exception or make it readable"
                    : "; if the image does not need it, exclude it in " + file;
            return new IOException("cannot " + what + " " + rel + " (" + reason(e) + ")" + hint, e);
        }

        private static boolean holds(String dir, String file) {
            return file != null && file.startsWith(dir + "/");
        }

        private static String reason(IOException e) {
            return e instanceof AccessDeniedException ? "permission denied"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
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
