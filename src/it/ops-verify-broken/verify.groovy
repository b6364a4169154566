def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

try {
    def log = lib.buildLog()
    assert log.contains("BUILD FAILURE")
    def rows = log.readLines().findAll { it =~ /^\[INFO\]\s+[✔✘] / }
    def failed = rows.findAll { it.contains("✘") }
    assert failed.size() == 2 : rows.join("\n")
    assert failed.any { it =~ /✘\s+infra\s+sanchoops_vb_db\s+not running: exited \(exit code \d+\) — docker logs sanchoops_vb_db, then docker start sanchoops_vb_db/ } : failed.join("\n")
    def acmePath = new File(basedir, "letsencrypt/acme.json").canonicalPath
    assert failed.any { it =~ /✘\s+file\s+\.\/letsencrypt\/acme\.json\s+mode 644, must be 600/ && it.endsWith("chmod 600 " + acmePath) } : failed.join("\n")
    assert rows.any { it =~ /✔\s+mount\s+sanchoops_vb_db:\/var\/lib\/postgresql\/data\s+volume sanchoops_vb_pgdata/ } : "a stopped container still shows its mounts"
    def error = log.readLines().findAll { it.startsWith("[ERROR] Failed to execute goal") }
    assert error.size() == 1
    assert error[0].contains("verify failed: 2 of ") && error[0].contains("infra sanchoops_vb_db: not running: exited")
    assert error[0].contains("file ./letsencrypt/acme.json: mode 644, must be 600")
    lib.assertNoStackTrace(log)
    assert lib.state("sanchoops_vb_db") == "exited" : "verify never starts anything"
} finally {
    lib.cleanup(["sanchoops_vb_db", "sanchoops_vb_traefik"], ["sanchoops_vb_pgdata"])
}
true
