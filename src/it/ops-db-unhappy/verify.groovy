// What an operator does under pressure, and what sancho says. Each step runs Maven as the invoker does.
//  1. docker rename of the running database without the docker stop: deploy refuses to create a second server on the
//     volume (one line naming the holder), nothing created
//  2. a second running container on the data volume: verify fails naming it
//  3. the runbook's emergency `docker run` without --network: verify fails naming the network and the fix; deploy says
//     it in the plan; after the fix it printed, verify passes and the rows are there
//  4. a mistyped external volume on a later deploy: one line, nothing created
//  5. recover onto an empty volume: refused; onto the real one: recovered, rows intact
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
def repo = new File(localRepositoryPath.toString())
def plugin = "dev.sancho:sancho-maven-plugin:${context.get('pluginVersion') ?: '0.1.0-SNAPSHOT'}"
def step = 0
def mvn = { String goal, List args ->
    def log = new File(basedir, "step${++step}-${goal}.log")
    def p = lib.startMaven(basedir, repo, log, ["${plugin}:${goal}"] + args)
    assert p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS) : "mvn ${goal} ${args} did not end"
    [rc: p.exitValue(), log: log.text]
}
def errorLine = { String log -> log.readLines().find { it.startsWith("[ERROR] Failed to execute goal") } ?: "" }
def PW = "sanchodu-pw-40c2"
def runDb = { List extra ->
    lib.dockerOk((["run", "-d", "--name", "sanchodu_db", "-e", "POSTGRES_DB=shop", "-e", "POSTGRES_USER=shop",
                   "-e", "POSTGRES_PASSWORD=" + PW, "-v", "sanchodu_pgdata:/var/lib/postgresql/data"] + extra
            + ["sancho-it/postgres:15"]) as String[])
    assert lib.within(60) { lib.docker("exec", "sanchodu_db", "pg_isready", "-U", "shop", "-d", "shop").code == 0 }
}
try {
    assert new File(basedir, "build.log").text.contains("Deployed d1: started sanchodu_backend_d1")
    lib.psql("sanchodu_db", "shop", "shop", "CREATE TABLE t (i int); INSERT INTO t SELECT generate_series(1, 10)")
    def dbId = lib.container("sanchodu_db").id

    // 1. renamed, still running: no second PostgreSQL on the same files
    lib.dockerOk("rename", "sanchodu_db", "sanchodu_db_old")
    def r = mvn("deploy", ["-Dsancho.deployId=d2"])
    assert r.rc != 0
    def line = "refusing to create or start sanchodu_db: its data volume sanchodu_pgdata is mounted by the running" +
            " container sanchodu_db_old, and two servers on one data volume corrupt it. Stop that one first" +
            " (docker stop sanchodu_db_old), then run this again"
    assert errorLine(r.log).contains(line) : errorLine(r.log)
    assert lib.container("sanchodu_db") == null && lib.container("sanchodu_backend_d2") == null
    assert r.log.readLines().every { !it.startsWith("\tat ") && !it.contains("Caused by:") } : "a stack trace"
    lib.dockerOk("rename", "sanchodu_db_old", "sanchodu_db")
    assert lib.psql("sanchodu_db", "shop", "shop", "SELECT count(*) FROM t") == "10"

    // 2. another running container writing on the data volume
    lib.dockerOk("run", "-d", "--name", "sanchodu_intruder", "-v", "sanchodu_pgdata:/data", "sancho-it/app:1")
    r = mvn("verify", [])
    assert r.rc != 0
    assert r.log =~ /✘\s+server\s+sanchodu_pgdata\s+also mounted by the running container sanchodu_intruder beside sanchodu_db: two servers on one data volume corrupt it\. Stop it: docker stop sanchodu_intruder/
    lib.removeContainers(["sanchodu_intruder"])

    // 3. the runbook's emergency recreation, without --network: db no longer resolves from the app
    lib.dockerOk("stop", "sanchodu_db")
    lib.dockerOk("rm", "sanchodu_db")
    runDb([])
    r = mvn("verify", [])
    assert r.rc != 0
    def fix = "docker network connect --alias db sanchodu_default sanchodu_db"
    assert r.log =~ /✘\s+network\s+sanchodu_db\s+not attached to network sanchodu_default, so the other services cannot reach it as db \(recreated by hand without --network\?\): docker network connect --alias db sanchodu_default sanchodu_db/
    r = mvn("deploy", ["-Dsancho.deployId=d3"])
    assert r.log.contains("infra    sanchodu_db: NOT reachable as db (not attached to network sanchodu_default): the app" +
            " cannot resolve it. Fix: " + fix)
    assert r.rc != 0 && errorLine(r.log).contains("deploy d3 is live, but verify failed") : errorLine(r.log)
    lib.dockerOk(fix.split(" ").drop(1) as String[])
    r = mvn("verify", [])
    assert r.rc == 0 : r.log
    assert r.log =~ /✔\s+dns\s+db on sanchodu_default\s+resolves to sanchodu_db \(/
    assert r.log =~ /✔\s+dns\s+backend on sanchodu_default\s+resolves to sanchodu_backend_d3 \(/
    assert lib.psql("sanchodu_db", "shop", "shop", "SELECT count(*) FROM t") == "10"

    // 4. a typo in the external volume's name on a later deploy
    r = mvn("deploy", ["-Dsancho.deployId=d4", "-Dpg.volume=sanchodu_pgdta"])
    assert r.rc != 0
    def typo = errorLine(r.log)
    assert typo.contains("volume sanchodu_pgdta (docker-compose.yml volumes.pgdata, external) does not exist, and" +
            " project sanchodu has been deployed on this engine before") && typo.contains("Nothing was changed.") : typo
    assert lib.docker("volume", "inspect", "sanchodu_pgdta").code != 0 : "the mistyped volume was created"
    assert lib.container("sanchodu_backend_d4") == null

    // 5. recover onto an empty volume is refused; onto the real one it recovers the data
    lib.dockerOk("stop", "sanchodu_db")
    lib.dockerOk("rm", "sanchodu_db")
    lib.dockerOk("volume", "create", "sanchodu_empty")
    r = mvn("recover", ["-Dpg.volume=sanchodu_empty"])
    assert r.rc != 0
    assert errorLine(r.log).contains("refusing to recreate sanchodu_db on volume sanchodu_empty: it holds no data" +
            " (0 bytes), so the database would start EMPTY") : errorLine(r.log)
    assert lib.container("sanchodu_db") == null
    r = mvn("recover", [])
    assert r.rc == 0 : r.log
    assert lib.psql("sanchodu_db", "shop", "shop", "SELECT count(*) FROM t") == "10"
    assert lib.container("sanchodu_sanchodu_lock") == null
} finally {
    lib.removeContainers(["sanchodu_db", "sanchodu_db_old", "sanchodu_intruder", "sanchodu_sanchodu_lock"])
    lib.removeProject("sanchodu", ["sanchodu_pgdata", "sanchodu_pgdta", "sanchodu_empty"], ["sanchodu_default"])
    lib.unlockIt("ops-db-unhappy")
}
true
