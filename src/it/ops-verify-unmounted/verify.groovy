def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

try {
    def log = lib.buildLog()
    assert log.contains("BUILD FAILURE")
    def failed = log.readLines().findAll { it =~ /^\[INFO\]\s+✘ / }
    assert failed.size() == 1 : log
    assert failed[0] =~ /✘\s+mount\s+sanchoops_vu_db:\/var\/lib\/postgresql\/data\s+has an anonymous volume [0-9a-f]{12} there, not volume sanchoops_vu_pgdata — the data is NOT in sanchoops_vu_pgdata/ : failed[0]
    assert log.readLines().any { it =~ /✔\s+infra\s+sanchoops_vu_db\s+running, healthy/ }
    assert log.contains("[ERROR] Failed to execute goal") && log.contains("verify failed: 1 of ")
    lib.assertNoStackTrace(log)
} finally {
    lib.cleanup(["sanchoops_vu_db"], ["sanchoops_vu_pgdata"])
}
true
