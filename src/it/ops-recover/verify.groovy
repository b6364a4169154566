def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

try {
    def log = lib.buildLog()
    assert log.contains("BUILD SUCCESS")
    assert log.readLines().any { it =~ /create\s+sanchoops_rc_db\s+sancho-it\/postgres:15 on sanchoops_rc_pgdata:\/var\/lib\/postgresql\/data/ }
    assert log.readLines().any { it =~ /keep\s+sanchoops_rc_traefik\s+running, untouched/ }
    assert log.contains("Recovered sanchoops_rc_db on the existing volumes.")
    assert !log.contains("sanchoops-Pw-7f3a91") : "the secret from settings.xml must never be logged, also not with -X"
    assert lib.state("sanchoops_rc_db") == "running" && lib.health("sanchoops_rc_db") == "healthy"
    assert lib.psql("sanchoops_rc_db", "select note from survivors") == "written before the accident"
    assert lib.dockerOk("inspect", "--format", "{{.HostConfig.RestartPolicy.Name}} {{index .Config.Labels \"sancho.role\"}}", "sanchoops_rc_db") == "unless-stopped infra"
    assert lib.dockerOk("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", "sanchoops_rc_db").readLines().contains("POSTGRES_PASSWORD=sanchoops-Pw-7f3a91") : "password from settings.xml <server>"
    // secrets:/configs: of an environment:/content: source, copied in as files before the start
    assert lib.dockerOk("exec", "sanchoops_rc_db", "cat", "/run/secrets/db_password") == "sanchoops-Pw-7f3a91"
    assert lib.dockerOk("exec", "sanchoops_rc_db", "stat", "-c", "%a %u %g", "/run/secrets/db_password") == "444 0 0"
    assert lib.dockerOk("exec", "sanchoops_rc_db", "cat", "/etc/sancho/note") == "user maestro, password sanchoops-Pw-7f3a91"
    assert lib.dockerOk("exec", "sanchoops_rc_db", "stat", "-c", "%a %u %g", "/etc/sancho/note") == "440 100 102"
    assert lib.dockerOk("inspect", "--format", "{{.Id}}", "sanchoops_rc_traefik") == new File(basedir, "traefik.id").text : "existing infra untouched"
} finally {
    lib.cleanup(["sanchoops_rc_db", "sanchoops_rc_traefik"], ["sanchoops_rc_pgdata"])
}
true
