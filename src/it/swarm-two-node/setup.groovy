// Starts a two-node Docker Swarm on dedicated engines (scripts/swarm.sh up sancho-swarm-two 2: each dockerd in its own
// network namespace, linked on a private /24, `swarm init` on node 1, node 2 joined, the test images copied into both)
// and the database's external volume on node 1, the manager the database is pinned to. First removes what a killed earlier run left. The shared engine is not touched.
def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def e = eng.engine("sancho-swarm-two-1")
def swarm = { String... args -> eng.run(["bash", new File(eng.REPO, "scripts/swarm.sh").path] + args.toList()) }
["ip", "nsenter", "setsid", "dockerd", "umount", "python3"].each { tool ->
    assert eng.run(["sh", "-c", "command -v " + tool]).code == 0 : "swarm-two-node needs ${tool} on PATH"
}
eng.lock(e)
swarm("unwatch", "sancho-swarm-two")
def d = swarm("down", "sancho-swarm-two")
assert d.code == 0 : "removing an earlier run's swarm failed: ${d.err}"
try {
    def up = swarm("up", "sancho-swarm-two", "2", basedir.absolutePath)
    assert up.code == 0 : "scripts/swarm.sh up failed: ${up.err}"
    // Backstop: verify.groovy's finally removes the swarm; when it never runs or this Maven is killed, the watchdog
    def w = swarm("watch", "sancho-swarm-two", ProcessHandle.current().pid() as String)
    assert w.code == 0 : w.err
    eng.dockerOk(e, "volume", "create", "sanchotw_pgdata")
    println "swarm-two-node: ${up.out}"
} catch (Throwable t) {
    swarm("down", "sancho-swarm-two")
    swarm("unwatch", "sancho-swarm-two")
    eng.unlock(e)
    throw t
}
true
