// Starts a one-node Docker Swarm on a dedicated engine (scripts/swarm.sh up sancho-swarm-it 1: dockerd in its own
// network namespace, linked to a private /24, `swarm init` on its link address, the test images copied in) and the
// database's external volume on it. First removes what a killed earlier run left. The shared engine is not touched.
def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def e = eng.engine("sancho-swarm-it-1")
def swarm = { String... args -> eng.run(["bash", new File(eng.REPO, "scripts/swarm.sh").path] + args.toList()) }
["ip", "nsenter", "setsid", "dockerd", "umount", "python3"].each { tool ->
    assert eng.run(["sh", "-c", "command -v " + tool]).code == 0 : "swarm-single needs ${tool} on PATH"
}
eng.lock(e)
swarm("unwatch", "sancho-swarm-it")
def d = swarm("down", "sancho-swarm-it")
assert d.code == 0 : "removing an earlier run's swarm failed: ${d.err}"
try {
    def up = swarm("up", "sancho-swarm-it", "1", basedir.absolutePath)
    assert up.code == 0 : "scripts/swarm.sh up failed: ${up.err}"
    // Backstop: verify.groovy's finally removes the swarm; when it never runs or this Maven is killed, the watchdog
    def w = swarm("watch", "sancho-swarm-it", ProcessHandle.current().pid() as String)
    assert w.code == 0 : w.err
    eng.dockerOk(e, "volume", "create", "sanchosw_pgdata")
    println "swarm-single: ${up.out}"
} catch (Throwable t) {
    swarm("down", "sancho-swarm-it")
    swarm("unwatch", "sancho-swarm-it")
    eng.unlock(e)
    throw t
}
true
