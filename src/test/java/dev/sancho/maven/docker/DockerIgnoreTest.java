package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
                "file?.txt", "[ab].bin");
        assertFalse(i.excludes("# secret.txt is a comment, not a pattern"));
        assertTrue(i.excludes("build/out.jar"));
        assertTrue(i.excludes("target/classes/A.class"));
        assertTrue(i.excludes("file1.txt"));
        assertFalse(i.excludes("file12.txt"));
        assertFalse(i.excludes("dir/file1.txt"), "* and ? never cross a /");
        assertTrue(i.excludes("a.bin"));
        assertFalse(i.excludes("c.bin"));
    }

    @Test
    void characterClassesAreGoRegexpClassesAsInMobyPatternmatcher() {
        // moby compiles [..] verbatim into a Go regexp: ^ negates, ! is an ordinary member (also in filepath.Match).
        DockerIgnore bang = ignore("[!c].dat");
        assertTrue(bang.excludes("c.dat"), "[!c] is the class of ! and c");
        assertTrue(bang.excludes("!.dat"));
        assertFalse(bang.excludes("d.dat"), "[!c] does not negate: d.dat is sent, as by docker build");
        DockerIgnore caret = ignore("[^c].dat", "v[0-9][a-c\\]]");
        assertTrue(caret.excludes("d.dat"));
        assertFalse(caret.excludes("c.dat"));
        assertTrue(caret.excludes("v1b"));
        assertTrue(caret.excludes("v1]"));
        assertFalse(caret.excludes("v1d"));
        assertFalse(caret.excludes("vxb"));
    }

    @Test
    void aLeadingDoubleStarBeforePlainTextIsASuffixMatchLikePatternmatcher() {
        DockerIgnore i = ignore("**.log", "**/cache");
        assertTrue(i.excludes("a/b.log"));
        assertTrue(i.excludes("x.log"));
        assertTrue(i.excludes("cache/x"));
        assertTrue(i.excludes("a/cache"));
        assertFalse(i.excludes("a/mycache"), "**/cache needs the / before cache");
    }

    @Test
    void aPatternDockerRejectsIsAOneLineErrorWithItsLine() {
        for (String bad : List.of("[]a]", "[z-a]", "[x-]", "[abc", "a\\", "!", "[^]")) {
            DockerOperationException e = assertThrows(DockerOperationException.class,
                    () -> ignore("# first", "ok", bad), bad);
            assertTrue(e.getMessage().startsWith(".dockerignore:3: bad pattern \"" + bad + "\""), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void aByteOrderMarkBeforeTheFirstRuleIsStrippedAsDockerDoes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        byte[] rules = ".env\r\nsecrets\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Files.write(dir.resolve(".dockerignore"), concat(bom, rules));
        Files.writeString(dir.resolve(".env"), "DB_PASSWORD=s3cr3t");
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/key.pem"), "k");
        Files.writeString(dir.resolve("app.txt"), "a");
        List<String> names = tarNames(dir, null);
        assertFalse(names.contains(".env"), ".env must not be sent: " + names);
        assertFalse(names.contains("secrets/key.pem"), names.toString());
        assertTrue(names.contains("app.txt"), names.toString());
    }

    @Test
    void aDockerfileSpecificIgnoreFileReplacesTheContextOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.Dockerfile"), "FROM scratch\n");
        Files.writeString(dir.resolve("app.Dockerfile.dockerignore"), "secrets/\n");
        Files.writeString(dir.resolve(".dockerignore"), "notes.txt\n");
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/key.pem"), "k");
        Files.writeString(dir.resolve("notes.txt"), "n");
        List<String> names = tarNames(dir, "app.Dockerfile");
        assertFalse(names.contains("secrets/key.pem"), "app.Dockerfile.dockerignore not honoured: " + names);
        assertTrue(names.contains("notes.txt"), "the Dockerfile's own ignore file takes precedence: " + names);
        assertTrue(names.contains("app.Dockerfile"), names.toString());

        // beside the Dockerfile, not at the context root; without one, the context's .dockerignore applies
        Files.createDirectories(dir.resolve("docker"));
        Files.writeString(dir.resolve("docker/web.Dockerfile"), "FROM scratch\n");
        Files.writeString(dir.resolve("docker/web.Dockerfile.dockerignore"), "*.txt\n");
        List<String> web = tarNames(dir, "docker/web.Dockerfile");
        assertFalse(web.contains("notes.txt"), web.toString());
        assertTrue(web.contains("secrets/key.pem"), web.toString());
        Files.writeString(dir.resolve("docker/plain.Dockerfile"), "FROM scratch\n");
        List<String> plain = tarNames(dir, "docker/plain.Dockerfile");
        assertFalse(plain.contains("notes.txt"), plain.toString());
        assertTrue(plain.contains("secrets/key.pem"), plain.toString());
    }

    /**
     * Tests run as root in CI, where mode 700 of another uid does not stop reading: a real permission test could not
     * fail there. So the directory is made unlistable through the lister seam (as an unreadable one is for a
     * non-root user), and the test also asserts it is never listed at all.
     */
    @Test
    void anExcludedDirectoryIsNotListedUnlessAnExceptionCouldReincludeSomethingBelowIt(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        Files.createDirectories(dir.resolve("pgdata/base"));
        Files.writeString(dir.resolve("pgdata/PG_VERSION"), "16");
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/Main.java"), "class Main {}");
        List<Path> listed = new ArrayList<>();
        BuildContext.Lister unreadablePgdata = d -> {
            listed.add(d);
            if (d.getFileName().toString().equals("pgdata")) {
                throw new java.nio.file.AccessDeniedException(d.toString());
            }
            return BuildContext.FILES.list(d);
        };

        Files.writeString(dir.resolve(".dockerignore"), "pgdata\n!src/Main.java\n");
        BuildContext.Written w = BuildContext.write(dir, null, new ByteArrayOutputStream(), unreadablePgdata);
        assertTrue(w.entries().contains("src/Main.java"), w.entries().toString());
        assertFalse(w.entries().stream().anyMatch(e -> e.startsWith("pgdata")), w.entries().toString());
        assertFalse(listed.contains(dir.toRealPath().resolve("pgdata")), "an excluded directory was listed");

        // an exception that can match below it: the directory must be listed, and failing to is a clear error
        Files.writeString(dir.resolve(".dockerignore"), "pgdata\n!pgdata/PG_VERSION\n");
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> BuildContext.write(dir, null, new ByteArrayOutputStream(), unreadablePgdata));
        assertTrue(e.getMessage().startsWith("cannot list pgdata (permission denied); it is excluded, but an exception"
                + " (!...) in "), e.getMessage());
        assertTrue(e.getMessage().endsWith("may re-include something in it: narrow that exception or make it"
                + " readable"), e.getMessage());
        Files.writeString(dir.resolve(".dockerignore"), "# nothing excluded\n");
        java.io.IOException sent = assertThrows(java.io.IOException.class,
                () -> BuildContext.write(dir, null, new ByteArrayOutputStream(), unreadablePgdata));
        assertTrue(sent.getMessage().startsWith("cannot list pgdata (permission denied); if the image does not need it,"
                + " exclude it in "), sent.getMessage());
        Files.writeString(dir.resolve(".dockerignore"), "pgdata\n!pgdata/PG_VERSION\n");
        BuildContext.Written kept = BuildContext.write(dir, null, new ByteArrayOutputStream());
        assertTrue(kept.entries().contains("pgdata/PG_VERSION"), kept.entries().toString());
        assertFalse(kept.entries().contains("pgdata/base/"), kept.entries().toString());

        // a wildcard exception may match anywhere below, so it is listed too; an unrelated one is not reason enough
        DockerIgnore wild = ignore("pgdata", "!**/PG_VERSION");
        assertTrue(wild.mayReincludeBelow("pgdata"));
        DockerIgnore other = ignore("pgdata", "!docs/README.md", "!pgdat", "!pgdata");
        assertFalse(other.mayReincludeBelow("pgdata"), "!pgdata re-includes pgdata itself, not only below it");

        // the Dockerfile is always sent, also from inside an excluded directory
        Files.createDirectories(dir.resolve("docker"));
        Files.writeString(dir.resolve("docker/Dockerfile"), "FROM scratch\n");
        Files.writeString(dir.resolve(".dockerignore"), "pgdata\ndocker\n");
        BuildContext.Written d = BuildContext.write(dir, "docker/Dockerfile", new ByteArrayOutputStream(),
                unreadablePgdata);
        assertTrue(d.entries().contains("docker/Dockerfile"), d.entries().toString());
    }

    @Test
    void aSymlinkedContextDirectorySendsWhatItPointsTo(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Files.writeString(real.resolve("Dockerfile"), "FROM scratch\n");
        Files.writeString(real.resolve(".dockerignore"), "secret.txt\n");
        Files.writeString(real.resolve("secret.txt"), "s");
        Files.createDirectories(real.resolve("src"));
        Files.writeString(real.resolve("src/a.txt"), "a");
        Path link = Files.createSymbolicLink(dir.resolve("ctx"), real);
        List<String> names = tarNames(link, null);
        assertTrue(names.containsAll(List.of("Dockerfile", ".dockerignore", "src/", "src/a.txt")), names.toString());
        assertFalse(names.contains("secret.txt"), names.toString());
        assertFalse(names.contains(""), names.toString());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<String> tarNames(Path context, String dockerfile) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BuildContext.write(context, dockerfile, out);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
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
