// Issue 26, day two, on one engine: three deploys by two "users" (alice on a laptop; bob on a fake GitHub Actions
// runner), a failed deploy, a rollback, then pre-deploy-cleanup with keep=1 removing the oldest deploy's containers.
// sancho:history (under mvn -q) still lists all five runs, newest first, with who/what/outcome; the audit volume
// outlived the cleanup. The git checkout's commits (and the dirty flag) are on the containers and in sancho:status.
// sancho:logs -Dsancho.follow shows both replicas of the current deploy with compose-like prefixes, a secret masked,
// while another project's running container of the same service name is never shown.
import groovy.json.JsonSlurper
import java.util.concurrent.TimeUnit

def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/RegistryIt.groovy"))
def dep = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))

def P = "sanchoaud"
def SECRET = "tok-sanchoaud-7f3k29"
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def plugin = "dev.sancho:sancho-maven-plugin:${version}"
def settings = lib.settings(basedir, new File(basedir, "audit-settings.xml"))
// whatever CI runs this IT: none of its variables reach these builds, only the ones each "user" sets
def ciVars = ["CI", "GITHUB_ACTIONS", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "GITHUB_SHA", "GITHUB_SERVER_URL",
              "GITHUB_REPOSITORY", "GITLAB_CI", "CI_JOB_ID", "CI_JOB_URL", "CI_COMMIT_SHA", "BUILD_NUMBER", "JENKINS_URL",
              "JOB_NAME", "BUILD_URL", "GIT_COMMIT", "BUILDKITE_BUILD_NUMBER", "CIRCLE_BUILD_NUM",
              "BITBUCKET_BUILD_NUMBER", "BUILD_BUILDID", "TEAMCITY_VERSION", "FAIL", "API_TOKEN"]
def clean = ciVars.collectEntries { [(it): null] }
def alice = clean + [USER: "alice", HOSTNAME: "laptop-alice"]
def bob = clean + [USER: "bob", HOSTNAME: "runner-7", GITHUB_ACTIONS: "true", GITHUB_RUN_ID: "4242",
                   GITHUB_SERVER_URL: "https://github.example", GITHUB_REPOSITORY: "acme/shop"]
def git = { List args ->
    def r = lib.run(["git", "-c", "user.name=it", "-c", "user.email=it@example.invalid"] + args, basedir)
    assert r.code == 0 : "git ${args}: ${r.err}"
    r.out
}
def tail = { String log -> log.readLines().takeRight(40).join("\n") }
def mvn = { String name, Map env, List args, boolean ok = true ->
    def r = lib.mvn(basedir, repo, name, settings, env, args)
    assert !r.log.contains(SECRET) : "${name}: the secret is in the log"
    if (ok) assert r.code == 0 : "${name} failed:\n" + tail(r.log)
    r
}
def labelsOf = { String deployId ->
    def names = lib.dockerOk("ps", "-a", "--filter", "label=sancho.project=${P}", "--filter",
            "label=sancho.deploy-id=${deployId}", "--format", "{{.Names}}").readLines().findAll { it }
    names.collect { lib.container(it).labels }
}
def json = { String goal -> new JsonSlurper().parse(new File(basedir, "target/sancho/${goal}.json")) }
def other = "sanchoaud2_backend_a2"
Process follower = null
try {
    def c1 = git(["rev-parse", "HEAD"])
    mvn("a1", alice, ["${plugin}:deploy", "-Dsancho.deployId=a1"])
    new File(basedir, "docker-compose.yml") << "# second commit\n"
    git(["commit", "-q", "-am", "second"])
    def c2 = git(["rev-parse", "HEAD"])
    assert c1 != c2
    mvn("a2", bob, ["${plugin}:deploy", "-Dsancho.deployId=a2"])
    def failed = mvn("a3", bob + [FAIL: "1"], ["${plugin}:deploy", "-Dsancho.deployId=a3"], false)
    assert failed.code != 0 && failed.log.contains("BUILD FAILURE") : tail(failed.log)
    assert json("deploy").audit.outcome == "failed" && json("deploy").audit.error : json("deploy")
    new File(basedir, "docker-compose.yml") << "# not committed\n" // a dirty working tree
    mvn("a4", alice, ["${plugin}:deploy", "-Dsancho.deployId=a4"])
    def d4 = json("deploy")
    assert d4.outcome == "deployed" && d4.audit.deployId == "a4" && d4.audit.user == "alice" &&
            d4.audit.host == "laptop-alice" && d4.audit.ci == null && d4.audit.git.commit == c2 &&
            d4.audit.git.dirty == true && d4.audit.images.backend.image == "sancho-it/app:1" &&
            d4.audit.images.backend.id.startsWith("sha256:") : d4.audit
    mvn("rollback", alice, ["${plugin}:rollback"])
    def rb = json("rollback")
    assert rb.to == "a2" && rb.audit.goal == "rollback" && rb.audit.deployId == "a2" && rb.audit.from == "a4" : rb
    def cleanup = mvn("cleanup", alice, ["${plugin}:pre-deploy-cleanup", "-Dsancho.keep=1"])
    assert labelsOf("a1").isEmpty() : "keep=1 removed the oldest deploy's containers:\n" + tail(cleanup.log)
    assert lib.docker("volume", "inspect", "${P}_sancho_audit").code == 0 : "the audit volume outlived the cleanup"
    assert lib.docker("container", "inspect", "${P}_sancho_audit").code != 0 : "no helper container is left"

    // who/what on the containers: a2 by bob's CI job at commit 2, a4 by alice with uncommitted changes
    def a2 = labelsOf("a2")
    assert a2.size() == 2 && a2.every { it["sancho.git-commit"] == c2 && it["sancho.git-dirty"] == "false" &&
            it["sancho.deployed-by"] == "bob@runner-7" && it["sancho.ci-job"] == "github-actions 4242" } : a2
    def a4 = labelsOf("a4")
    assert a4.size() == 2 && a4.every { it["sancho.git-commit"] == c2 && it["sancho.git-dirty"] == "true" &&
            it["sancho.deployed-by"] == "alice@laptop-alice" && it["sancho.ci-job"] == null } : a4

    // status and history under -q: their tables are the goals' product, on standard output
    def status = mvn("status", alice, ["-q", "${plugin}:status"]).log
    assert !status.contains("[INFO]") : status
    assert status =~ /(?m)^\* a2 .*sancho-it\/app:1\s+${c2.take(12)}\s+bob@runner-7 \(github-actions 4242\)$/ : status
    assert status =~ /(?m)^  a4 .*${c2.take(12)}-dirty\s+alice@laptop-alice$/ : status
    assert status.contains("Current deploy a2: deployed by bob@runner-7 (github-actions 4242), commit ${c2}") : status
    def history = mvn("history", alice, ["-q", "${plugin}:history"]).log
    assert !history.contains("[INFO]") : history
    def rows = history.readLines().findAll { it =~ /^[! ] \d{4}-/ }
    assert rows.size() == 5 : history
    def expect = [[/^  \S+\s+rollback\s+a2\s+rolled-back\s+[\d.]+\s+alice@laptop-alice\s+-\s+${c2.take(12)}-dirty\s+backend=sancho-it\/app:1$/],
                  [/^  \S+\s+deploy\s+a4\s+deployed\s+[\d.]+\s+alice@laptop-alice\s+-\s+${c2.take(12)}-dirty\s+backend=sancho-it\/app:1$/],
                  [/^! \S+\s+deploy\s+a3\s+failed\s+[\d.]+\s+bob@runner-7\s+github-actions 4242\s+${c2.take(12)}\s+-$/],
                  [/^  \S+\s+deploy\s+a2\s+deployed\s+[\d.]+\s+bob@runner-7\s+github-actions 4242\s+${c2.take(12)}\s+backend=sancho-it\/app:1$/],
                  [/^  \S+\s+deploy\s+a1\s+deployed\s+[\d.]+\s+alice@laptop-alice\s+-\s+${c1.take(12)}\s+backend=sancho-it\/app:1$/]]
    expect.eachWithIndex { re, i -> assert rows[i] =~ re[0] : "history row ${i}: ${rows[i]}\n" + history }
    def records = json("history").records
    assert records*.deployId == ["a2", "a4", "a3", "a2", "a1"] && records*.goal == ["rollback", "deploy", "deploy", "deploy", "deploy"]
    assert records*.seq == [5, 4, 3, 2, 1] : records*.seq
    assert records[2].outcome == "failed" && records[2].ci.system == "github-actions" && records[2].ci.job == "4242" &&
            records[2].ci.url == "https://github.example/acme/shop/actions/runs/4242" && records[2].error : records[2]
    assert records[4].git.commit == c1 && records[4].git.dirty == false : records[4]
    records.each { assert it.seconds instanceof Number && it.seconds > 0 && it.time =~ /^\d{4}-\d\d-\d\dT/ : it }

    // logs: another project's running container with the same service (and deploy id) labels is never shown
    lib.dockerOk("run", "-d", "--name", other, "--label", "sancho.project=sanchoaud2", "--label", "sancho.service=backend",
            "--label", "sancho.role=app", "--label", "sancho.deploy-id=a2", "-e", "DEPLOY_ID=other-project",
            "-e", "APP_QUIET=1", "sancho-it/app:1")
    // in sancho:logs' order: by name, shorter first (backend-1 is the replica without a number suffix)
    def replicas = lib.dockerOk("ps", "--filter", "label=sancho.project=${P}", "--filter", "label=sancho.deploy-id=a2",
            "--format", "{{.Names}}").readLines().findAll { it }.sort { a, b -> a.length() <=> b.length() ?: a <=> b }
    assert replicas.size() == 2 : replicas
    def logFile = new File(basedir, "logs-follow.log")
    follower = dep.startMaven(basedir, repo, logFile, ["-q", "${plugin}:logs", "-Dsancho.follow", "-Dsancho.tail=3"])
    lib.await(90, "both replicas' lines in sancho:logs -Dsancho.follow") {
        def t = logFile.text
        t.contains("backend-1 | ") && t.contains("backend-2 | ")
    }
    lib.dockerOk("exec", other, "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/other-${SECRET}")
    replicas.eachWithIndex { name, i ->
        lib.dockerOk("exec", name, "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/follow-r${i + 1}-${SECRET}")
    }
    lib.await(20, "the new lines of both replicas while following") {
        def t = logFile.text
        t.contains("backend-1 | app: GET /follow-r1-******") && t.contains("backend-2 | app: GET /follow-r2-******")
    }
    assert follower.isAlive() : "-Dsancho.follow keeps following:\n" + logFile.text
    follower.destroy()
    assert follower.waitFor(30, TimeUnit.SECONDS)
    def followed = logFile.text
    assert !followed.contains(SECRET) : "the secret is in sancho:logs' output"
    assert !followed.contains("/other-") && !followed.contains("other-project") : "another project's container was shown"
    assert followed.readLines().findAll { it.contains(" | ") }.every { it =~ /^backend-[12] \| / } : followed
    println "ops-audit: 5 records in order, commit ${c2.take(12)} on a2 and in status, logs of 2 replicas followed"
} finally {
    if (follower != null && follower.isAlive()) follower.destroyForcibly()
    lib.removeContainers([other])
    lib.removeProject(P, [], ["${P}_default"])
    lib.unlockIt("ops-audit")
}
true
