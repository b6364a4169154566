// Two deploys at once: exactly one proceeds, a second with a short lockTimeout fails naming the holder, a third
// waits and then proceeds. A deploy killed with kill -9 mid-way: the next one breaks the stale lock, cleans the
// leftovers (also the interrupted deploy's started backend) and succeeds; the database and its data are untouched.
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
def PASSWORD = "sanchodep-lock-pw-51d0"
def LOCK = "sanchodep_lock_sancho_lock"
def repo = new File(localRepositoryPath.toString())
def goal = "dev.sancho:sancho-maven-plugin:${context.get('pluginVersion') ?: '0.1.0-SNAPSHOT'}:deploy"
def mvn = { String name, List args -> lib.startMaven(basedir, repo, new File(basedir, name + ".log"), [goal] + args) }
def logOf = { String name -> new File(basedir, name + ".log").text }
def lockPid = { -> lib.container(LOCK)?.labels?.get("sancho.lock.pid") }
def processes = []
try {
    assert new File(basedir, "build.log").text.contains("Deployed d1: started sanchodep_lock_backend_d1, sanchodep_lock_worker_d1")
    def dbId = lib.container("sanchodep_lock_db").id
    lib.psql("sanchodep_lock_db", "lock", "lockdb", "CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')")

    // --- concurrent deploys
    def a = mvn("a", ["-Dsancho.deployId=d2", "-Dsancho.minReadySeconds=12"])
    processes << a
    lib.await(60, "deploy d2 holds the lock") { lockPid() == String.valueOf(a.pid()) }
    def b = mvn("b", ["-Dsancho.deployId=d3", "-Dsancho.lockTimeout=1", "-Dsancho.minReadySeconds=1"])
    def c = mvn("c", ["-Dsancho.deployId=d4", "-Dsancho.lockTimeout=120", "-Dsancho.minReadySeconds=1"])
    processes += [b, c]
    [a, b, c].each { p -> assert p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS) : "a deploy hung" }
    assert a.exitValue() == 0 : logOf("a")
    assert b.exitValue() != 0 : logOf("b")
    assert logOf("b").contains("the deploy lock of project sanchodep_lock is held by ")
    assert logOf("b").contains(" pid ${a.pid()} since ") : logOf("b")
    assert !logOf("b").contains("Created sanchodep_lock_") : "the deploy that did not get the lock changed something"
    assert c.exitValue() == 0 : logOf("c")
    assert logOf("c").contains("Waiting up to 120 s for the deploy lock held by ") && logOf("c").contains("pid ${a.pid()}")
    assert lib.container("sanchodep_lock_backend_d4").state == "running"
    assert lib.container("sanchodep_lock_backend_d2").state == "exited"
    assert lib.container("sanchodep_lock_backend_d3") == null

    // --- kill -9 in the middle of a deploy: backend d5 started, worker d5 created but never started
    def d = mvn("d", ["-Dsancho.deployId=d5", "-Dsancho.minReadySeconds=60"])
    processes << d
    lib.await(60, "deploy d5 waits for its backend") {
        lib.container("sanchodep_lock_backend_d5")?.state == "running" && lockPid() == String.valueOf(d.pid())
    }
    assert lib.container("sanchodep_lock_worker_d5").state == "created"
    d.destroyForcibly() // SIGKILL: no finally block, no shutdown hook
    assert d.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)
    assert lib.container(LOCK) != null : "a killed deploy cannot release its lock"

    def e = mvn("e", ["-Dsancho.deployId=d6", "-Dsancho.minReadySeconds=1", "-Dsancho.lockTimeout=5"])
    processes << e
    assert e.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)
    assert e.exitValue() == 0 : logOf("e")
    assert logOf("e").contains("Breaking the deploy lock held by ") && logOf("e").contains("its process ${d.pid()} on this host is gone")
    assert logOf("e").contains("removed sanchodep_lock_worker_d5 (created but never started: leftover of deploy d5)")
    assert lib.container("sanchodep_lock_worker_d5") == null
    // what is left of the interrupted deploy (its started backend) is stopped at the cutover, then removed: it is
    // not a deploy to roll back to, and it does not take one of the kept slots
    assert logOf("e").contains("Removed sanchodep_lock_backend_d5 (deploy d5 was interrupted (no worker container): not a rollback target)") : logOf("e")
    assert lib.container("sanchodep_lock_backend_d5") == null
    assert lib.container("sanchodep_lock_backend_d6").state == "running"
    assert lib.container(LOCK) == null

    // the database: same container, data intact
    assert lib.container("sanchodep_lock_db").id == dbId
    assert lib.psql("sanchodep_lock_db", "lock", "lockdb", "SELECT v FROM t") == "kept"

    ["a", "b", "c", "d", "e"].each { n -> assert !logOf(n).contains(PASSWORD) : "secret in ${n}.log" }
    assert !new File(basedir, "build.log").text.contains(PASSWORD)
} finally {
    processes.each { p -> if (p.isAlive()) p.destroyForcibly() }
    lib.removeContainers(["sanchodep_lock_db", LOCK])
    lib.removeProject("sanchodep_lock", ["sanchodep_lock_pgdata"], ["sanchodep_lock_default"])
    lib.unlockIt("deploy-lock-kill")
}
true
