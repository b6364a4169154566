// sancho on a one-node Docker Swarm (the CI variant of the swarm ITs): the first deploy creates the pinned database
// (real PostgreSQL on its external volume) and the proxy as infrastructure services and the backend with 2 replicas;
// two redeploys run under a client loop through the proxy with 0 failed requests while the database task and its rows
// stay; an unhealthy deploy is rolled back by the swarm and the previous deploy keeps serving; a drifted database spec
// is reported, not applied; a dry run changes nothing; rollback to a kept deploy; the database service removed by hand
// is recovered (sancho:recover) on its node and volume with its rows; unlock releases the swarm lock; a non-manager
// engine is refused. Every deploy and the rollback end with their timeline line. sancho:history lists every run from
// the swarm's audit configs; sancho:logs shows the current deploy's replicas' service logs. The finally removes the
// swarm.
import groovy.json.JsonSlurper

def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def e = eng.engine("sancho-swarm-it-1")
def swarmSh = new File(eng.REPO, "scripts/swarm.sh").path
def PORT = 28690
def PASSWORD = "sanchosw-Pw-71c2"
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def plugin = "dev.sancho:sancho-maven-plugin:${version}"
def tail = { String log -> log.readLines().takeRight(40).join("\n") }
def mvn = { String name, List args -> eng.mvn(e, basedir, repo, name, args, 300) }
def deploy = { String id, List extra = [] ->
    def r = mvn("deploy-" + id, ["${plugin}:deploy", "-Dsancho.deployId=${id}"] + extra)
    assert r.code == 0 : "deploy ${id} failed:\n" + tail(r.log)
    assert r.log.contains("Deployed ${id} on the swarm")
    // the one-line timeline every deploy ends with, as on one engine
    def line = r.log.readLines().find { it.contains("] deployed ${id} in ") }
    assert line != null && line =~ /deployed \S+ in \d+\.\d s: [a-z]+ \d+\.\d(, [a-z]+ \d+\.\d)*$/ :
            "no timeline line for ${id}:\n" + tail(r.log)
    ["plan", "lock", "update", "converge", "record", "verify"].each { assert line.contains(" " + it + " ") : line }
    assert line.contains(" infrastructure ") == (id == "s1") : "infrastructure is a step of the first deploy only: " + line
    println String.format("swarm-single: deploy %s took %.1f s (mvn); %s", id, r.seconds, line.substring(line.indexOf("deployed ")))
    // target/sancho/deploy.json: what CI reads instead of the log (issue 24)
    def json = new JsonSlurper().parse(new File(basedir, "target/sancho/deploy.json"))
    assert json.goal == "deploy" && json.target == "swarm" && json.project == "sanchosw" && json.outcome == "deployed" &&
            json.deployId == id && json.error == null : json
    assert json.actions.any { it.subject == "sanchosw_backend" && it.action in ["create-service", "update-service"] } : json.actions
    assert json.timeline.keySet().containsAll(["plan", "lock", "update", "converge", "record", "verify"]) : json.timeline
    assert !new File(basedir, "target/sancho/deploy.json").text.contains(PASSWORD)
    r
}
def service = { String name -> new JsonSlurper().parseText(eng.dockerOk(e, "service", "inspect", name))[0] }
def tasks = { String name, String state = "running" ->
    def out = eng.dockerOk(e, "service", "ps", name, "--filter", "desired-state=" + state, "--format", "{{.ID}}")
    out.isEmpty() ? [] : out.readLines()*.trim()
}
def dbContainer = { -> eng.dockerOk(e, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=sanchosw_db") }
def psql = { String sql -> eng.psql(e, dbContainer(), "swarm", "swarmdb", sql) }
def awaitServing = { String id, int seconds ->
    def last = null
    assert eng.within(seconds, 300) {
        last = eng.get(e, PORT, 4, ["/"])
        last.every { it.status == 200 && eng.deployOf(it.body) == id }
    } : "deploy ${id} did not answer through the proxy within ${seconds} s; last: ${last}"
}
def serviceDeploy = { String name -> service(name).Spec.TaskTemplate.ContainerSpec.Labels["sancho.deploy-id"] }
try {
    // --- first deploy: DB + proxy pinned to the manager node, backend 2 replicas
    def r1 = deploy("s1")
    // the swarm-only deploy: keys sancho maps are applied, not warned about as on one engine
    assert !r1.log.contains("not honoured") : r1.log.readLines().findAll { it.contains("not honoured") }.join("\n")
    def nodeId = eng.dockerOk(e, "info", "--format", "{{.Swarm.NodeID}}")
    assert r1.log.contains("create infrastructure service sanchosw_db (sancho-it/postgres:15, 1 replica, pinned to node ${nodeId}")
    assert r1.log.contains("create application service sanchosw_backend (sancho-it/app:1, 2 replicas)")
    assert service("sanchosw_db").Spec.TaskTemplate.Placement.Constraints == ["node.id==" + nodeId]
    assert service("sanchosw_backend").Spec.EndpointSpec.Mode == "dnsrr"
    // deploy.restart_policy and deploy.labels as the swarm holds them
    assert service("sanchosw_backend").Spec.TaskTemplate.RestartPolicy.Condition == "any"
    assert service("sanchosw_backend").Spec.TaskTemplate.RestartPolicy.Delay == 1_000_000_000L
    assert service("sanchosw_backend").Spec.Labels["it.owner"] == "swarm-single"
    assert service("sanchosw_backend").Spec.TaskTemplate.ContainerSpec.Labels["it.owner"] == null
    assert tasks("sanchosw_backend").size() == 2
    // secrets and configs: swarm objects named by content, files in the tasks' containers with their owner and mode
    def backendSecrets = service("sanchosw_backend").Spec.TaskTemplate.ContainerSpec.Secrets
    assert backendSecrets.size() == 1 && backendSecrets[0].SecretName ==~ /sanchosw_db_password_[0-9a-f]{12}/ &&
            backendSecrets[0].File.Name == "/run/secrets/db_password" : backendSecrets
    assert service("sanchosw_db").Spec.TaskTemplate.ContainerSpec.Secrets[0].SecretName == backendSecrets[0].SecretName
    assert r1.log.contains("create swarm secret " + backendSecrets[0].SecretName + " (for ")
    assert r1.log =~ /create swarm config sanchosw_app_conf_[0-9a-f]{12} \(for sanchosw_backend\)/
    // names are keyed with the project's digest key (a swarm config created once), not an unsalted SHA-256 that a
    // CI log reader could test password guesses against
    def sha = java.security.MessageDigest.getInstance("SHA-256").digest(PASSWORD.getBytes("UTF-8")).encodeHex().toString()
    assert !backendSecrets[0].SecretName.endsWith(sha.substring(0, 12))
    assert !r1.log.contains(sha.substring(0, 12))
    assert r1.log.contains("Created swarm config sancho-digest-key-sanchosw")
    def keyLabels = new JsonSlurper().parseText(eng.dockerOk(e, "config", "inspect", "sancho-digest-key-sanchosw"))[0].Spec.Labels
    assert keyLabels["sancho.project"] == "sanchosw" && keyLabels["sancho.role"] == "digest-key"
    assert service("sanchosw_db").Spec.Labels["sancho.digest-key-id"] ==~ /[0-9a-f]{12}/
    def backendTask = eng.dockerOk(e, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=sanchosw_backend").readLines()[0].trim()
    assert eng.dockerOk(e, "exec", backendTask, "cat", "/run/secrets/db_password") == PASSWORD
    assert eng.dockerOk(e, "exec", backendTask, "stat", "-c", "%a %u %g", "/run/secrets/db_password") == "400 0 0"
    assert eng.dockerOk(e, "exec", backendTask, "cat", "/etc/app.conf") == "greeting=hello from swarm-single v1"
    assert eng.dockerOk(e, "exec", backendTask, "stat", "-c", "%a %u %g", "/etc/app.conf") == "440 1000 0"
    assert eng.dockerOk(e, "exec", dbContainer(), "cat", "/run/secrets/db_password") == PASSWORD
    assert eng.dockerOk(e, "exec", dbContainer(), "stat", "-c", "%a", "/run/secrets/db_password") == "444"
    def configOf = { -> service("sanchosw_backend").Spec.TaskTemplate.ContainerSpec.Configs[0].ConfigName }
    def configS1 = configOf()
    def dbTask = tasks("sanchosw_db")
    assert dbTask.size() == 1
    def dbId = dbContainer()
    psql("CREATE TABLE swarm_check (note text); INSERT INTO swarm_check VALUES ('written at deploy s1')")
    awaitServing("s1", 30)

    // --- two redeploys under a client loop through the proxy: 0 failed requests
    def stop = new File(basedir, "loadgen.stop"), out = new File(basedir, "loadgen.json")
    stop.delete()
    def loop = new ProcessBuilder(["nsenter", "--net=" + e.nsPath, "python3",
            new File(eng.REPO, "bench/loadgen.py").path, "--url", "http://127.0.0.1:${PORT}/".toString(),
            "--rate", "20", "--max-seconds", "240", "--stop-file", stop.path, "--out", out.path])
            .redirectErrorStream(true).redirectOutput(new File(basedir, "loadgen.log")).start()
    try {
        Thread.sleep(1000)
        def r2 = deploy("s2", ["-Dapp.version=2"])
        assert serviceDeploy("sanchosw_backend") == "s2"
        // a changed config value is a new object (swarm configs cannot change): the update rolled over to it
        assert configOf() != configS1 && r2.log.contains("create swarm config " + configOf() + " (for ")
        assert !r2.log.contains("Created swarm config sancho-digest-key") : "the key is created once"
        def task2 = eng.dockerOk(e, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=sanchosw_backend",
                "--filter", "label=sancho.deploy-id=s2").readLines()[0].trim()
        assert eng.dockerOk(e, "exec", task2, "cat", "/etc/app.conf") == "greeting=hello from swarm-single v2"
        def r3 = deploy("s3", ["-Dapp.version=1"])
        // back to the first value: its object still exists and is used again, not created
        assert configOf() == configS1 && !r3.log.contains("create swarm config")
        Thread.sleep(2000)
    } finally {
        stop.text = "stop"
        assert loop.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) : "the client loop did not stop"
    }
    def load = new JsonSlurper().parse(out)
    println "swarm-single: client loop over 2 redeploys: ${load.requests} requests, ${load.failed} failed, " +
            "max ${load.max_latency} s, deploys seen ${load.deploys_seen*.deploy}"
    assert load.requests > 100
    assert load.failed == 0 : "failed requests during the redeploys: ${new File(basedir, 'loadgen.log').text}"
    assert (load.deploys_seen*.deploy as Set).containsAll(["s2", "s3"])
    awaitServing("s3", 10)
    assert tasks("sanchosw_db") == dbTask : "the database task changed"
    assert dbContainer() == dbId : "the database container changed"
    assert psql("SELECT note FROM swarm_check") == "written at deploy s1"

    // --- an unhealthy deploy: the swarm rolls it back, s3 keeps serving
    def bad = mvn("deploy-s4-unhealthy", ["${plugin}:deploy", "-Dsancho.deployId=s4", "-Dapp.failHealth=1", "-Dsancho.healthTimeout=120s"])
    assert bad.code != 0 : "the unhealthy deploy s4 succeeded:\n" + tail(bad.log)
    def err = bad.log.readLines().find { it.startsWith("[ERROR]") && it.contains("did not converge") }
    assert err != null && err.contains("the swarm rolled back") && err.contains("sanchosw_backend") &&
            err.contains("task ") : tail(bad.log)
    println "swarm-single: unhealthy deploy s4 failed with: " + err.replaceFirst(/.*on project swarm-single: /, "")
    def failLine = bad.log.readLines().find { it.contains("] deploy s4 failed after ") }
    assert failLine != null && failLine =~ /converge \d+\.\d, failed \d+\.\d$/ : tail(bad.log)
    assert serviceDeploy("sanchosw_backend") == "s3"
    awaitServing("s3", 30)
    assert eng.dockerOk(e, "config", "ls", "--filter", "name=sancho-lock-sanchosw", "--format", "{{.Name}}").isEmpty() :
            "the lock is still held after the failed deploy"

    // --- a drifted database spec is reported, not applied
    def r5 = deploy("s5", ["-Ddb.note=changed"])
    assert r5.log.contains("drift (reported, not applied): infrastructure service sanchosw_db: env.DB_NOTE differ")
    assert r5.log.contains("adopt infrastructure service sanchosw_db as it is")
    assert tasks("sanchosw_db") == dbTask
    assert !service("sanchosw_db").Spec.TaskTemplate.ContainerSpec.Env.contains("DB_NOTE=changed")
    assert psql("SELECT count(*) FROM swarm_check") == "1"

    // --- dry run: the plan in swarm terms, nothing changed
    def versionBefore = service("sanchosw_backend").Version.Index
    def dry = mvn("dry-run", ["${plugin}:deploy", "-Dsancho.deployId=s6", "-Dsancho.dryRun"])
    assert dry.code == 0 : tail(dry.log)
    assert dry.log.contains("update application service sanchosw_backend to deploy s6")
    assert dry.log.contains("[dry-run] nothing was changed")
    assert service("sanchosw_backend").Version.Index == versionBefore
    def dryJson = new JsonSlurper().parse(new File(basedir, "target/sancho/deploy.json"))
    assert dryJson.outcome == "dry-run" && dryJson.deployId == "s6" && dryJson.timeline == [:] : dryJson

    // --- history: one config per deploy, keep=2; the lock is gone
    def records = eng.dockerOk(e, "config", "ls", "--filter", "label=sancho.project=sanchosw", "--filter",
            "label=sancho.role=deploy-record", "--format", "{{.Name}}").readLines()*.trim().sort()
    assert records == ["sancho-deploy-sanchosw-s3", "sancho-deploy-sanchosw-s5"]

    // --- verify and status in swarm terms
    def v = mvn("verify", ["${plugin}:verify"])
    assert v.code == 0 : tail(v.log)
    assert v.log.contains("current deploy s5") && v.log =~ /All 3 checks passed\./
    def vJson = new JsonSlurper().parse(new File(basedir, "target/sancho/verify.json"))
    assert vJson.goal == "verify" && vJson.target == "swarm" && vJson.outcome == "passed" && vJson.checks.size() == 3 &&
            vJson.checks.every { it.ok == true } : vJson
    def st = mvn("status", ["${plugin}:status"])
    assert st.code == 0 : tail(st.log)
    ["Nodes:", "sancho talks to this one", "Tasks per node:", "sanchosw_backend.1 running (deploy s5)",
     "Deploys (newest first):", "sancho-deploy-sanchosw-s3"].each { assert st.log.contains(it) : "status lacks ${it}:\n" + tail(st.log) }

    // --- rollback to the kept deploy s3: its recorded specs, the same health gate; then it is the current deploy
    def rb = mvn("rollback-s3", ["${plugin}:rollback", "-Dsancho.deployId=s3"])
    assert rb.code == 0 : tail(rb.log)
    assert rb.log.contains("Rolled back to deploy s3 on the swarm: sanchosw_backend")
    def rbLine = rb.log.readLines().find { it.contains("] rolled back to s3 in ") }
    assert rbLine != null && rbLine =~ /rolled back to s3 in \d+\.\d s: lock \d+\.\d, update \d+\.\d, converge \d+\.\d, record \d+\.\d$/ : tail(rb.log)
    println "swarm-single: " + rbLine.substring(rbLine.indexOf("rolled back"))
    assert serviceDeploy("sanchosw_backend") == "s3"
    awaitServing("s3", 30)
    def v2 = mvn("verify-after-rollback", ["${plugin}:verify"])
    assert v2.code == 0 && v2.log.contains("current deploy s3") : tail(v2.log)
    assert tasks("sanchosw_db") == dbTask && dbContainer() == dbId

    // --- recover: the database service removed by hand (docker service rm); sancho:recover creates it again, pinned
    // to the same node, on the same volume: the row written at s1 is there. The proxy service is not touched.
    def dbVolume = { -> service("sanchosw_db").Spec.TaskTemplate.ContainerSpec.Mounts.find { it.Target == "/var/lib/postgresql/data" }?.Source }
    assert dbVolume() == "sanchosw_pgdata"
    def proxyVersion = service("sanchosw_proxy").Version.Index
    eng.dockerOk(e, "service", "rm", "sanchosw_db")
    assert eng.within(60, 300) { dbContainer().isEmpty() } : "the database container outlived its service"
    def missing = mvn("verify-db-removed", ["${plugin}:verify"])
    assert missing.code != 0 && missing.log.contains("sanchosw_db") && missing.log.contains("no such service") : tail(missing.log)
    def rec = mvn("recover", ["${plugin}:recover"])
    assert rec.code == 0 : tail(rec.log)
    assert rec.log.contains("create infrastructure service sanchosw_db (sancho-it/postgres:15, pinned to node ${nodeId}") &&
            rec.log.contains("on volume sanchosw_pgdata") : tail(rec.log)
    assert rec.log.contains("keep infrastructure service sanchosw_proxy (exists; not touched)")
    assert rec.log.contains("Recovered sanchosw_db on the swarm")
    println "swarm-single: recover took ${String.format('%.1f', rec.seconds)} s (mvn)"
    assert service("sanchosw_db").Spec.TaskTemplate.Placement.Constraints == ["node.id==" + nodeId]
    assert dbVolume() == "sanchosw_pgdata"
    assert service("sanchosw_proxy").Version.Index == proxyVersion
    assert psql("SELECT note FROM swarm_check") == "written at deploy s1" : "the row did not survive the recover"
    def again = mvn("recover-again", ["${plugin}:recover"])
    assert again.code == 0 && again.log.contains("Nothing to recover: every infrastructure service exists.") : tail(again.log)
    def v3 = mvn("verify-after-recover", ["${plugin}:verify"])
    assert v3.code == 0 && v3.log.contains("current deploy s3") : tail(v3.log)

    // --- unlock releases the swarm lock (a config left by a killed deploy, here made by hand)
    def lockData = new File(basedir, "lock.txt")
    lockData.text = "killed deploy\n"
    eng.dockerOk(e, "config", "create", "--label", "sancho.project=sanchosw", "--label", "sancho.role=lock",
            "--label", "sancho.lock.holder=ci", "sancho-lock-sanchosw", lockData.path)
    def un = mvn("unlock", ["${plugin}:unlock"])
    assert un.code == 0 && un.log.contains("Released the deploy lock of project sanchosw") : tail(un.log)
    assert eng.dockerOk(e, "config", "ls", "--filter", "name=sancho-lock-sanchosw", "--format", "{{.Name}}").isEmpty()

    // --- the audit trail in the swarm's configs: every deploy (the failed one marked), the rollback, both recovers and
    // the unlock, newest first; the dry run wrote none
    def h = mvn("history", ["${plugin}:history"])
    assert h.code == 0 && h.log.contains("in swarm configs sanchosw_sancho_audit_<n>") : tail(h.log)
    def trail = new JsonSlurper().parse(new File(basedir, "target/sancho/history.json")).records
    assert trail*.goal == ["unlock", "recover", "recover", "rollback", "deploy", "deploy", "deploy", "deploy", "deploy"] &&
            trail*.seq == (9..1).toList() : trail.collect { [it.seq, it.goal, it.deployId, it.outcome] }
    assert trail.findAll { it.goal == "deploy" }*.deployId == ["s5", "s4", "s3", "s2", "s1"]
    assert trail*.outcome == ["unlocked", "nothing-to-do", "recovered", "rolled-back", "deployed", "failed", "deployed",
            "deployed", "deployed"] && trail.every { it.target == "swarm" }
    assert trail[3].images.backend.image == "sancho-it/app:1" : trail[3]
    assert h.log.readLines().any { it =~ /! \S+\s+deploy\s+s4\s+failed/ } : tail(h.log)
    assert eng.dockerOk(e, "config", "ls", "--filter", "label=sancho.role=audit", "--format", "{{.Name}}").readLines()
            .size() == 9

    // --- logs: the service logs of the current deploy's (s3, rolled back to) running tasks, prefixed by service and
    // slot; the tasks of s5 and the s3 tasks the rollback replaced are not shown
    def lg = mvn("logs", ["-q", "${plugin}:logs", "-Dsancho.tail=5"])
    assert lg.code == 0 : tail(lg.log)
    def lines = lg.log.readLines().findAll { it.contains(" | ") }
    ["backend-1 | ", "backend-2 | "].each { p ->
        assert lines.count { it.startsWith(p) && it.contains("deploy=s3 listening") } == 1 : lg.log
    }
    assert lines.every { it =~ /^backend-[12] \| / } && !lg.log.contains("deploy=s5") : lg.log
    println "swarm-single: history ${trail.size()} records from the swarm's configs; logs ${lines.size()} lines"

    // --- pre-deploy-cleanup has nothing to do on a swarm: refused in one line, saying why
    def pc = mvn("pre-deploy-cleanup", ["${plugin}:pre-deploy-cleanup"])
    assert pc.code != 0 && pc.log.contains("on a swarm there is nothing for it to remove") : tail(pc.log)

    // --- an engine that is no swarm manager is refused in one line, before anything
    def shared = mvn("not-a-manager", ["${plugin}:deploy", "-Dsancho.deployId=s7", "-Dsancho.dockerHost=unix:///var/run/docker.sock"])
    assert shared.code != 0
    assert shared.log.contains("is not a swarm manager") : tail(shared.log)

    ["deploy-s1.log", "deploy-s2.log", "deploy-s3.log", "deploy-s4-unhealthy.log", "deploy-s5.log", "dry-run.log",
     "verify.log", "status.log", "rollback-s3.log", "recover.log", "build.log", "history.log", "logs.log"]
            .each { n -> assert !new File(basedir, n).text.contains(PASSWORD) : "secret in ${n}" }
} finally {
    try {
        def d = eng.run(["bash", swarmSh, "down", "sancho-swarm-it"])
        assert d.code == 0 : "removing the swarm failed: ${d.err}"
    } finally {
        eng.run(["bash", swarmSh, "unwatch", "sancho-swarm-it"])
        eng.unlock(e)
    }
}
true
