// sancho on a two-node Docker Swarm: the database stays pinned to the manager (node 1) while the backend's 2 replicas
// are spread over both nodes and the proxy on node 1 reaches both (overlay network, DNS round robin); a redeploy under
// a client loop through the proxy loses no request; stopping node 2's dockerd makes the swarm reschedule the backend
// replica onto node 1 and the proxy keeps answering, while the database task never moves. The finally removes the swarm.
import groovy.json.JsonSlurper

def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def e = eng.engine("sancho-swarm-two-1")
def swarmSh = new File(eng.REPO, "scripts/swarm.sh").path
def PORT = 28691
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def plugin = "dev.sancho:sancho-maven-plugin:${version}"
def tail = { String log -> log.readLines().takeRight(40).join("\n") }
def mvn = { String name, List args -> eng.mvn(e, basedir, repo, name, args, 300) }
def deploy = { String id, List extra = [] ->
    def r = mvn("deploy-" + id, ["${plugin}:deploy", "-Dsancho.deployId=${id}"] + extra)
    assert r.code == 0 : "deploy ${id} failed:\n" + tail(r.log)
    assert r.log.contains("Deployed ${id} on the swarm")
    println String.format("swarm-two-node: deploy %s took %.1f s", id, r.seconds)
    r
}
// running tasks of a service: [id, node id]
def running = { String name ->
    def out = eng.dockerOk(e, "service", "ps", name, "--filter", "desired-state=running", "--format", "{{.ID}} {{.CurrentState}}")
    def ids = out.isEmpty() ? [] : out.readLines().findAll { it.contains(" Running ") }.collect { it.split(" ")[0] }
    ids.collect { id -> [id: id, node: eng.dockerOk(e, "inspect", "--type", "task", "--format", "{{.NodeID}}", id)] }
}
def node1 = eng.dockerOk(e, "info", "--format", "{{.Swarm.NodeID}}")
def nodes = eng.dockerOk(e, "node", "ls", "--format", "{{.ID}}").readLines()*.trim()
assert nodes.size() == 2
def node2 = (nodes - node1)[0]
def hostnames = { int rounds ->
    eng.get(e, PORT, rounds, ["/"]).findAll { it.status == 200 }.collect { (it.body =~ /hostname=(\S+)/).with { m -> m.find() ? m.group(1) : null } } as Set
}
try {
    deploy("t1")
    def db = running("sanchotw_db")
    assert db.size() == 1 && db[0].node == node1 : "the database is not on the manager: ${db}"
    def backend = running("sanchotw_backend")
    assert backend*.node as Set == [node1, node2] as Set : "backend replicas not spread over both nodes: ${backend}"
    assert eng.within(30, 300) { eng.get(e, PORT, 1, ["/"]).every { it.status == 200 && eng.deployOf(it.body) == "t1" } }
    // both replicas answer through the proxy on node 1: the one on node 2 over the overlay network
    def seen = [] as Set
    assert eng.within(30, 200) { seen.addAll(hostnames(5)); seen.size() == 2 } : "only ${seen} answered"

    // a redeploy under a client loop through the proxy
    def stop = new File(basedir, "loadgen.stop"), out = new File(basedir, "loadgen.json")
    stop.delete()
    def loop = new ProcessBuilder(["nsenter", "--net=" + e.nsPath, "python3", new File(eng.REPO, "bench/loadgen.py").path,
            "--url", "http://127.0.0.1:${PORT}/".toString(), "--rate", "20", "--max-seconds", "240",
            "--stop-file", stop.path, "--out", out.path]).redirectErrorStream(true)
            .redirectOutput(new File(basedir, "loadgen.log")).start()
    try {
        Thread.sleep(1000)
        deploy("t2", ["-Dapp.version=2"])
        Thread.sleep(2000)
    } finally {
        stop.text = "stop"
        assert loop.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)
    }
    def load = new JsonSlurper().parse(out)
    println "swarm-two-node: client loop over a redeploy: ${load.requests} requests, ${load.failed} failed, max ${load.max_latency} s"
    assert load.requests > 50 && load.failed == 0 : new File(basedir, "loadgen.log").text
    assert running("sanchotw_db") == db : "the database task changed"
    // where the new replicas land is the scheduler's choice (start-first placed both on node 2 in one run): 2 run
    def after = running("sanchotw_backend")
    assert after.size() == 2 : "backend after the redeploy: ${after}"
    println "swarm-two-node: after the redeploy the backend runs on " + after*.node.collect { it == node1 ? "node 1" : "node 2" }

    // node 2's dockerd stops: its replica is rescheduled onto node 1, the database never moves
    long t0 = System.nanoTime()
    def s = eng.run(["bash", swarmSh, "stop", "sancho-swarm-two", "2"])
    assert s.code == 0 : s.err
    def last = null
    assert eng.within(120, 500) { last = running("sanchotw_backend"); last.size() == 2 && last.every { it.node == node1 } } :
            "backend not rescheduled onto node 1: ${last}"
    println String.format("swarm-two-node: node 2 stopped; both backend replicas on node 1 after %.1f s", (System.nanoTime() - t0) / 1e9)
    assert eng.within(30, 300) { eng.get(e, PORT, 3, ["/"]).every { it.status == 200 && eng.deployOf(it.body) == "t2" } }
    assert running("sanchotw_db") == db : "the database task moved"
    assert eng.dockerOk(e, "node", "inspect", node2, "--format", "{{.Status.State}}") == "down"
} finally {
    try {
        def d = eng.run(["bash", swarmSh, "down", "sancho-swarm-two"])
        assert d.code == 0 : "removing the swarm failed: ${d.err}"
    } finally {
        eng.run(["bash", swarmSh, "unwatch", "sancho-swarm-two"])
        eng.unlock(e)
    }
}
true
