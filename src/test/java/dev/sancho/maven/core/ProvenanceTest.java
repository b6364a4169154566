package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
    static final String A = "0123456789abcdef0123456789abcdef01234567";
    static final String B = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void readsUserHostAndTheCiJobFromTheCisOwnVariables() {
        Provenance gh = Provenance.detect(Map.of("USER", "runner", "HOSTNAME", "fv-az12", "GITHUB_RUN_ID", "987",
                "GITHUB_RUN_ATTEMPT", "2", "GITHUB_SERVER_URL", "https://github.com", "GITHUB_REPOSITORY", "acme/shop"),
                null);
        assertEquals("runner", gh.user());
        assertEquals("fv-az12", gh.host());
        assertEquals("github-actions", gh.ci());
        assertEquals("987/2", gh.ciJob());
        assertEquals("https://github.com/acme/shop/actions/runs/987", gh.ciUrl());
        assertEquals("runner@fv-az12 (github-actions 987/2)", gh.who());

        Provenance gl = Provenance.detect(Map.of("USER", "u", "HOSTNAME", "h", "GITLAB_CI", "true", "CI_JOB_ID",
                "4711", "CI_JOB_URL", "https://gitlab.example/j/4711"), null);
        assertEquals("gitlab", gl.ci());
        assertEquals("4711", gl.ciJob());
        Provenance jenkins = Provenance.detect(Map.of("USER", "u", "HOSTNAME", "h", "JENKINS_URL", "http://j/",
                "BUILD_NUMBER", "42", "JOB_NAME", "shop-deploy"), null);
        assertEquals("jenkins", jenkins.ci());
        assertEquals("shop-deploy #42", jenkins.ciJob());
        Provenance laptop = Provenance.detect(Map.of("USER", "alice", "HOSTNAME", "laptop"), null);
        assertNull(laptop.ci());
        assertEquals(Map.of(Provenance.LABEL_DEPLOYED_BY, "alice@laptop"), laptop.labels());
    }

    @Test
    void readsHeadsCommitFromTheRepositorysFilesWithoutGit() throws Exception {
        Path git = Files.createDirectories(dir.resolve("repo/.git/refs/heads"));
        Files.writeString(git.getParent().getParent().resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(git.resolve("main"), A + "\n");
        Path sub = Files.createDirectories(dir.resolve("repo/deploy/app"));
        assertEquals(A, Provenance.headCommit(Provenance.worktree(sub).resolve(".git")), "found upwards");

        // a packed branch
        Files.delete(git.resolve("main"));
        Files.writeString(dir.resolve("repo/.git/packed-refs"), "# pack-refs with: peeled fully-peeled sorted\n"
                + B + " refs/heads/main\n^" + A + "\n");
        assertEquals(B, Provenance.headCommit(dir.resolve("repo/.git")));

        // detached
        Files.writeString(dir.resolve("repo/.git/HEAD"), A + "\n");
        assertEquals(A, Provenance.headCommit(dir.resolve("repo/.git")));

        // a linked worktree: .git is a file, the branch lives in the common directory
        Path wt = Files.createDirectories(dir.resolve("repo/.git/worktrees/w1"));
        Files.writeString(wt.resolve("HEAD"), "ref: refs/heads/feature\n");
        Files.writeString(wt.resolve("commondir"), "../..\n");
        Files.writeString(git.resolve("feature"), B + "\n");
        Path checkout = Files.createDirectories(dir.resolve("w1"));
        Files.writeString(checkout.resolve(".git"), "gitdir: " + wt + "\n");
        assertEquals(B, Provenance.headCommit(checkout.resolve(".git")));
        assertEquals(B, Provenance.commit(Map.of(), checkout));

        // an unborn branch: no commit
        Files.writeString(dir.resolve("repo/.git/HEAD"), "ref: refs/heads/none\n");
        assertNull(Provenance.headCommit(dir.resolve("repo/.git")));
    }

    @Test
    void outsideACheckoutTheCisCommitVariableCountsIfItIsACommitId() {
        Path nowhere = dir.resolve("plain");
        assertEquals(A, Provenance.commit(Map.of("GITHUB_SHA", A), nowhere));
        assertNull(Provenance.commit(Map.of("GIT_COMMIT", "not-a-sha"), nowhere));
    }

    @Test
    void labelsCarryCommitAndDirtyFlagAndAScrubbedCopyHidesSecrets() {
        Provenance p = new Provenance("bob", "ci-7", "gitlab", "4711", null, A, true);
        assertEquals(Map.of(Provenance.LABEL_DEPLOYED_BY, "bob@ci-7", Provenance.LABEL_CI, "gitlab 4711",
                Provenance.LABEL_COMMIT, A, Provenance.LABEL_DIRTY, "true"), p.labels());
        assertEquals("0123456789ab-dirty", Provenance.shortCommit(A, "true"));
        assertEquals("******@ci-7", new Provenance("bob", "ci-7", null, null, null, null, null)
                .scrubbed(s -> s.replace("bob", "******")).labels().get(Provenance.LABEL_DEPLOYED_BY));
    }
}
