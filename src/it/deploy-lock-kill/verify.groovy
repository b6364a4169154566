// The deploy lock holds while its holder lives, and only then (issue 22).
// 1. Two deploys at once from this host: one proceeds, a second with a short lockTimeout fails naming the holder, a
//    third waits and then proceeds.
// 2. The holder is a deploy running in a container with --network host (the same host name as this host) and its own
//    PID namespace (its pid means nothing here), its clock 2 h ahead (libfaketime): a deploy from this host waits for
//    it, never breaks it, and proceeds once it is done.
// 3. A holder in a container killed (docker kill) while a deploy from this host waits: the waiter takes the lock over
//    within seconds, saying so, cleans up what the killed deploy left and deploys. The database is untouched.
import java.util.concurrent.TimeUnit

def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
def PASSWORD = "sanchodep-lock-pw-51d0"
def LOCK = "sanchodep_lock_sancho_lock"
def repo = new File(localRepositoryPath.toString())
def version = context.get('pluginVersion') ?: (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</).with { m -> m.find() ? m.group(1) : '0.1.0-SNAPSHOT' }
def goal = "dev.sancho:sancho-maven-plugin:${version}:deploy"
def mvn = { String name, List args -> lib.startMaven(basedir, repo, new File(basedir, name + ".log"), [goal] + args) }
def logOf = { String name -> new File(basedir, name + ".log").text }
def lockLabel = { String key -> lib.container(LOCK)?.labels?.get(key) }
def processes = []

/**
 * Runs this deploy in a container: the JDK and Maven of this build and the workspace bind-mounted at their own paths,
 * the engine's socket, --network host, its own PID namespace (Docker's default); FAKETIME moves its clock.
 */
def holder = { String name, List args, String faketime ->
    def javaHome = new File(System.getProperty("java.home")).canonicalPath
    def mavenHome = new File(System.getProperty("maven.home")).canonicalPath
    def userRepo = new File(System.getProperty("maven.repo.local") ?: System.getProperty("user.home") + "/.m2/repository").canonicalPath
    def workspace = new File(basedir, "../../..").canonicalPath
    def settings = new File(basedir, "sancho-it-settings.xml") // written by startMaven
    def cmd = ["docker", "run", "-d", "--name", name, "--network", "host", "--user", "0:0", "-w", basedir.canonicalPath,
               "-v", "/var/run/docker.sock:/var/run/docker.sock",
               "-v", "${javaHome}:${javaHome}:ro", "-v", "${mavenHome}:${mavenHome}:ro",
               "-v", "${userRepo}:${userRepo}", "-v", "${workspace}:${workspace}",
               "-e", "JAVA_HOME=${javaHome}", "-e", "DB_PASSWORD=${PASSWORD}"]
    ["/etc/java-17-openjdk", "/etc/java-21-openjdk"].findAll { new File(it).isDirectory() }.each { cmd += ["-v", "${it}:${it}:ro"] }
    if (faketime != null) {
        def lib64 = ["/usr/lib/x86_64-linux-gnu/faketime", "/usr/lib/aarch64-linux-gnu/faketime"].find { new File(it, "libfaketime.so.1").isFile() }
        assert lib64 != null : "libfaketime is not installed (apt-get install faketime): .ci/run installs it"
        cmd += ["-v", "${lib64}:/faketime:ro", "-e", "LD_PRELOAD=/faketime/libfaketime.so.1", "-e", "FAKETIME=${faketime}",
                "-e", "DONT_FAKE_MONOTONIC=1"]
    }
    cmd += ["--entrypoint", "${mavenHome}/bin/mvn", "sancho-it/postgres:15", "-B", "-o", "-s", settings.canonicalPath,
            "-Dmaven.repo.local=${repo.canonicalPath}", goal] + args
    def r = lib.run(cmd.collect { it.toString() })
    assert r.code == 0 : "cannot start the holder container: ${r.err}"
}
def holderExit = { String name -> lib.dockerOk("wait", name) as int }
def holderLog = { String name -> lib.docker("logs", name).with { it.out + "\n" + it.err } }
/** lib.await, with the holder's own log in the failure: what it was doing, or why it ended. */
def awaitHolder = { String name, int seconds, String what, Closure condition ->
    try {
        lib.await(seconds, what, condition)
    } catch (AssertionError e) {
        throw new AssertionError(e.message + "\n---- docker logs " + name + " ----\n" + holderLog(name))
    }
}

try {
    assert new File(basedir, "build.log").text.contains("Deployed d1: started sanchodep_lock_backend_d1, sanchodep_lock_worker_d1")
    def dbId = lib.container("sanchodep_lock_db").id
    lib.psql("sanchodep_lock_db", "lock", "lockdb", "CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')")

    // --- 1. concurrent deploys from this host
    // a holds the lock through a 40 s ready wait: b and c start their JVMs meanwhile, even on a loaded machine
    def a = mvn("a", ["-Dsancho.deployId=d2", "-Dsancho.minReadySeconds=40"])
    processes << a
    // created, attached, then started: the lock's process runs while its holder lives
    lib.await(90, "deploy d2 holds the lock") { lockLabel("sancho.lock.pid") == String.valueOf(a.pid()) &&
            lib.container(LOCK)?.state == "running" }
    assert lockLabel("sancho.lock.liveness") == "stdin"
    def b = mvn("b", ["-Dsancho.deployId=d3", "-Dsancho.lockTimeout=1", "-Dsancho.minReadySeconds=1"])
    def c = mvn("c", ["-Dsancho.deployId=d4", "-Dsancho.lockTimeout=120", "-Dsancho.minReadySeconds=1"])
    processes += [b, c]
    [a, b, c].each { p -> assert p.waitFor(180, TimeUnit.SECONDS) : "a deploy hung" }
    assert a.exitValue() == 0 : logOf("a")
    assert b.exitValue() != 0 : logOf("b")
    assert logOf("b").contains("the deploy lock of project sanchodep_lock is held by ")
    assert logOf("b").contains(" pid ${a.pid()} since ") && logOf("b").contains(", which is still running; waited 1 s") : logOf("b")
    assert !logOf("b").contains("Created sanchodep_lock_") : "the deploy that did not get the lock changed something"
    assert c.exitValue() == 0 : logOf("c")
    assert logOf("c").contains("Waiting up to 120 s for the deploy lock held by ") && logOf("c").contains("pid ${a.pid()}")
    assert lib.container("sanchodep_lock_backend_d4").state == "running"
    assert lib.container(LOCK) == null

    // --- 2. the holder in a container: same host name, another PID namespace, its clock 2 h ahead
    holder("sanchodep_lock_holder1", ["-Dsancho.deployId=h1", "-Dsancho.minReadySeconds=45"], "+2h")
    awaitHolder("sanchodep_lock_holder1", 240, "the deploy in a container holds the lock") { lib.container(LOCK)?.state == "running" &&
            lib.container("sanchodep_lock_backend_h1") != null }
    def h1Pid = lockLabel("sancho.lock.pid")
    def h1Host = lockLabel("sancho.lock.host")
    def h1Since = java.time.Instant.parse(lockLabel("sancho.lock.since"))
    assert h1Since.isAfter(java.time.Instant.now().plus(java.time.Duration.ofMinutes(110))) : "the holder's clock is not 2 h ahead: ${h1Since}"
    def w = mvn("w", ["-Dsancho.deployId=w1", "-Dsancho.lockTimeout=180", "-Dsancho.minReadySeconds=1"])
    processes << w
    assert holderExit("sanchodep_lock_holder1") == 0 : holderLog("sanchodep_lock_holder1")
    assert w.waitFor(180, TimeUnit.SECONDS) && w.exitValue() == 0 : logOf("w")
    assert logOf("w").contains("Waiting up to 180 s for the deploy lock held by root@${h1Host} pid ${h1Pid} since ") : logOf("w")
    assert !logOf("w").contains("Taking over") : "a live holder's lock was broken:\n" + logOf("w")
    assert holderLog("sanchodep_lock_holder1").contains("Deployed h1: started sanchodep_lock_backend_h1")
    // the waiter planned only after the holder was done: h1 was stopped by w1's cutover, never the other way round
    assert logOf("w").contains("stopped sanchodep_lock_backend_h1")
    assert lib.container("sanchodep_lock_backend_w1").state == "running"
    lib.removeContainers(["sanchodep_lock_holder1"])

    // --- 3. a holder in a container killed while a deploy from this host waits
    holder("sanchodep_lock_holder2", ["-Dsancho.deployId=h2", "-Dsancho.minReadySeconds=90"], null)
    awaitHolder("sanchodep_lock_holder2", 240, "the second holder holds the lock, its backend started") {
        lib.container("sanchodep_lock_backend_h2")?.state == "running" && lib.container(LOCK)?.state == "running"
    }
    assert lib.container("sanchodep_lock_worker_h2").state == "created"
    def h2Pid = lockLabel("sancho.lock.pid")
    def e = mvn("e", ["-Dsancho.deployId=w2", "-Dsancho.lockTimeout=120", "-Dsancho.minReadySeconds=1"])
    processes << e
    lib.await(90, "the deploy from this host waits") { logOf("e").contains("Waiting up to 120 s for the deploy lock held by ") }
    long killedAt = System.nanoTime()
    lib.dockerOk("kill", "sanchodep_lock_holder2") // SIGKILL: no finally block, no shutdown hook
    lib.await(30, "the waiter takes the lock over") { lockLabel("sancho.lock.pid") == String.valueOf(e.pid()) }
    double takeover = (System.nanoTime() - killedAt) / 1e9
    println "deploy-lock-kill: the lock of the killed holder was taken over ${String.format('%.1f', takeover)} s after docker kill"
    assert takeover < 10 : "taken over only after ${takeover} s"
    assert e.waitFor(180, TimeUnit.SECONDS) && e.exitValue() == 0 : logOf("e")
    def line = logOf("e").readLines().find { it.contains("Taking over the deploy lock of project sanchodep_lock") }
    assert line != null && line.contains("its holder root@${h1Host} pid ${h2Pid} since ") &&
            line.endsWith(" is gone (its connection to the engine closed without a release: the build was killed, or its connection dropped)") : logOf("e")
    assert logOf("e").contains("removed sanchodep_lock_worker_h2 (created but never started: leftover of deploy h2)")
    assert logOf("e").contains("Removed sanchodep_lock_backend_h2 (deploy h2 was interrupted (no worker container): not a rollback target)") : logOf("e")
    assert lib.container("sanchodep_lock_backend_h2") == null && lib.container("sanchodep_lock_worker_h2") == null
    assert lib.container("sanchodep_lock_backend_w2").state == "running"
    assert lib.container(LOCK) == null

    // the database: same container, data intact
    assert lib.container("sanchodep_lock_db").id == dbId
    assert lib.psql("sanchodep_lock_db", "lock", "lockdb", "SELECT v FROM t") == "kept"

    ["a", "b", "c", "w", "e"].each { n -> assert !logOf(n).contains(PASSWORD) : "secret in ${n}.log" }
    assert !new File(basedir, "build.log").text.contains(PASSWORD)
} finally {
    processes.each { p -> if (p.isAlive()) p.destroyForcibly() }
    lib.removeContainers(["sanchodep_lock_holder1", "sanchodep_lock_holder2", "sanchodep_lock_db", LOCK])
    lib.removeProject("sanchodep_lock", ["sanchodep_lock_pgdata"], ["sanchodep_lock_default"])
    lib.unlockIt("deploy-lock-kill")
}
true
