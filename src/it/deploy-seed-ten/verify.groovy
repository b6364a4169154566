// Runbook proof: 10 deploys, the database container and its data survive, at most `keep` old deploys remain,
// decoys survive every deploy and the cleanup, a dry run changes nothing, no secret in any build.log.
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
def SECRET = "sanchodep-Db-s3cret-7f3a"
def decoys = ["sancho_db_v2_old", "xsancho_db_v2", "sancho_backend_manual", "sanchodep_other_backend_old",
              "sanchodep_other_backend_run"]
try {
    def log = new File(basedir, "build.log").text
    (1..10).each { i ->
        def id = String.format("d%02d", i)
        assert log.contains("Deployed ${id}: started sancho_backend_${id}, sancho_frontend_${id}") : "deploy ${id}"
    }
    // first deploy created the infrastructure, later ones adopted it untouched
    assert log.contains("Created sancho_db_v2 (infrastructure)")
    assert log.count("Created sancho_db_v2 (infrastructure)") == 1
    assert log.contains("infra    sancho_db_v2: adopt, untouched (running, configuration unchanged)")

    // DB container: the row written after deploy 1 is there, written by the container that still runs
    def db = lib.container("sancho_db_v2")
    assert db != null && db.state == "running"
    assert db.labels["sancho.role"] == "infra"
    def row = lib.psql("sancho_db_v2", "maestro", "maestro_inventario", "SELECT note || '|' || written_by FROM runbook")
    def (note, writtenBy) = row.split(/\|/) as List
    assert note == "written after deploy 1"
    assert db.id.startsWith(writtenBy) : "db container ${db.id} is not the one that wrote the row (${writtenBy})"
    assert lib.container("sancho_traefik_persistent").state == "running"
    assert new File(basedir, "letsencrypt").isDirectory()

    // current deploy d10 answers through the proxy; d09 and d08 are kept stopped; older ones are gone
    lib.awaitBody(28480, "version=2 deploy=d10")
    ["backend", "frontend"].each { svc ->
        assert lib.container("sancho_${svc}_d10").state == "running"
        ["d09", "d08"].each { d -> assert lib.container("sancho_${svc}_${d}").state == "exited" : "${svc} ${d}" }
        (1..7).each { i -> assert lib.container(String.format("sancho_%s_d%02d", svc, i)) == null : "${svc} d0${i}" }
    }
    def apps = lib.namesByLabel("sancho.project", "sancho").findAll { it.startsWith("sancho_backend_") || it.startsWith("sancho_frontend_") }
    assert apps.sort() == ["sancho_backend_d08", "sancho_backend_d09", "sancho_backend_d10", "sancho_frontend_d08",
                           "sancho_frontend_d09", "sancho_frontend_d10"]
    assert lib.container("sancho_sancho_lock") == null : "the deploy lock was not released"

    // dry run: printed the plan, changed nothing
    assert log.contains("Plan for project sancho, deploy d11:")
    assert log.contains("[dry-run] nothing was changed")
    assert lib.container("sancho_backend_d11") == null && lib.container("sancho_frontend_d11") == null

    // cleanup with keep=2: nothing to remove, decoys untouched
    assert log.contains("pre-deploy-cleanup: removed 0 containers; current deploy d10; kept deploys d09, d08")

    // decoys: same containers (same ids) as before the first deploy
    def before = new File(basedir, "decoys.txt").readLines().collectEntries { l -> def (n, id) = l.split("=") as List; [(n): id] }
    decoys.each { n -> assert lib.container(n)?.id == before[n] : "decoy ${n} was touched" }

    // secrets: never in any output, -X (invocation 11) included
    assert log.contains("[DEBUG]") : "invocation 11 should have run with -X"
    assert !log.contains(SECRET) : "the DB password appears in build.log"
} finally {
    lib.removeContainers(["sancho_db_v2", "sancho_traefik_persistent", "sancho_sancho_lock"] + decoys)
    lib.removeProject("sancho", ["sancho_postgres_data"], ["sancho_default"])
    lib.removeProject("sanchodep_other", [], [])
    lib.unlockIt("deploy-seed-ten")
}
true
