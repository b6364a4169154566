// The operator's case: three deploys a1, a2, a3 (keep=2) of a stack whose backend has `restart: always` and whose
// frontend has `restart: unless-stopped`, then the engine is stopped (SIGTERM, as at a host shutdown) and started
// again. Only a3 may come back and answer through the proxy; the database is the same container with its data;
// sancho:verify passes. A kept deploy's container started by hand is a stray: sancho:verify fails naming it, and the
// next sancho:deploy leaves exactly one deploy running. Runs on the dedicated engine setup.groovy started; the
// finally block stops that dockerd and removes everything of it (namespace, mounts, directory).
def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def e = eng.engine("sancho-reboot-it")
def P = "sanchorb"
def PORT = 28580
def PASSWORD = "sanchorb-Pw-3c81e5"
def DB = "sanchorb_db_v2", PROXY = "sanchorb_traefik_persistent"
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def plugin = "dev.sancho:sancho-maven-plugin:${version}"
def timings = [:]
long started = System.nanoTime()
def timed = { String what, Closure c ->
    long t = System.nanoTime()
    def r = c()
    timings[what] = String.format("%.1f s", (System.nanoTime() - t) / 1e9)
    r
}
def tail = { String log -> log.readLines().takeRight(40).join("\n") }
def mvn = { String name, List args -> timed(name) { eng.mvn(e, basedir, repo, name, args) } }
def deploy = { String id, String appVersion ->
    def r = mvn("deploy-" + id, ["${plugin}:deploy", "-Dsancho.deployId=${id}", "-Dapp.version=${appVersion}"])
    assert r.code == 0 : "deploy ${id} failed:\n" + tail(r.log)
    assert r.log.contains("Deployed ${id}: ")
    r
}
def app = { String service, String id -> "${P}_${service}_${id}".toString() }
def pair = { String id -> [app("backend", id), app("frontend", id)].sort() }
def runningApps = { -> eng.names(e, P, ["label=sancho.role=app", "status=running"]) }
def allApps = { -> eng.names(e, P, ["label=sancho.role=app"]) }
// ROUNDS GETs on / (backend) and on /front/ (frontend) through the proxy's published port
def through = { int rounds -> eng.get(e, PORT, rounds, ["/", "/front/"]) }
def onlyDeploy = { List answers, String id ->
    def bad = answers.findAll { it.status != 200 || eng.deployOf(it.body) != id }
    assert bad.isEmpty() : "${bad.size()} of ${answers.size()} answers through the proxy were not deploy ${id}: ${bad.take(5)}"
}
def awaitServing = { String id, int seconds ->
    def last = null
    assert eng.within(seconds, 200) {
        last = through(1)
        last.every { it.status == 200 && eng.deployOf(it.body) == id }
    } : "deploy ${id} did not answer through the proxy within ${seconds} s; last: ${last}"
}
def awaitHealthy = { List names, int seconds ->
    assert eng.within(seconds, 200) { names.every { eng.container(e, it)?.health == "healthy" } } :
            "not healthy within ${seconds} s: " + names.collect { "${it}=${eng.container(e, it)?.with { c -> c.state + '/' + c.health }}" }
}
try {
    // the invoker's own build (sancho:status) went to the dedicated engine through invoker.environmentVariables
    def buildLog = new File(basedir, "build.log").text
    assert buildLog.contains("sancho:status — project ${P} on ${e.host}") : "the build did not use the dedicated engine"

    // --- three deploys, keep=2: a3 serves, a2 and a1 are kept stopped
    deploy("a1", "1")
    def db = eng.container(e, DB), proxy = eng.container(e, PROXY)
    assert db.state == "running" && proxy.state == "running"
    deploy("a2", "2")
    deploy("a3", "1")
    assert runningApps() == pair("a3")
    // what an engine restart will do with each app container: its restart policy now (a retired one must say no)
    def policies = { -> allApps().collect { n -> eng.container(e, n).with { c ->
        "${n} ${c.state}, restart policy ${c.restart} (compose: ${c.labels['sancho.restart']})" } } }
    def before = policies()
    println "reboot-engine: before the restart:\n  " + before.join("\n  ")
    ["a1", "a2"].each { id ->
        [backend: "always", frontend: "unless-stopped"].each { s, policy ->
            def c = eng.container(e, app(s, id))
            assert c.state == "exited" : "${c.name} of kept deploy ${id} is ${c.state}"
            assert c.labels["sancho.restart"] == policy : "${c.name}: label sancho.restart=${c.labels['sancho.restart']}"
        }
    }
    assert eng.container(e, app("backend", "a3")).restart == "always"
    assert eng.container(e, app("frontend", "a3")).restart == "unless-stopped"
    assert eng.container(e, DB).id == db.id && eng.container(e, PROXY).id == proxy.id
    eng.psql(e, DB, "maestro", "maestro_inventario",
            "CREATE TABLE reboot_check (note text); INSERT INTO reboot_check VALUES ('written before the engine restart')")
    onlyDeploy(through(3), "a3")

    // --- the engine restart: SIGTERM to dockerd, wait until it has exited, start it again
    double down = timed("engine stop") { eng.stop(e) }
    assert eng.docker(e, "version").code != 0 : "the engine still answers after its dockerd exited"
    assert eng.leftoverPids(e).isEmpty() : "processes of the stopped engine still run: ${eng.leftoverPids(e)}"
    double up = timed("engine start") { eng.start(e, new File(basedir, "dockerd.log")) }
    println String.format("reboot-engine: dockerd stopped in %.1f s, started again in %.1f s", down, up)

    // --- after the restart: only a3 runs and answers
    // dockerd starts the containers whose restart policy says so while it loads them, before its API answers
    timed("a3 back and healthy") { awaitHealthy(pair("a3"), 60) }
    def afterRestart = allApps().collectEntries { n -> [n, eng.container(e, n).state] }
    assert runningApps() == pair("a3") : "after the engine restart ${runningApps()} run, not only deploy a3's " +
            "${pair('a3')}. Before the restart:\n  " + before.join("\n  ")
    ["a1", "a2"].each { id -> pair(id).each { n ->
        assert eng.container(e, n).restart == "no" : "${n} was retired with restart policy ${eng.container(e, n).restart}"
    } }
    timed("a3 serving through the proxy") { awaitServing("a3", 30) }
    assert afterRestart == (pair("a1") + pair("a2")).collectEntries { [it, "exited"] } + pair("a3").collectEntries { [it, "running"] }
    def answers = through(20)
    onlyDeploy(answers, "a3")
    println "reboot-engine: after the restart ${answers.size()} GETs through the proxy, all deploy a3 " +
            "(max ${answers*.ms.max()} ms)"
    def dbAfter = eng.container(e, DB), proxyAfter = eng.container(e, PROXY)
    assert dbAfter.id == db.id && dbAfter.state == "running" : "the database container changed: ${db} -> ${dbAfter}"
    assert proxyAfter.id == proxy.id && proxyAfter.state == "running"
    assert eng.psql(e, DB, "maestro", "maestro_inventario", "SELECT note FROM reboot_check") ==
            "written before the engine restart"
    def v1 = mvn("verify-after-restart", ["${plugin}:verify"])
    assert v1.code == 0 : "sancho:verify failed after the engine restart:\n" + tail(v1.log)
    assert v1.log =~ /All \d+ checks passed\./

    // --- a stray: a kept deploy's container started by hand runs beside the current one
    def stray = app("backend", "a2")
    eng.dockerOk(e, "start", stray)
    assert eng.container(e, stray).state == "running"
    def v2 = mvn("verify-stray", ["${plugin}:verify"])
    assert v2.code != 0 : "sancho:verify passed with ${stray} running:\n" + tail(v2.log)
    def errors = v2.log.readLines().findAll { it.startsWith("[ERROR] Failed to execute goal") }
    assert errors.size() == 1 : tail(v2.log)
    // a kept deploy keeps its service aliases (rollback needs them), so started by hand it answers behind the name too
    assert errors[0].contains("verify failed: 2 of ") && errors[0].contains("stray ${stray}: running, but its deploy a2 " +
            "is not the current one (a3)") : errors[0]
    assert errors[0].contains("dns backend on ${P}_default: also resolves to ${stray}") : errors[0]
    assert v2.log.readLines().any { it =~ /✘\s+stray\s+${stray}\s/ }

    // --- the next deploy stops the stray at its cutover: exactly one deploy runs, a1 is beyond keep=2
    deploy("a4", "2")
    assert runningApps() == pair("a4") : "running after deploy a4: ${runningApps()}"
    assert allApps() == (pair("a2") + pair("a3") + pair("a4")).sort()
    assert eng.container(e, stray).restart == "no"
    onlyDeploy(through(5), "a4")
    assert eng.container(e, DB).id == db.id && eng.container(e, PROXY).id == proxy.id
    assert eng.psql(e, DB, "maestro", "maestro_inventario", "SELECT count(*) FROM reboot_check") == "1"
    // the audit trail on the engine survived the restart: a4's record continues a1..a3's numbering (issue 26)
    def audit = new groovy.json.JsonSlurper().parse(new File(basedir, "target/sancho/deploy.json")).audit
    assert audit.deployId == "a4" && audit.outcome == "deployed" && audit.seq == 4 : audit

    // nothing of this IT on the engine the suite shares
    def shared = eng.run(["docker", "ps", "-aq", "--filter", "label=sancho.project=" + P])
    assert shared.code != 0 || shared.out.isEmpty() : "containers of project ${P} on the shared engine: ${shared.out}"
    ["build.log", "deploy-a1.log", "deploy-a2.log", "deploy-a3.log", "deploy-a4.log", "verify-after-restart.log",
     "verify-stray.log"].each { n -> assert !new File(basedir, n).text.contains(PASSWORD) : "secret in ${n}" }
} finally {
    try {
        timed("teardown") { eng.teardown(e) }
    } finally {
        eng.unwatch(e)
        eng.unlock(e)
        println "reboot-engine: " + timings.collect { k, v -> "${k} ${v}" }.join(", ") +
                String.format("; verify.groovy %.1f s", (System.nanoTime() - started) / 1e9)
    }
}
true
