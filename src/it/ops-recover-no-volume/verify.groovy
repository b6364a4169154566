def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

try {
    def log = lib.buildLog()
    def error = log.readLines().findAll { it.startsWith("[ERROR] Failed to execute goal") }
    assert error.size() == 1 : log
    assert error[0].contains(": refusing to recreate sanchoops_rn_db: its data volume sanchoops_rn_pgdata does not exist, so it would start EMPTY (a fresh database). Restore the volume from backup, or rerun with -Dsancho.allowEmptyVolume if an empty one is really what you want. Nothing was changed.") : error[0]
    lib.assertNoStackTrace(log)
    assert lib.docker("container", "inspect", "sanchoops_rn_db").code != 0 : "no container may be created"
    assert lib.docker("volume", "inspect", "sanchoops_rn_pgdata").code != 0 : "no volume may be created"
} finally {
    lib.cleanup(["sanchoops_rn_db"], ["sanchoops_rn_pgdata"])
}
true
