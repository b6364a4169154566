package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.StreamedFile;
import dev.sancho.maven.plan.Stack;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;

/**
 * A proven backup copied from the backups volume on the engine's host to a file on this machine, for off-site
 * storage ({@code sancho.backupCopyTo}). Read through the engine's archive API (so it works over {@code ssh://}),
 * streamed to disk 64 KiB at a time, its SHA-256 checked against the record, written to a temporary file next to the
 * target and only then linked in under its name: a copy that fails leaves nothing, an existing file is never replaced.
 */
public final class BackupCopy {
    private BackupCopy() {}

    /**
     * @param to       a directory (an existing one, or a path ending in {@code /}): the copy is {@code <id>.dump} in
     *                 it; else the file to write
     * @param backupId an existing proven backup to copy instead of taking one; null: copy the ones just taken
     */
    public record Request(Path to, boolean toDirectory, String backupId) {
        /** From the parameter's text: a trailing slash or an existing directory names a directory. */
        public static Request of(String to, String backupId) {
            return of(Path.of(""), to, backupId);
        }

        /** The same, a relative path taken from {@code base} (the project's directory). */
        public static Request of(Path base, String to, String backupId) {
            String t = to.strip();
            Path p = base.resolve(t).toAbsolutePath().normalize();
            return new Request(p, t.endsWith("/") || t.endsWith(java.io.File.separator) || Files.isDirectory(p),
                    backupId == null || backupId.isBlank() ? null : backupId.strip());
        }
    }

    /** Where backup {@code id} is written. */
    static Path destination(Request r, String id) {
        return r.toDirectory() ? r.to().resolve(id + ".dump") : r.to();
    }

    /**
     * Refuses, before anything is taken or changed, a request that cannot be met: a file named for several backups,
     * a file that exists already.
     */
    static void precheck(Request r, int backups) {
        if (!r.toDirectory() && backups > 1) {
            throw new ConfigException("parameter backupCopyTo (sancho.backupCopyTo): " + r.to() + " names one file,"
                    + " but " + backups + " services are backed up; name a directory (end it with /) or one service"
                    + " (sancho.services); nothing was changed");
        }
        if (!r.toDirectory() && Files.exists(r.to())) {
            throw exists(r.to());
        }
    }

    private static ConfigException exists(Path file) {
        return new ConfigException("parameter backupCopyTo (sancho.backupCopyTo): " + file + " already exists and a"
                + " copy never replaces a file; name another file or a directory; nothing was changed");
    }

    /**
     * Copies backup {@code b} (proven, in the backups volume) to its destination and returns that path.
     *
     * @throws CheckFailedException one line, when the copy failed or its bytes differ from the record; nothing is left
     */
    public static Path copy(DockerEngine engine, Stack stack, BackupRecord b, Request r, Log log) {
        Path dest = destination(r, b.id());
        if (Files.exists(dest)) {
            throw exists(dest);
        }
        Path dir = dest.getParent();
        Path tmp = dir.resolve("." + dest.getFileName() + ".part-" + Long.toString(Time.nanoTime() & 0xffffffL, 36));
        String failed = "copy of backup " + b.id() + " to " + dest + " failed: ";
        try {
            Files.createDirectories(dir);
            LocalWrites local;
            StreamedFile got;
            try (FileChannel ch = FileChannel.open(tmp, createPrivate(tmp));
                    LocalWrites out = new LocalWrites(Channels.newOutputStream(ch))) {
                local = out;
                try {
                    got = Backups.withReader(engine, stack, log, reader -> engine.streamFileTo(reader, b.dumpFile(),
                            out));
                } catch (DockerOperationException e) {
                    if (local.failure != null) {
                        throw local.failure;
                    }
                    throw new CheckFailedException(failed + "reading it from volume " + Backups.volumeName(
                            stack.project()) + " on " + engine.address() + ": " + e.getMessage()
                            + "; nothing was written");
                }
                out.flush();
                ch.force(true);
            }
            if (got.size() != b.size() || !got.sha256().equals(b.sha256())) {
                throw new CheckFailedException("copy of backup " + b.id() + " to " + dest + " refused: the bytes"
                        + " written have SHA-256 " + got.sha256().substring(0, 12) + " (" + got.size() + " bytes),"
                        + " the record " + b.sha256().substring(0, 12) + " (" + b.size() + " bytes): the file in"
                        + " volume " + Backups.volumeName(stack.project()) + " changed since it was proven; nothing"
                        + " was written");
            }
            link(tmp, dest);
            log.info("Copied backup " + b.id() + " (" + b.humanSize() + ", sha256 " + b.sha256().substring(0, 12)
                    + " checked) to " + dest);
            return dest;
        } catch (FileAlreadyExistsException e) {
            throw exists(dest);
        } catch (IOException e) {
            throw new CheckFailedException(failed + "writing " + dir + ": " + reason(e) + "; nothing was written");
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                log.warn("could not remove the partial copy " + tmp + ": " + reason(e));
            }
        }
    }

    /** The temporary file under its final name, never over an existing file: a hard link, else a plain rename. */
    private static void link(Path tmp, Path dest) throws IOException {
        try {
            Files.createLink(dest, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // no hard links here (some network or FAT file systems): a rename without replace, checked just before
            Files.move(tmp, dest);
        }
    }

    /** A dump holds the database's data: readable by its owner only (where the file system has POSIX modes). */
    private static java.util.Set<StandardOpenOption> createPrivate(Path tmp) throws IOException {
        Files.createFile(tmp, tmp.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new java.nio.file.attribute.FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new java.nio.file.attribute.FileAttribute<?>[0]);
        return java.util.Set.of(StandardOpenOption.WRITE);
    }

    private static String reason(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason().toLowerCase(Locale.ROOT)
                : m;
    }

    /** Remembers a failed write to the local file, so it is not taken for the engine's failure. */
    private static final class LocalWrites extends FilterOutputStream {
        IOException failure;

        LocalWrites(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    /** The backups of {@code all} a request copies when it names an existing one. */
    static BackupRecord find(List<BackupRecord> all, String id) {
        return all.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(() -> new ConfigException(
                "sancho.backup=" + id + ": no proven backup has this id" + (all.isEmpty() ? " (there is none)"
                        : " (newest: " + all.get(0).id() + "; mvn sancho:backups lists them)")
                        + "; nothing was changed"));
    }
}
