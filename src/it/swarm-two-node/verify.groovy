// sancho on a two-node Docker Swarm, the issue's list in one run: the first deploy pins the database to the manager
// (node 1) and spreads the backend's 2 replicas over both nodes, the proxy on node 1 reaching both (overlay network,
// DNS round robin); a row is written into PostgreSQL. Under ONE client loop through the proxy: 5 redeploys, an
// unhealthy deploy (failed build naming the tasks, the swarm rolls back, the previous deploy keeps serving), a rollback
// to a kept deploy (its recorded specs, the health gate) and a deploy with a drifted database spec (reported, not
// applied) lose no request, while the database task and the row stay. Then node 2's dockerd stops: the backend is
// rescheduled onto node 1, the database never moves. Figures per stage are printed (requests, failed, seconds) and each
// deploy's timeline line. The finally removes the swarm.
import groovy.json.JsonSlurper

def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def e = eng.engine("sancho-swarm-two-1")
def swarmSh = new File(eng.REPO, "scripts/swarm.sh").path
def PORT = 28691
def PASSWORD = "sanchotw-Pw-71c2"
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def plugin = "dev.sancho:sancho-maven-plugin:${version}"
def tail = { String log -> log.readLines().takeRight(40).join("\n") }
def mvn = { String name, List args -> eng.mvn(e, basedir, repo, name, args, 300) }
def logs = []
// the one-line timeline a deploy (or rollback) ends with, e.g. "deployed t2 in 14.1 s: plan 0.1, lock 0.0, ..."
def timelineOf = { String log, String head ->
    def line = log.readLines().find { it.contains("] " + head + " ") }
    assert line != null && line =~ (java.util.regex.Pattern.quote(head) + / (in|after) \d+\.\d s: [a-z]+ \d+\.\d(, [a-z]+ \d+\.\d)*$/) :
            "no timeline '${head} ...' in:\n" + tail(log)
    line.substring(line.indexOf(head))
}
def deploy = { String id, List extra = [] ->
    def r = mvn("deploy-" + id, ["${plugin}:deploy", "-Dsancho.deployId=${id}"] + extra)
    logs << "deploy-${id}.log"
    assert r.code == 0 : "deploy ${id} failed:\n" + tail(r.log)
    assert r.log.contains("Deployed ${id} on the swarm")
    def t = timelineOf(r.log, "deployed " + id)
    ["lock", "plan", "update", "converge", "record", "verify"].each { assert t.contains(" " + it + " ") : t }
    println String.format("swarm-two-node: deploy %s took %.1f s (mvn); %s", id, r.seconds, t)
    r
}
// running tasks of a service: [id, node id]
def running = { String name ->
    def out = eng.dockerOk(e, "service", "ps", name, "--filter", "desired-state=running", "--format", "{{.ID}} {{.CurrentState}}")
    def ids = out.isEmpty() ? [] : out.readLines().findAll { it.contains(" Running ") }.collect { it.split(" ")[0] }
    ids.collect { id -> [id: id, node: eng.dockerOk(e, "inspect", "--type", "task", "--format", "{{.NodeID}}", id)] }
}
def service = { String name -> new JsonSlurper().parseText(eng.dockerOk(e, "service", "inspect", name))[0] }
def serviceDeploy = { String name -> service(name).Spec.TaskTemplate.ContainerSpec.Labels["sancho.deploy-id"] }
// the database task runs on node 1, the engine e: its container is there
def dbContainer = { -> eng.dockerOk(e, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=sanchotw_db") }
def psql = { String sql -> eng.psql(e, dbContainer(), "swarm", "swarmdb", sql) }
def node1 = eng.dockerOk(e, "info", "--format", "{{.Swarm.NodeID}}")
def nodes = eng.dockerOk(e, "node", "ls", "--format", "{{.ID}}").readLines()*.trim()
assert nodes.size() == 2
def node2 = (nodes - node1)[0]
def hostnames = { int rounds ->
    eng.get(e, PORT, rounds, ["/"]).findAll { it.status == 200 }.collect { (it.body =~ /hostname=(\S+)/).with { m -> m.find() ? m.group(1) : null } } as Set
}
def awaitServing = { String id, int seconds ->
    def last = null
    assert eng.within(seconds, 300) { last = eng.get(e, PORT, 3, ["/"]); last.every { it.status == 200 && eng.deployOf(it.body) == id } } :
            "deploy ${id} did not answer through the proxy within ${seconds} s; last: ${last}"
}
def stages = [] // [name, from, to] in epoch seconds, matched against the client loop's raw requests
def stage = { String name, Closure body ->
    double from = System.currentTimeMillis() / 1000.0
    try {
        body()
    } finally {
        stages << [name: name, from: from, to: System.currentTimeMillis() / 1000.0]
    }
}
long runStart = System.nanoTime()
try {
    stage("first deploy t1") { deploy("t1") }
    def db = running("sanchotw_db")
    assert db.size() == 1 && db[0].node == node1 : "the database is not on the manager: ${db}"
    // the proxy pinned to node 2: its ./letsencrypt and acme.json made there (the nodes share this filesystem)
    def edge = running("sanchotw_edge")
    assert edge.size() == 1 && edge[0].node == node2 : "the edge proxy does not run on node 2: ${edge}"
    def le = new File(basedir, "letsencrypt").toPath()
    assert java.nio.file.Files.isDirectory(le)
    assert java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(le)) == "rwxr-x---"
    def acme = le.resolve("acme.json")
    assert java.nio.file.Files.isRegularFile(acme) && java.nio.file.Files.size(acme) == 0
    assert java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(acme)) == "rw-------"
    def t1log = new File(basedir, "deploy-t1.log").text
    assert t1log.contains("bind-mount sources of service edge exist on ") : tail(t1log)
    assert !eng.dockerOk(e, "service", "ls", "--format", "{{.Name}}").contains("sancho-bindsrc") : "the one-shot service was left"
    println "swarm-two-node: ./letsencrypt (0750) and acme.json (0600) created on node 2; the edge proxy runs there"
    def backend = running("sanchotw_backend")
    assert backend*.node as Set == [node1, node2] as Set : "backend replicas not spread over both nodes: ${backend}"
    awaitServing("t1", 30)
    // both replicas answer through the proxy on node 1: the one on node 2 over the overlay network
    def seen = [] as Set
    assert eng.within(30, 200) { seen.addAll(hostnames(5)); seen.size() == 2 } : "only ${seen} answered"
    def dbId = dbContainer()
    psql("CREATE TABLE swarm_check (note text); INSERT INTO swarm_check VALUES ('written after deploy t1')")
    def dataUnchanged = { String after ->
        assert running("sanchotw_db") == db : "the database task changed after ${after}"
        assert dbContainer() == dbId : "the database container changed after ${after}"
        assert psql("SELECT string_agg(note, ',') FROM swarm_check") == "written after deploy t1" : "the row changed after ${after}"
    }

    def stop = new File(basedir, "loadgen.stop"), out = new File(basedir, "loadgen.json"), raw = new File(basedir, "loadgen.raw")
    stop.delete()
    def loop = new ProcessBuilder(["nsenter", "--net=" + e.nsPath, "python3", new File(eng.REPO, "bench/loadgen.py").path,
            "--url", "http://127.0.0.1:${PORT}/".toString(), "--rate", "20", "--max-seconds", "480",
            "--stop-file", stop.path, "--out", out.path, "--raw", raw.path]).redirectErrorStream(true)
            .redirectOutput(new File(basedir, "loadgen.log")).start()
    try {
        Thread.sleep(1000)
        // --- 5 redeploys, the image alternating: each converges on the new deploy, the database untouched
        ["t2": "2", "t3": "1", "t4": "2", "t5": "1", "t6": "2"].each { id, v ->
            stage("redeploy " + id) {
                deploy(id, ["-Dapp.version=" + v])
                assert serviceDeploy("sanchotw_backend") == id
                dataUnchanged("deploy " + id)
            }
        }
        awaitServing("t6", 10)

        // --- an unhealthy deploy: the build fails naming the tasks, the swarm rolls back, t6 keeps serving
        stage("unhealthy deploy t7") {
            def bad = mvn("deploy-t7-unhealthy", ["${plugin}:deploy", "-Dsancho.deployId=t7", "-Dapp.failHealth=1", "-Dsancho.healthTimeout=120s"])
            logs << "deploy-t7-unhealthy.log"
            assert bad.code != 0 : "the unhealthy deploy t7 succeeded:\n" + tail(bad.log)
            def err = bad.log.readLines().find { it.startsWith("[ERROR]") && it.contains("did not converge") }
            assert err != null && err.contains("the swarm rolled back") && err.contains("sanchotw_backend") &&
                    err.contains("task ") : tail(bad.log)
            println "swarm-two-node: unhealthy deploy t7 failed after ${String.format('%.1f', bad.seconds)} s with: " +
                    err.replaceFirst(/.*on project swarm-two-node: /, "")
            println "swarm-two-node: " + timelineOf(bad.log, "deploy t7 failed")
            assert serviceDeploy("sanchotw_backend") == "t6"
            awaitServing("t6", 30)
            dataUnchanged("the unhealthy deploy t7")
        }

        // --- rollback to the kept deploy t5: its recorded specs, the same health gate
        stage("rollback to t5") {
            def rb = mvn("rollback-t5", ["${plugin}:rollback", "-Dsancho.deployId=t5"])
            logs << "rollback-t5.log"
            assert rb.code == 0 : tail(rb.log)
            assert rb.log.contains("All 1 application services converged on deploy t5") : tail(rb.log)
            assert rb.log.contains("Rolled back to deploy t5 on the swarm: sanchotw_backend")
            def t = timelineOf(rb.log, "rolled back to t5")
            println String.format("swarm-two-node: rollback to t5 took %.1f s (mvn); %s", rb.seconds, t)
            assert serviceDeploy("sanchotw_backend") == "t5"
            assert service("sanchotw_backend").Spec.TaskTemplate.ContainerSpec.Image.startsWith("sancho-it/app:1")
            awaitServing("t5", 30)
            dataUnchanged("the rollback to t5")
        }

        // --- a drifted database spec: reported, not applied
        stage("deploy t8, drifted db spec") {
            def r8 = deploy("t8", ["-Ddb.note=changed"])
            assert r8.log.contains("drift (reported, not applied): infrastructure service sanchotw_db: env.DB_NOTE differ")
            assert r8.log.contains("adopt infrastructure service sanchotw_db as it is")
            assert !service("sanchotw_db").Spec.TaskTemplate.ContainerSpec.Env.contains("DB_NOTE=changed")
            dataUnchanged("the drifted deploy t8")
        }
        awaitServing("t8", 10)
        Thread.sleep(2000)
    } finally {
        stop.text = "stop"
        assert loop.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)
    }
    def load = new JsonSlurper().parse(out)
    def requests = raw.readLines().collect { new JsonSlurper().parseText(it) }
    stages.findAll { it.name != "first deploy t1" }.each { s ->
        def inStage = requests.findAll { it.t >= s.from && it.t < s.to }
        println String.format("swarm-two-node: %-28s %5.1f s: %4d requests, %d failed", s.name, s.to - s.from,
                inStage.size(), inStage.count { !it.ok })
    }
    println "swarm-two-node: client loop over 5 redeploys, an unhealthy deploy, a rollback and a drifted deploy: " +
            "${load.requests} requests in ${load.seconds} s, ${load.failed} failed, max ${load.max_latency} s, " +
            "deploys seen ${load.deploys_seen*.deploy}"
    assert load.requests > 300 && load.failed == 0 : new File(basedir, "loadgen.log").text + "\n" + load.failures
    assert (load.deploys_seen*.deploy as Set).containsAll(["t2", "t3", "t4", "t5", "t6", "t8"])
    def after = running("sanchotw_backend")
    assert after.size() == 2 : "backend after the redeploys: ${after}"
    println "swarm-two-node: after the redeploys the backend runs on " + after*.node.collect { it == node1 ? "node 1" : "node 2" }

    // --- node 2's dockerd stops: its replica is rescheduled onto node 1, the database never moves
    long t0 = System.nanoTime()
    def s = eng.run(["bash", swarmSh, "stop", "sancho-swarm-two", "2"])
    assert s.code == 0 : s.err
    def last = null
    assert eng.within(120, 500) { last = running("sanchotw_backend"); last.size() == 2 && last.every { it.node == node1 } } :
            "backend not rescheduled onto node 1: ${last}"
    println String.format("swarm-two-node: node 2 stopped; both backend replicas on node 1 after %.1f s", (System.nanoTime() - t0) / 1e9)
    awaitServing("t8", 30)
    dataUnchanged("node 2 stopped")
    assert eng.dockerOk(e, "node", "inspect", node2, "--format", "{{.Status.State}}") == "down"
    logs.each { n -> assert !new File(basedir, n).text.contains(PASSWORD) : "secret in ${n}" }
    println String.format("swarm-two-node: verify.groovy took %.1f s", (System.nanoTime() - runStart) / 1e9)
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
