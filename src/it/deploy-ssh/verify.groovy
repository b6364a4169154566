// Over ssh:// the seed stack deployed, redeployed, verified and rolled back: the DB container and its row survived,
// the rollback made s1 current again and it answers through the proxy, and the whole run used a handful of ssh
// sessions (connections are pooled and kept alive), not one per API call. Then sshd is stopped.
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/SshIt.groovy"))
def dir = "/tmp/sancho-ssh-it"
try {
    def log = new File(basedir, "build.log").text
    assert log.contains("Deployed s1: started sanchossh_backend_s1, sanchossh_frontend_s1")
    assert log.contains("Deployed s2: started sanchossh_backend_s2, sanchossh_frontend_s2")
    assert log.count("Created sanchossh_db_v2 (infrastructure)") == 1
    assert log.contains("Rolled back: deploy s1 is current; s2 is stopped and kept")
    assert !log.contains("sanchossh-Db-s3cret-41c9") : "the DB password appears in build.log"
    assert !log.contains("Exception") : "a stack trace or exception name in build.log"

    def db = lib.container("sanchossh_db_v2")
    assert db != null && db.state == "running"
    def row = lib.psql("sanchossh_db_v2", "maestro", "maestro_inventario", "SELECT note || '|' || written_by FROM runbook")
    def (note, writtenBy) = row.split(/\|/) as List
    assert note == "written after deploy 1"
    assert db.id.startsWith(writtenBy) : "db container ${db.id} is not the one that wrote the row (${writtenBy})"

    assert lib.container("sanchossh_backend_s1").state == "running"
    assert lib.container("sanchossh_backend_s2").state == "exited"
    lib.awaitBody(28731, "version=1 deploy=s1")
    assert lib.container("sanchossh_sancho_lock") == null : "the deploy lock was not released"

    // 5 goals talked to the engine (deploy, deploy, verify, rollback, status), each with dozens of API calls. A goal
    // opens at most SshDockerHttpClient.MAX_CONNECTIONS (4) sessions when its parallel inspects need them, one more
    // for each connection the engine ends: an exec stream (the drain reading an old container's open connections,
    // verify asking a container what a service name resolves to; counted from the engine's own events), and one for
    // the deploy lock's attached stdin of each deploy and rollback (3).
    def execs = new File("/tmp/sancho-ssh-it-execs.log").readLines().findAll { it.trim() }
    def drainReads = execs.count { it.contains("/proc/net/tcp") }
    def sessions = lib.sessions(dir)
    println "deploy-ssh: ${sessions} ssh sessions for 5 goals, ${execs.size()} execs (${drainReads} connection reads of the drain)"
    assert sessions >= 5 : "every goal went over ssh, so at least 5 sessions: ${sessions}"
    assert sessions <= 5 * 4 + execs.size() + 3 : "more ssh sessions than 4 per goal, one per exec and one per lock: ${sessions}" +
            " for ${execs.size()} execs (see ${dir}/sshd.log)"

    def repo = new File(localRepositoryPath.toString())
    def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]

    // sancho:logs -Dsancho.follow over ssh:// (issue 26): the current deploy s1's app containers, prefixed, the
    // stream kept open (the build still runs once the lines arrived) until the build is ended
    def followLog = new File(basedir, "logs-follow.log")
    def follower = lib.startMaven(basedir, repo, followLog, ["dev.sancho:sancho-maven-plugin:${version}:logs",
                                                            "-Dsancho.follow", "-Dsancho.dockerHost=ssh://root@sancho-it-ssh"])
    try {
        lib.await(90, "sancho:logs over ssh:// printed both services") {
            def t = followLog.text
            t =~ /(?m)^backend-1  \| app: version=1 hostname=\S+ deploy=s1 listening/ &&
                    t =~ /(?m)^frontend-1 \| app: version=1 hostname=\S+ deploy=s1 listening/
        }
        Thread.sleep(1000)
        assert follower.isAlive() : "-Dsancho.follow ended by itself:\n" + followLog.text
        assert !followLog.text.contains("deploy=s2") : "only the current deploy's containers:\n" + followLog.text
    } finally {
        follower.destroy()
        assert follower.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)
    }
    assert !followLog.text.contains("sanchossh-Db-s3cret-41c9")
    println "deploy-ssh: sancho:logs -Dsancho.follow over ssh:// streamed backend-1 and frontend-1"

    // Ctrl-C in the middle of a deploy: the JVM's shutdown hook ends the ssh processes it started
    def out = new File(basedir, "interrupted.log")
    def p = lib.startMaven(basedir, repo, out, ["dev.sancho:sancho-maven-plugin:${version}:deploy", "-Dsancho.deployId=s3",
                                                "-Dsancho.dockerHost=ssh://root@sancho-it-ssh"])
    def ours = { lib.run(["pgrep", "-f", "-P", "${p.pid()}", "ssh -o BatchMode=yes"]).out.readLines().findAll { it } }
    lib.await(120, "the deploy s3 started ssh") { !ours().isEmpty() }
    lib.await(60, "the deploy s3 got past its first calls") { out.text.contains("Plan for project sanchossh, deploy s3") }
    def children = ours()
    def lock = lib.container("sanchossh_sancho_lock")
    assert lock != null && lock.state == "running" : "deploy s3 holds a live lock while it plans: ${lock}"
    lib.run(["kill", "-INT", "${p.pid()}"])
    assert p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) : "mvn did not end after SIGINT"
    lib.await(10, "the ssh processes of the interrupted build ended") {
        children.every { pid -> !new File("/proc/${pid}").exists() || new File("/proc/${pid}/stat").text.contains(") Z ") }
    }
    // one ordered shutdown hook: the lock is released over ssh first, then the ssh processes are ended
    assert lib.container("sanchossh_sancho_lock") == null : "Ctrl-C left the deploy lock:\n" + out.text
    assert !out.text.contains("Could not release the deploy lock") : out.text
    println "deploy-ssh: SIGINT ended mvn and its ${children.size()} ssh process(es), the deploy lock released first"
} finally {
    def recorder = new File("/tmp/sancho-ssh-it-execs.pid")
    if (recorder.exists()) {
        ProcessHandle.of(recorder.text.trim() as long).ifPresent { it.destroy() }
        recorder.delete()
    }
    new File("/tmp/sancho-ssh-it-execs.log").delete()
    lib.teardown(dir)
    lib.removeContainers(["sanchossh_db_v2", "sanchossh_traefik_persistent", "sanchossh_sancho_lock"])
    lib.removeProject("sanchossh", ["sanchossh_postgres_data"], ["sanchossh_default"])
    lib.unlockIt("deploy-ssh")
}
true
