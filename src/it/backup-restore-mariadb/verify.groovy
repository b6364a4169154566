// Backups and restore against real MariaDB (sancho-it/mariadb:10.11, Debian's packages):
//  1. rows written into both servers; sancho:backup proves each backup in a throwaway copy: db by the mariadb preset,
//     legacy by the generic {dump, restore, check} pair
//  2. bad input: a generic dump command that fails -> one line, nothing stored, no backup counted
//  3. rows deleted in both; sancho:restore of each backup (the default, newest, first) brings every row back, the
//     database containers not recreated
//  4. nothing of the throwaway copies left (no container, no volume); the password in no output
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
// the root password stays in the container: the shell reads it from the environment the entrypoint was given
def sql = { String container, String db, String query ->
    def r = lib.docker("exec", container, "sh", "-c",
            'MYSQL_PWD="${MARIADB_ROOT_PASSWORD:-$MYSQL_ROOT_PASSWORD}" exec mysql -uroot -N -B -D "$1" -e "$2"', "sh",
            db, query)
    assert r.code == 0 : "mysql in ${container} failed: ${r.err}"
    r.out
}
def PW = "sanchomb-pw'7 d\"1e"
def json = { String goal -> new groovy.json.JsonSlurper().parse(new File(basedir, "target/sancho/${goal}.json")) }
def volumes = { lib.dockerOk("volume", "ls", "-q").readLines()*.trim() as Set }
def scratch = { lib.namesByLabel("sancho.role", "backup-scratch") }
// db's database is named shop$eu: a $ the preset's shell commands must pass on, not expand
def SHOP = 'shop$eu'
def shopRows = { sql("sanchomb_db", SHOP, "SELECT COUNT(*), SUM(note = MD5(i)) FROM t") }
def stockRows = { sql("sanchomb_legacy", "stock", "SELECT COUNT(*), SUM(qty) FROM items") }
try {
    def first = new File(basedir, "build.log").text
    assert first =~ /Deployed d1: started .*sanchomb_backend_d1/
    def dbId = lib.container("sanchomb_db").id
    def legacyId = lib.container("sanchomb_legacy").id

    // 1. rows in both servers, then a backup of each, proven in a throwaway copy
    sql("sanchomb_db", SHOP, "CREATE TABLE t (i INT PRIMARY KEY, note CHAR(32)); CREATE TABLE audit (at DATETIME);"
            + " INSERT INTO t SELECT seq, MD5(seq) FROM seq_1_to_1000")
    sql("sanchomb_legacy", "stock", "CREATE TABLE items (id INT PRIMARY KEY, qty INT);"
            + " INSERT INTO items SELECT seq, seq FROM seq_1_to_500")
    assert shopRows() == "1000\t1000" && stockRows() == "500\t125250"
    def before = volumes()

    def r = mvn("backup", [])
    assert r.rc == 0 : r.log
    assert r.log =~ /Backup db-\d{8}-\d{6}-\d{3} of sanchomb_db \(mariadb: sh -c .*mariadb-dump \|\| echo mysqldump\)" -uroot/
    assert r.log.contains('--single-transaction --routines --triggers --events --databases "$1" sh shop$eu)')
    assert r.log =~ /Backup db-\S+ of db is proven \(restored into a throwaway copy, check 2 = source\)/
    assert r.log =~ /Backup legacy-\d{8}-\d{6}-\d{3} of sanchomb_legacy \(custom: sh -c /
    assert r.log =~ /Backup legacy-\S+ of legacy is proven \(restored into a throwaway copy, check 500\s+125250 = source\)/
    def taken = json("backup")
    assert taken.outcome == "proven"
    def dbBackup = taken.backups.find { it.service == "db" }
    def legacyBackup = taken.backups.find { it.service == "legacy" }
    assert dbBackup.kind == "mariadb" && dbBackup.check == "2" && dbBackup.deployId == "d1"
    assert legacyBackup.kind == "custom" && legacyBackup.check ==~ /500\s+125250/
    [dbBackup, legacyBackup].each { b -> assert b.sha256 ==~ /[0-9a-f]{64}/ && b.size > 1000 }
    assert scratch().isEmpty() : "scratch containers left: ${scratch()}"
    assert volumes() - before == ["sanchomb_backups"] as Set : "volumes left: ${volumes() - before}"

    // 2. a generic dump command that fails: one line, nothing stored, no backup counted
    r = mvn("backup", ["-Dsancho.services=legacy", "-Dlegacy.db=nosuchdb"])
    assert r.rc != 0
    assert errorLine(r.log).contains("backup of legacy failed: the dump command (sh) in sanchomb_legacy exited with 2:"
            + " mysqldump: Got error: 1049: \"Unknown database 'nosuchdb'\"") : errorLine(r.log)
    assert errorLine(r.log).contains("nothing was stored")
    assert noStackTrace(r.log)
    assert json("backup").outcome == "failed"

    // 3. rows deleted in both, then each backup restored: every row back. The first restore takes the default, the
    //    newest proven backup: legacy's good one, so the failed dump above was not counted (and sancho:backups, one
    //    more Maven run, is left to the postgres IT)
    sql("sanchomb_db", SHOP, "DELETE FROM t WHERE i > 10; DROP TABLE audit")
    sql("sanchomb_legacy", "stock", "DELETE FROM items WHERE id > 5")
    assert shopRows() == "10\t10" && stockRows() == "5\t15"

    r = mvn("restore", [])
    assert r.rc == 0 : r.log
    assert r.log.contains("Restored: sanchomb_legacy holds backup ${legacyBackup.id} and deploy d1 serves.")
    assert stockRows() == "500\t125250"
    assert json("restore").backup == legacyBackup.id
    assert shopRows() == "10\t10" : "restoring legacy touched db"

    r = mvn("restore", ["-Dsancho.backup=${dbBackup.id}"])
    assert r.rc == 0 : r.log
    assert r.log.contains("Restored: sanchomb_db holds backup ${dbBackup.id} and deploy d1 serves.")
    assert shopRows() == "1000\t1000"
    def tables = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
    assert sql("sanchomb_db", SHOP, tables) == "2" : "the table dropped after the backup is not back"
    def restored = json("restore")
    assert restored.outcome == "restored" && restored.backup == dbBackup.id && restored.started == "d1"
    assert stockRows() == "500\t125250" : "restoring db touched legacy"

    assert lib.container("sanchomb_db").id == dbId : "the database container was recreated"
    assert lib.container("sanchomb_legacy").id == legacyId : "the database container was recreated"
    assert lib.container("sanchomb_backend_d1").state == "running"

    // 4. nothing left behind but the backups volume; no password anywhere
    assert scratch().isEmpty() : "scratch containers left: ${scratch()}"
    assert volumes() - before == ["sanchomb_backups"] as Set : "volumes left: ${volumes() - before}"
    basedir.eachFileMatch(~/.*\.log/) { f -> assert !f.text.contains(PW) : "the password is in ${f.name}" }
    new File(basedir, "target/sancho").eachFile { f -> assert !f.text.contains(PW) : "the password is in ${f.name}" }
} finally {
    lib.removeContainers(["sanchomb_db", "sanchomb_legacy", "sanchomb_sancho_lock"])
    lib.removeProject("sanchomb", ["sanchomb_dbdata", "sanchomb_legacydata", "sanchomb_backups"], ["sanchomb_default"])
    lib.unlockIt("backup-restore-mariadb")
}
true
