def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
try {
    def log = new File(basedir, "build.log").text
    assert log.contains("Released the deploy lock of project sanchodep_life, held by ana@ci-runner-7 pid 4242 since ")
    // lifecycle order, twice
    def order = log.readLines().findAll { it.contains("--- sancho:") }.collect { it.replaceAll(/.*--- sancho:[^:]*:([a-z-]+) \(([^)]*)\).*/, '$1') }
    assert order == ["unlock", "pre-deploy-cleanup", "ensure-volume", "deploy", "pre-deploy-cleanup", "ensure-volume", "deploy"] : order
    assert log.contains("Deployed l1: started sanchodep_life_backend_l1")
    assert log.contains("Deployed l2: started sanchodep_life_backend_l2; stopped sanchodep_life_backend_l1")
    // deployOnly: the deploy goal did not run cleanup/ensure-volume again (one summary per build, from the bound goal)
    assert log.findAll(/pre-deploy-cleanup: removed \d+ container/).size() == 2
    // the hand-made database: adopted with a note, same container, still without labels
    assert log.contains("infra    sanchodep_life_db: adopt, untouched (state running; not created by sancho (no sanchodep_life labels): never modified)")
    def db = lib.container("sanchodep_life_db")
    assert db.id == new File(basedir, "db-id.txt").text.trim() && db.state == "running"
    assert !db.labels.containsKey("sancho.project")
    assert lib.container("sanchodep_life_backend_l2").state == "running"
    // build: is built by every deploy, before anything changes, and the deploy runs its own per-deploy tag
    assert log.contains("Building backend from ")
    assert lib.dockerOk("inspect", "--format", "{{.Config.Image}}", "sanchodep_life_backend_l2") == "sanchodep_life/backend:l2"
    assert lib.dockerOk("inspect", "--format", "{{.Config.Image}}", "sanchodep_life_backend_l1") == "sanchodep_life/backend:l1"
    assert lib.container("sanchodep_life_sancho_lock") == null
} finally {
    lib.removeContainers(["sanchodep_life_db", "sanchodep_life_sancho_lock"])
    lib.removeProject("sanchodep_life", [], ["sanchodep_life_default"])
    ["sanchodep_life/backend:l1", "sanchodep_life/backend:l2"].each { t ->
        if (lib.docker("image", "inspect", t).code == 0) lib.dockerOk("image", "rm", t)
    }
    lib.unlockIt("deploy-lifecycle")
}
true
