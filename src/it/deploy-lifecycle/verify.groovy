def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/deploy-lib/DeployIt.groovy"))
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
    assert lib.container("sanchodep_life_sancho_lock") == null
} finally {
    lib.removeContainers(["sanchodep_life_db", "sanchodep_life_sancho_lock"])
    lib.removeProject("sanchodep_life", [], ["sanchodep_life_default"])
}
true
