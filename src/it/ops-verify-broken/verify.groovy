def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

try {
    def log = lib.buildLog()
    assert log.contains("BUILD FAILURE")
    def rows = log.readLines().findAll { it =~ /^\[INFO\]\s+[✔✘] / }
    def failed = rows.findAll { it.contains("✘") }
    // traefik was recreated by hand without the project's network: verify names that too (issue 21, item 3)
    assert failed.size() == 3 : rows.join("\n")
    assert failed.any { it =~ /✘\s+infra\s+sanchoops_vb_db\s+not running: exited \(exit code \d+\) — docker logs sanchoops_vb_db, then docker start sanchoops_vb_db/ } : failed.join("\n")
    def acmePath = new File(basedir, "letsencrypt/acme.json").canonicalPath
    assert failed.any { it =~ /✘\s+file\s+\.\/letsencrypt\/acme\.json\s+mode 644, must be 600/ && it.endsWith("chmod 600 " + acmePath) } : failed.join("\n")
    assert failed.any { it =~ /✘\s+network\s+sanchoops_vb_traefik\s+not attached to network sanchoops_default/ && it.endsWith("docker network connect --alias traefik sanchoops_default sanchoops_vb_traefik") } : failed.join("\n")
    assert rows.any { it =~ /✔\s+mount\s+sanchoops_vb_db:\/var\/lib\/postgresql\/data\s+volume sanchoops_vb_pgdata/ } : "a stopped container still shows its mounts"
    def error = log.readLines().findAll { it.startsWith("[ERROR] Failed to execute goal") }
    assert error.size() == 1
    assert error[0].contains("verify failed: 3 of ") && error[0].contains("infra sanchoops_vb_db: not running: exited")
    assert error[0].contains("file ./letsencrypt/acme.json: mode 644, must be 600")
    lib.assertNoStackTrace(log)
    assert lib.state("sanchoops_vb_db") == "exited" : "verify never starts anything"
} finally {
    lib.cleanup(["sanchoops_vb_db", "sanchoops_vb_traefik"], ["sanchoops_vb_pgdata"])
}
true
