def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

try {
    def log = lib.buildLog()
    assert log.contains("BUILD SUCCESS")
    def rows = log.readLines().findAll { it =~ /^\[INFO\]\s+[✔✘] / }
    [
        ~/✔\s+infra\s+sanchoops_vh_db\s+running, healthy/,
        ~/✔\s+infra\s+sanchoops_vh_traefik\s+running \(no healthcheck\)/,
        ~/✔\s+volume\s+sanchoops_vh_pgdata\s+exists \(external\)/,
        ~/✔\s+mount\s+sanchoops_vh_db:\/var\/lib\/postgresql\/data\s+volume sanchoops_vh_pgdata/,
        ~/✔\s+bind\s+\.\/letsencrypt\s+exists \(directory\)/,
        ~/✔\s+file\s+\.\/letsencrypt\/acme\.json\s+mode 600/,
        ~/✔\s+mount\s+sanchoops_vh_traefik:\/letsencrypt\s+bind \.\/letsencrypt/,
        ~/✔\s+deploy\s+d1\s+current, deployed 2026-01-01T00:00:00Z/,
        ~/✔\s+app\s+sanchoops_vh_backend_d1\s+running, healthy/,
        ~/✔\s+dns\s+db on sanchoops_default\s+resolves to sanchoops_vh_db \([0-9.]+\), its infrastructure container/,
        ~/✔\s+dns\s+traefik on sanchoops_default\s+resolves to sanchoops_vh_traefik \([0-9.]+\), its infrastructure container/,
        ~/✔\s+dns\s+backend on sanchoops_default\s+resolves to sanchoops_vh_backend_d1 \([0-9.]+\), deploy d1/,
        ~/✔\s+probe\s+db: pg_isready -U maestro -d maestro_inventario\s+exit 0: \/var\/run\/postgresql:5432 - accepting connections/,
        ~/✔\s+probe\s+row count\s+exit 0: 1/,
        ~/✔\s+probe\s+GET 127\.0\.0\.1:18471\/health\s+HTTP 200/,
    ].each { re -> assert rows.any { it =~ re } : "no row matching ${re} in:\n" + rows.join("\n") }
    assert rows.size() == 15 : rows.join("\n")
    assert log.contains("All 15 checks passed.")
    assert !log.contains("it-only-password")
    // target/sancho/verify.json (issue 24): the same 15 checks, each with its kind, subject and outcome, no secret
    def jsonFile = new File(basedir, "target/sancho/verify.json")
    def json = new groovy.json.JsonSlurper().parse(jsonFile)
    assert json.goal == "verify" && json.target == "engine" && json.outcome == "passed" : json
    assert json.checks.size() == 15 && json.checks.every { it.ok == true } : json.checks
    assert json.checks.any { it.kind == "app" && it.subject == "sanchoops_vh_backend_d1" && it.detail == "running, healthy" } : json.checks
    assert json.checks.count { it.kind == "probe" } == 3 : json.checks
    assert !jsonFile.text.contains("it-only-password")
    assert lib.state("sanchoops_vh_db") == "running" && lib.state("sanchoops_vh_backend_d1") == "running" : "verify changes nothing"
} finally {
    lib.cleanup(["sanchoops_vh_db", "sanchoops_vh_traefik", "sanchoops_vh_backend_d1"], ["sanchoops_vh_pgdata"])
}
true
