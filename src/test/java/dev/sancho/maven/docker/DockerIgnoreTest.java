package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cases where docker-java's context builder and Docker disagree are the reason this class exists. */
class DockerIgnoreTest {

    private static DockerIgnore ignore(String... lines) {
        return DockerIgnore.parse(List.of(lines));
    }

    @Test
    void doubleStarMatchesTopLevelFilesToo() {
        DockerIgnore i = ignore("**/*.log");
        assertTrue(i.excludes("app.log"), "Docker excludes a top-level app.log for **/*.log");
        assertTrue(i.excludes("src/deep/b.log"));
        assertFalse(i.excludes("src/b.txt"));
    }

    @Test
    void aMatchedDirectoryExcludesEverythingInIt() {
        DockerIgnore i = ignore("secrets", "node_modules/");
        assertTrue(i.excludes("secrets/prod/key.pem"));
        assertTrue(i.excludes("node_modules/x/index.js"));
        assertFalse(i.excludes("src/secrets"), "a plain name is anchored at the context root");
    }

    @Test
    void lastMatchingLineWinsAndExceptionsReinclude() {
        DockerIgnore i = ignore("*.md", "!README.md", "README*.md");
        assertTrue(i.excludes("CHANGES.md"));
        assertTrue(i.excludes("README.md"), "the later README*.md excludes it again");
        DockerIgnore j = ignore("docs", "!docs/keep.txt");
        assertTrue(j.excludes("docs/other.txt"));
        assertFalse(j.excludes("docs/keep.txt"));
    }

    @Test
    void commentsBlankLinesLeadingSlashAndDotsAreHandledLikeDocker() {
        DockerIgnore i = ignore("# secret.txt is a comment, not a pattern", "", "  /build/  ", "./tmp/../target",
                "file?.txt", "[ab].bin", "[!c].dat");
        assertFalse(i.excludes("# secret.txt is a comment, not a pattern"));
        assertTrue(i.excludes("build/out.jar"));
        assertTrue(i.excludes("target/classes/A.class"));
        assertTrue(i.excludes("file1.txt"));
        assertFalse(i.excludes("file12.txt"));
        assertFalse(i.excludes("dir/file1.txt"), "* and ? never cross a /");
        assertTrue(i.excludes("a.bin"));
        assertFalse(i.excludes("c.bin"));
        assertTrue(i.excludes("d.dat"));
        assertFalse(i.excludes("c.dat"));
    }

    @Test
    void regexMetacharactersInNamesAreLiteral() {
        DockerIgnore i = ignore("a+b(1).txt", "v1.2");
        assertTrue(i.excludes("a+b(1).txt"));
        assertFalse(i.excludes("aab(1)xtxt"));
        assertFalse(i.excludes("v1x2"));
    }

    @Test
    void theContextTarLeavesOutIgnoredFilesButAlwaysSendsDockerfileAndDockerignore(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        Files.writeString(dir.resolve(".dockerignore"), "secret.txt\n**/*.log\nDockerfile\n.dockerignore\n");
        Files.writeString(dir.resolve("secret.txt"), "s3cr3t");
        Files.writeString(dir.resolve("app.log"), "x");
        Files.createDirectories(dir.resolve("src/empty"));
        Files.writeString(dir.resolve("src/Main.java"), "class Main {}");
        Files.writeString(dir.resolve("src/run.log"), "x");
        Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("run.sh"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("src/Main.java"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BuildContext.Written w = BuildContext.write(dir, null, out);

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                names.add(e.getName());
                if (e.getName().equals("run.sh")) {
                    assertEquals(0755, e.getMode() & 0777);
                }
                if (e.getName().equals("link")) {
                    assertTrue(e.isSymbolicLink());
                    assertEquals("src/Main.java", e.getLinkName());
                }
            }
        }
        assertEquals("Dockerfile", w.dockerfileInTar());
        assertTrue(names.containsAll(List.of("Dockerfile", ".dockerignore", "src/", "src/Main.java", "src/empty/",
                "run.sh", "link")), names.toString());
        assertFalse(names.contains("secret.txt"), names.toString());
        assertFalse(names.contains("app.log"), names.toString());
        assertFalse(names.contains("src/run.log"), names.toString());
    }

    @Test
    void aDockerfileOutsideTheContextIsSentUnderItsOwnName(@TempDir Path dir) throws Exception {
        Path ctx = Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("build.Dockerfile"), "FROM scratch\n");
        Files.writeString(ctx.resolve("a.txt"), "a");
        BuildContext.Written w = BuildContext.write(ctx, "../build.Dockerfile", new ByteArrayOutputStream());
        assertEquals(BuildContext.OUTSIDE_DOCKERFILE, w.dockerfileInTar());
        assertTrue(w.entries().contains(BuildContext.OUTSIDE_DOCKERFILE));
    }
}
