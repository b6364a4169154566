// sancho:upgrade on real PostgreSQL, rows written first; the database containers are watched every 100 ms
// throughout: never two running.
//  1. dry run: the plan, nothing changed
//  2. upgrade to the patched image: a new container under the fixed name on the same volume, every row; the previous
//     one kept stopped as sanchoup_db_pre_<id> with restart policy no
//  3. -Dsancho.revert: the previous container (same id) serves again, every row; the upgraded one kept
//  4. upgrade to an image that never becomes healthy: undone, the previous container (same id) serves, every row
//  5. upgrade again, then -Dsancho.confirm: the kept container is removed, the volume stays
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
def PATCHED = "sancho-it-upgrade/postgres:patched"
def NEVER = "sancho-it-upgrade/postgres:never-healthy"
def rows = { lib.psql("sanchoup_db", "shop", "shop", "SELECT count(*) FROM t") }
def inspect = { String name -> new groovy.json.JsonSlurper().parseText(lib.dockerOk("inspect", name))[0] }
def dbContainers = {
    def out = lib.dockerOk("ps", "-a", "--filter", "label=sancho.project=sanchoup", "--filter",
            "label=sancho.service=db", "--format", "{{.Names}} {{.State}}")
    out.isEmpty() ? [] : out.readLines()*.trim()
}
def result = { new groovy.json.JsonSlurper().parse(new File(basedir, "target/sancho/upgrade.json")) }

// the watcher: the most database containers seen running at once
def most = new java.util.concurrent.atomic.AtomicInteger(0)
def seen = new java.util.concurrent.ConcurrentLinkedQueue()
def watching = new java.util.concurrent.atomic.AtomicBoolean(true)
def watcher = Thread.start {
    while (watching.get()) {
        def running = lib.docker("ps", "--filter", "label=sancho.project=sanchoup", "--filter",
                "label=sancho.service=db", "--format", "{{.Names}} {{.Label \"sancho.role\"}}").out.readLines()
                .findAll { it.trim() && !it.endsWith(" backup-scratch") } // a backup's throwaway copy is on tmpfs
                .collect { it.split(" ")[0] }
        if (running.size() > most.get()) {
            most.set(running.size())
            seen.add(running)
        }
        Thread.sleep(100)
    }
}
try {
    assert new File(basedir, "build.log").text.contains("Deployed d1: started sanchoup_backend_d1")
    lib.psql("sanchoup_db", "shop", "shop", "CREATE TABLE t (i int); INSERT INTO t SELECT generate_series(1, 1000)")
    def old = inspect("sanchoup_db")
    def aside = "sanchoup_db_pre_" + old.Id.substring(0, 12)

    // 1. dry run
    def r = mvn("upgrade", ["-Dsancho.dryRun", "-Ddb.image=" + PATCHED])
    assert r.rc == 0 : r.log
    assert r.log.contains("rename   sanchoup_db -> ${aside} (leaves the fixed name; kept, same id and data)")
    assert r.log.contains("create   sanchoup_db image ${PATCHED} (supersedes ${aside}), volumes [sanchoup_pgdata]")
    assert r.log.contains("[dry-run] nothing was changed")
    assert inspect("sanchoup_db").Id == old.Id && dbContainers() == ["sanchoup_db running"]

    // 2. the upgrade
    r = mvn("upgrade", ["-Ddb.image=" + PATCHED])
    assert r.rc == 0 : r.log
    // x-sancho-backup: a proven backup is taken while the old container still runs, before it stops
    def backupAt = r.log.indexOf("Backup db-")
    assert backupAt >= 0 && backupAt < r.log.indexOf("(restart policy no)") : r.log
    def upgraded = inspect("sanchoup_db")
    assert upgraded.Id != old.Id && upgraded.Config.Image == PATCHED && upgraded.State.Health.Status == "healthy"
    assert upgraded.Config.Labels["sancho.supersedes"] == old.Id
    assert upgraded.Mounts.find { it.Destination == "/var/lib/postgresql/data" }.Name == "sanchoup_pgdata"
    assert upgraded.NetworkSettings.Networks.sanchoup_default.Aliases.contains("db")
    assert rows() == "1000"
    def kept = inspect(aside)
    assert kept.Id == old.Id && kept.State.Status == "exited" && kept.HostConfig.RestartPolicy.Name == "no"
    assert result().services[0].outcome == "upgraded" && result().services[0].id == upgraded.Id

    // 3. revert
    r = mvn("upgrade", ["-Dsancho.revert", "-Ddb.image=" + PATCHED])
    assert r.rc == 0 : r.log
    def reverted = inspect("sanchoup_db")
    assert reverted.Id == old.Id && reverted.State.Status == "running" && reverted.Config.Image == "sancho-it/postgres:15"
    assert reverted.HostConfig.RestartPolicy.Name == "unless-stopped"
    assert rows() == "1000"
    def upgradedAside = "sanchoup_db_pre_" + upgraded.Id.substring(0, 12)
    assert inspect(upgradedAside).State.Status == "exited"
    assert result().services[0].outcome == "reverted"

    // 4. an image that never becomes healthy: undone, the same container serves again
    r = mvn("upgrade", ["-Ddb.image=" + NEVER])
    assert r.rc != 0
    def failed = errorLine(r.log)
    assert failed.contains("upgrade of sanchoup_db failed and was undone: sanchoup_db is the previous container again"
            + " (id ${old.Id.substring(0, 12)}, image sancho-it/postgres:15), running and ready on its data. What"
            + " failed: sanchoup_db: its healthcheck reports unhealthy") : failed
    assert r.log.readLines().every { !it.startsWith("\tat ") && !it.contains("Caused by:") } : "a stack trace"
    assert !r.log.contains("sanchoup-pw-71e3")
    def back = inspect("sanchoup_db")
    assert back.Id == old.Id && back.State.Status == "running" && back.State.Health.Status == "healthy"
    assert back.HostConfig.RestartPolicy.Name == "unless-stopped"
    assert rows() == "1000"
    assert dbContainers() == ["sanchoup_db running"] : "the failed container is removed; " + dbContainers()
    assert result().outcome == "failed"

    // 5. upgrade, confirm
    r = mvn("upgrade", ["-Ddb.image=" + PATCHED])
    assert r.rc == 0 : r.log
    r = mvn("upgrade", ["-Dsancho.confirm", "-Ddb.image=" + PATCHED])
    assert r.rc == 0 : r.log
    assert r.log.contains("remove   ${aside} (kept for a revert of sanchoup_db; confirmed)")
    assert dbContainers() == ["sanchoup_db running"] : dbContainers()
    assert inspect("sanchoup_db").Config.Image == PATCHED && rows() == "1000"
    assert lib.docker("volume", "inspect", "sanchoup_pgdata").code == 0
    assert lib.container("sanchoup_sanchoup_lock") == null

    watching.set(false)
    watcher.join()
    assert most.get() == 1 : "two database containers ran at once: " + seen
} finally {
    watching.set(false)
    lib.removeContainers(["sanchoup_sanchoup_lock"])
    lib.removeProject("sanchoup", ["sanchoup_pgdata", "sanchoup_backups"], ["sanchoup_default"])
    lib.docker("rmi", "sancho-it-upgrade/postgres:patched", "sancho-it-upgrade/postgres:never-healthy")
    lib.unlockIt("ops-upgrade")
}
true
