package dev.sancho.maven.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Who deploys what: the user and host of the build, the CI job when a CI's standard variables say so, and the git
 * commit of the project's working tree (with its dirty flag) when the project is a git checkout. Recorded in the
 * audit trail ({@link AuditTrail}) and as labels on the deploy's containers ({@link #labels()}).
 *
 * @param user     {@code USER} (else {@code USERNAME}, else the JVM's user name)
 * @param host     {@code HOSTNAME}, else the machine's name
 * @param ci       the CI system ({@code github-actions}, {@code gitlab}, {@code jenkins}, ...), null outside CI
 * @param ciJob    the CI's run or job id, null when it gives none
 * @param ciUrl    the job's address, null when the CI gives none
 * @param commit   the full commit id of HEAD, null outside a git checkout (or the CI's commit variable)
 * @param dirty    whether tracked files differ from HEAD; null when unknown (no git binary, or no checkout)
 */
public record Provenance(String user, String host, String ci, String ciJob, String ciUrl, String commit,
        Boolean dirty) {

    /** Label on a deploy's app containers: {@code user@host}. */
    public static final String LABEL_DEPLOYED_BY = "sancho.deployed-by";
    /** Label on a deploy's app containers: the CI system and job, {@code github-actions 123456789}. */
    public static final String LABEL_CI = "sancho.ci-job";
    /** Label on a deploy's app containers (and {@link #OCI_REVISION} on the images sancho builds): the commit. */
    public static final String LABEL_COMMIT = "sancho.git-commit";
    /** Label on a deploy's app containers: {@code true} when the working tree had uncommitted changes. */
    public static final String LABEL_DIRTY = "sancho.git-dirty";
    /** The OCI image annotation for the source revision, on images sancho builds. */
    public static final String OCI_REVISION = "org.opencontainers.image.revision";

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    /** Reads the environment and the project's git checkout (no git binary needed for the commit). */
    public static Provenance detect(Map<String, String> env, Path projectDir) {
        String user = first(env, "USER", "USERNAME");
        if (user == null) {
            user = System.getProperty("user.name", "unknown");
        }
        String host = first(env, "HOSTNAME", "COMPUTERNAME");
        if (host == null) {
            host = DeployLock.thisHost();
        }
        String[] ci = ci(env);
        Path work = projectDir == null ? null : worktree(projectDir);
        String commit = commit(env, projectDir);
        Boolean dirty = work != null && commit != null && commit.equals(headCommit(work.resolve(".git")))
                ? dirty(work) : null;
        return new Provenance(user, host, ci[0], ci[1], ci[2], commit, dirty);
    }

    /**
     * HEAD's commit of the git checkout holding {@code dir}, else the commit a CI's variable names
     * ({@code GITHUB_SHA}, {@code CI_COMMIT_SHA}, {@code GIT_COMMIT}, ...); null when neither says.
     */
    public static String commit(Map<String, String> env, Path dir) {
        Path work = dir == null ? null : worktree(dir);
        String commit = work == null ? null : headCommit(work.resolve(".git"));
        if (commit == null) {
            String fromCi = first(env, "GITHUB_SHA", "CI_COMMIT_SHA", "GIT_COMMIT", "BUILDKITE_COMMIT",
                    "CIRCLE_SHA1", "BITBUCKET_COMMIT", "BUILD_SOURCEVERSION");
            commit = fromCi != null && SHA.matcher(fromCi).matches() ? fromCi : null;
        }
        return commit;
    }

    /** {@code user@host}, then the CI job and the commit where known: for a status line. */
    public String who() {
        return user + "@" + host + (ci == null ? "" : " (" + ci + (ciJob == null ? "" : " " + ciJob) + ")");
    }

    /** The labels a deploy's app containers carry (outside the config hash). */
    public Map<String, String> labels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(LABEL_DEPLOYED_BY, user + "@" + host);
        if (ci != null) {
            m.put(LABEL_CI, ci + (ciJob == null ? "" : " " + ciJob));
        }
        if (commit != null) {
            m.put(LABEL_COMMIT, commit);
            if (dirty != null) {
                m.put(LABEL_DIRTY, String.valueOf(dirty));
            }
        }
        return m;
    }

    /** The same with every text passed through {@code scrub} (a secret that ended up in a variable stays out). */
    public Provenance scrubbed(UnaryOperator<String> scrub) {
        return new Provenance(s(scrub, user), s(scrub, host), s(scrub, ci), s(scrub, ciJob), s(scrub, ciUrl),
                s(scrub, commit), dirty);
    }

    /** The commit with {@code -dirty} when the tree had changes, shortened to 12 characters: for a table. */
    public static String shortCommit(String commit, String dirty) {
        if (commit == null || commit.isBlank()) {
            return "-";
        }
        return commit.substring(0, Math.min(12, commit.length())) + ("true".equals(dirty) ? "-dirty" : "");
    }

    private static String s(UnaryOperator<String> scrub, String v) {
        return v == null ? null : scrub.apply(v);
    }

    /** [system, job, url] from the CI's own variables; all null outside a CI. */
    static String[] ci(Map<String, String> env) {
        if (has(env, "GITHUB_RUN_ID")) {
            String attempt = env.get("GITHUB_RUN_ATTEMPT");
            String url = has(env, "GITHUB_SERVER_URL") && has(env, "GITHUB_REPOSITORY")
                    ? env.get("GITHUB_SERVER_URL") + "/" + env.get("GITHUB_REPOSITORY") + "/actions/runs/"
                            + env.get("GITHUB_RUN_ID") : null;
            return new String[] {"github-actions", env.get("GITHUB_RUN_ID")
                    + (attempt == null || attempt.isBlank() || attempt.equals("1") ? "" : "/" + attempt), url};
        }
        if (has(env, "CI_JOB_ID")) {
            return new String[] {"gitlab", env.get("CI_JOB_ID"), env.get("CI_JOB_URL")};
        }
        if (has(env, "BUILDKITE_BUILD_NUMBER")) {
            return new String[] {"buildkite", env.get("BUILDKITE_BUILD_NUMBER"), env.get("BUILDKITE_BUILD_URL")};
        }
        if (has(env, "CIRCLE_BUILD_NUM")) {
            return new String[] {"circleci", env.get("CIRCLE_BUILD_NUM"), env.get("CIRCLE_BUILD_URL")};
        }
        if (has(env, "BITBUCKET_BUILD_NUMBER")) {
            return new String[] {"bitbucket", env.get("BITBUCKET_BUILD_NUMBER"), null};
        }
        if (has(env, "BUILD_BUILDID")) {
            return new String[] {"azure-pipelines", env.get("BUILD_BUILDID"), null};
        }
        if (has(env, "BUILD_NUMBER")) {
            String job = has(env, "JOB_NAME") ? env.get("JOB_NAME") + " #" + env.get("BUILD_NUMBER")
                    : env.get("BUILD_NUMBER");
            return new String[] {has(env, "JENKINS_URL") ? "jenkins" : has(env, "TEAMCITY_VERSION") ? "teamcity"
                    : "ci", job, env.get("BUILD_URL")};
        }
        if ("true".equalsIgnoreCase(env.getOrDefault("CI", ""))) {
            return new String[] {"ci", null, null};
        }
        return new String[] {null, null, null};
    }

    /** The working tree holding {@code dir}: the nearest directory upwards with a {@code .git} (folder or file). */
    static Path worktree(Path dir) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return p;
            }
        }
        return null;
    }

    /**
     * HEAD's commit read from the repository's files: {@code .git} is the git directory or (a linked worktree, a
     * submodule) a file {@code gitdir: PATH}; a branch is a loose ref, in the common directory of a worktree, or in
     * {@code packed-refs}. Null when it cannot be read (an unborn branch, an unreadable file).
     */
    static String headCommit(Path dotGit) {
        try {
            Path gitDir = dotGit;
            if (Files.isRegularFile(dotGit)) {
                String line = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
                if (!line.startsWith("gitdir:")) {
                    return null;
                }
                gitDir = dotGit.getParent().resolve(line.substring("gitdir:".length()).strip()).normalize();
            }
            Path common = gitDir;
            Path commondir = gitDir.resolve("commondir");
            if (Files.isRegularFile(commondir)) {
                common = gitDir.resolve(Files.readString(commondir, StandardCharsets.UTF_8).strip()).normalize();
            }
            String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).strip();
            for (int depth = 0; depth < 5 && head.startsWith("ref:"); depth++) {
                String ref = head.substring(4).strip();
                String resolved = null;
                for (Path base : List.of(gitDir, common)) {
                    Path loose = base.resolve(ref);
                    if (Files.isRegularFile(loose)) {
                        resolved = Files.readString(loose, StandardCharsets.UTF_8).strip();
                        break;
                    }
                }
                if (resolved == null) {
                    resolved = packed(common.resolve("packed-refs"), ref);
                }
                if (resolved == null) {
                    return null;
                }
                head = resolved;
            }
            return SHA.matcher(head).matches() ? head : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String packed(Path packedRefs, String ref) throws IOException {
        if (!Files.isRegularFile(packedRefs)) {
            return null;
        }
        for (String line : Files.readAllLines(packedRefs, StandardCharsets.UTF_8)) {
            if (line.endsWith(" " + ref) && !line.startsWith("#") && !line.startsWith("^")) {
                return line.substring(0, line.indexOf(' '));
            }
        }
        return null;
    }

    /**
     * Whether tracked files differ from HEAD ({@code git status --porcelain --untracked-files=no}, as
     * {@code git describe --dirty} counts), asked of the git binary when there is one; null without it, when it
     * fails (a repository git refuses, e.g. owned by another user) or takes longer than 10 s.
     */
    static Boolean dirty(Path worktree) {
        try {
            Process p = new ProcessBuilder("git", "-C", worktree.toString(), "status", "--porcelain",
                    "--untracked-files=no").redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out.length > 0 : null;
        } catch (IOException e) {
            return null; // no git binary
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean has(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            if (has(env, n)) {
                return env.get(n).strip();
            }
        }
        return null;
    }
}
