// Storage full: a backup that does not fit in the backups volume (a 64 KiB tmpfs) fails in one line saying so,
// counts nothing, leaves no partial file in the volume and changes nothing else; sancho:backups lists nothing and
// sancho:verify -Dsancho.backupMaxAge reports "none".
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
def json = { String goal -> new groovy.json.JsonSlurper().parse(new File(basedir, "target/sancho/${goal}.json")) }
def volumeFiles = { ->
    lib.dockerOk("run", "--rm", "--entrypoint", "find", "-v", "sanchofull_backups:/b", "sancho-it/postgres:15", "/b",
            "-type", "f")
}
try {
    assert new File(basedir, "build.log").text.contains("BUILD SUCCESS")
    // about 330 KB of random hex: its pg_dump -Fc is several times 64 KiB
    lib.psql("sanchofull_db", "shop", "shop", "CREATE TABLE t AS SELECT g, md5(random()::text) || md5(random()::text)"
            + " AS note FROM generate_series(1, 5000) g")
    def db = lib.container("sanchofull_db")

    def r = mvn("backup", [])
    assert r.rc != 0
    assert errorLine(r.log).contains("backup of db failed: the backup storage, volume sanchofull_backups, is full"
            + " (no space left on device): nothing was counted, the partial file was removed") : errorLine(r.log)
    assert r.log.readLines().every { !it.startsWith("\tat ") && !it.contains("Caused by:") }
    assert volumeFiles() == "" : "left in the volume: ${volumeFiles()}"
    assert json("backup").outcome == "failed" && json("backup").backups == []

    // nothing counted: no backup listed, verify's backup row says none
    r = mvn("backups", [])
    assert r.rc == 0 : r.log
    assert r.log.contains("Project sanchofull has no proven backup") && json("backups").backups == []
    r = mvn("verify", ["-Dsancho.backupMaxAge=1h"])
    assert r.rc != 0
    assert errorLine(r.log).contains("backup db: none: no proven backup (sancho.backupMaxAge=1h)") : errorLine(r.log)

    // nothing else changed: the same database container, running, every row; no throwaway copy left
    assert lib.container("sanchofull_db").id == db.id && lib.container("sanchofull_db").state == "running"
    assert lib.psql("sanchofull_db", "shop", "shop", "SELECT count(*) FROM t") == "5000"
    assert lib.namesByLabel("sancho.role", "backup-scratch").isEmpty()
    assert lib.docker("exec", "sanchofull_db", "sh", "-c", "ls /tmp/sancho-backup-*").code != 0 : "the dump stayed in /tmp"
} finally {
    lib.removeContainers(["sanchofull_db", "sanchofull_sancho_lock"])
    lib.removeProject("sanchofull", ["sanchofull_pgdata", "sanchofull_backups"], ["sanchofull_default"])
    lib.unlockIt("backup-storage-full")
}
true
