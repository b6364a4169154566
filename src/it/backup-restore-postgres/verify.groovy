// Backups and restore against real PostgreSQL:
//  1. deploy d2, whose migration job deletes rows: a backup is taken first, proven in a throwaway copy
//  2. sancho:backups lists it (table and JSON), with the deploy that was current (d1); sancho:verify requires it to be
//     younger than sancho.backupMaxAge
//  3. bad input, one line each, nothing changed: an unknown backup id, a dump command that fails, a restore while the
//     database container is not running
//  4. sancho:restore (dry run, then for real): every row back, d1 serving again, d2 stopped and kept
//  4b. sancho:backup -Dsancho.backupCopyTo: local copies whose SHA-256 is the record's, never over an existing file
//  5. nothing of the throwaway copies left; the password in no output
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
def noStackTrace = { String log -> log.readLines().every { !it.startsWith("\tat ") && !it.contains("Caused by:") } }
def count = { lib.psql("sanchobk_db", "shop", "shop", "SELECT count(*) FROM t") }
def scratch = { lib.namesByLabel("sancho.role", "backup-scratch") }
def PW = "sanchobk-pw-7d1e"
def json = { String goal -> new groovy.json.JsonSlurper().parse(new File(basedir, "target/sancho/${goal}.json")) }
def backups = { -> def r = mvn("backups", []); assert r.rc == 0 : r.log; [r.log, json("backups").backups] }
try {
    def first = new File(basedir, "build.log").text
    assert first =~ /Deployed d1: started .*sanchobk_migrate_d1, sanchobk_backend_d1/
    assert first.contains("No backup of db before job migrate of deploy d1: its container sanchobk_db is not running"
            + " before this deploy (nothing to back up yet)")
    assert count() == "1000"
    def dbId = lib.container("sanchobk_db").id

    // 1. the migration of d2 deletes rows; the backup before it is taken and proven first
    def r = mvn("deploy", ["-Dsancho.deployId=d2", "-Dmigration=DELETE FROM t WHERE i > 10"])
    assert r.rc == 0 : r.log
    assert r.log =~ /Backup db-\d{8}-\d{6}-\d{3} of sanchobk_db \(postgres: pg_dump -Fc -U shop -d shop\)/
    assert r.log =~ /Backup db-\S+ of db is proven \(restored into a throwaway copy, check 1 = source\)/
    assert r.log.indexOf("is proven") < r.log.indexOf("Started sanchobk_migrate_d2") : "the job ran before the backup"
    assert count() == "10"
    assert lib.container("sanchobk_backend_d2").state == "running"
    assert lib.container("sanchobk_backend_d1").state == "exited"

    // 2. the listing
    def (listLog, list) = backups()
    assert list.size() == 1
    def b = list[0]
    assert b.service == "db" && b.deployId == "d1" && b.container == "sanchobk_db" && b.kind == "postgres"
    assert b.sha256 ==~ /[0-9a-f]{64}/ && b.size > 1000 && b.check == "1"
    assert b.reason == "before job migrate of deploy d2"
    assert listLog =~ /ID\s+SERVICE\s+DEPLOY\s+TAKEN\s+SIZE\s+SHA-256\s+REASON/
    assert listLog.contains(b.id)

    // 2b. verify can require a proven backup younger than an age: a row per service, in verify.json too
    r = mvn("verify", ["-Dsancho.backupMaxAge=1h"])
    assert r.rc == 0 : r.log
    assert r.log =~ /✔\s+backup\s+db\s+newest proven ${b.id} is [0-9dhms]+ old \(sancho.backupMaxAge=1h\)/
    r = mvn("verify", ["-Dsancho.backupMaxAge=1s"])
    assert r.rc != 0
    assert errorLine(r.log) =~ /backup db: newest proven ${b.id} is [0-9dhms]+ old, older than sancho.backupMaxAge=1s/
    assert json("verify").checks.find { it.kind == "backup" && it.subject == "db" }.ok == false

    // 3a. an unknown backup id: one line, nothing changed
    r = mvn("restore", ["-Dsancho.backup=db-nope"])
    assert r.rc != 0
    assert errorLine(r.log).contains("sancho.backup=db-nope: no proven backup has this id (newest: ${b.id};"
            + " mvn sancho:backups lists them); nothing was changed") : errorLine(r.log)
    assert noStackTrace(r.log)
    assert lib.container("sanchobk_backend_d2").state == "running" && count() == "10"

    // 3b. a dump command that fails: one line, no backup counted
    r = mvn("backup", ["-Dbackup.db=nosuchdb"])
    assert r.rc != 0
    assert errorLine(r.log).contains("backup of db failed: the dump command (pg_dump) in sanchobk_db exited with 1:"
            + " pg_dump: error: connection to server on socket") : errorLine(r.log)
    assert errorLine(r.log).contains("nothing was stored")
    assert noStackTrace(r.log)
    assert backups()[1]*.id == [b.id]

    // 3c. the database container is not running: the restore refuses before it stops anything
    lib.dockerOk("stop", "sanchobk_db")
    r = mvn("restore", [])
    assert r.rc != 0
    assert errorLine(r.log).contains("cannot restore backup ${b.id}: container sanchobk_db of service db is not"
            + " running (mvn sancho:deploy or sancho:recover brings it back); nothing was changed") : errorLine(r.log)
    assert lib.container("sanchobk_backend_d2").state == "running"
    lib.dockerOk("start", "sanchobk_db")
    lib.await(60, "db accepts connections") { lib.docker("exec", "sanchobk_db", "pg_isready", "-U", "shop").code == 0 }

    // 4. the restore: a dry run prints the plan only, then the real one brings rows and d1 back
    r = mvn("restore", ["-Dsancho.dryRun"])
    assert r.rc == 0 : r.log
    assert r.log =~ /stop\s+sanchobk_backend_d2\s+application \(deploy d2\): nothing writes during the restore/
    assert r.log =~ /restore\s+sanchobk_db\s+pg_restore --clean --if-exists --single-transaction -U shop -d shop/
    assert r.log =~ /start\s+deploy d1\s+its kept containers, health-gated/
    assert lib.container("sanchobk_backend_d2").state == "running" && count() == "10"

    r = mvn("restore", [])
    assert r.rc == 0 : r.log
    assert r.log.contains("Restored: sanchobk_db holds backup ${b.id} and deploy d1 serves.")
    assert count() == "1000"
    assert lib.psql("sanchobk_db", "shop", "shop", "SELECT count(*) FROM t WHERE note = md5(i::text)") == "1000"
    assert lib.container("sanchobk_backend_d1").state == "running"
    assert lib.container("sanchobk_backend_d2").state == "exited"
    assert lib.dockerOk("exec", "sanchobk_backend_d1", "wget", "-q", "-O-", "http://127.0.0.1:8080/").contains("deploy=d1")
    assert lib.container("sanchobk_db").id == dbId : "the database container was recreated"
    def restored = json("restore")
    assert restored.outcome == "restored" && restored.backup == b.id && restored.stopped == "d2" && restored.started == "d1"

    // 4b. copies to local files for off-site storage: an existing backup by id, then one taken now; each file's
    //     SHA-256 is the record's, and an existing file is never replaced (refused before anything is taken)
    def sha = { File f -> java.security.MessageDigest.getInstance("SHA-256").digest(f.bytes).encodeHex().toString() }
    r = mvn("backup", ["-Dsancho.backup=${b.id}", "-Dsancho.backupCopyTo=target/offsite/"])
    assert r.rc == 0 : r.log
    def copied = new File(basedir, "target/offsite/${b.id}.dump")
    assert copied.length() == b.size && sha(copied) == b.sha256
    assert json("backup").outcome == "copied" && json("backup").copies.every { it.endsWith("offsite/${b.id}.dump") }
    r = mvn("backup", ["-Dsancho.backupCopyTo=target/offsite/new.dump"])
    assert r.rc == 0 : r.log
    def taken = json("backup").backups[0]
    def newCopy = new File(basedir, "target/offsite/new.dump")
    assert taken.id != b.id && newCopy.length() == taken.size && sha(newCopy) == taken.sha256
    assert new File(basedir, "target/offsite").list().sort() == ["${b.id}.dump", "new.dump"].sort() : "a temp file stayed"
    r = mvn("backup", ["-Dsancho.backupCopyTo=target/offsite/new.dump"])
    assert r.rc != 0 && !r.log.contains("Backup db-")
    assert errorLine(r.log).contains("new.dump already exists and a copy never replaces a file") : errorLine(r.log)
    assert sha(newCopy) == taken.sha256

    // 5. nothing left behind; the backups volume stays; no password anywhere
    assert scratch().isEmpty() : "scratch containers left: ${scratch()}"
    assert lib.docker("volume", "inspect", "sanchobk_backups").code == 0
    basedir.eachFileMatch(~/.*\.log/) { f -> assert !f.text.contains(PW) : "the password is in ${f.name}" }
    new File(basedir, "target/sancho").eachFile { f -> assert !f.text.contains(PW) : "the password is in ${f.name}" }
} finally {
    lib.removeContainers(["sanchobk_db", "sanchobk_sancho_lock"])
    lib.removeProject("sanchobk", ["sanchobk_pgdata", "sanchobk_backups"], ["sanchobk_default"])
    lib.unlockIt("backup-restore-postgres")
}
true
