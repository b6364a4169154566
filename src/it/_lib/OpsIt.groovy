// Helpers shared by the ops-* ITs. Each hook loads it with
//   def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))
// and calls lib.docker(...), lib.cleanup(...), ... (basedir is the IT's cloned project directory).
def docker(String... args) {
    def p = (["docker"] + args.toList()).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    [code: p.exitValue(), out: out.toString().trim(), err: err.toString().trim()]
}

def must(String... args) {
    def r = docker(args)
    assert r.code == 0 : "docker ${args.join(' ')} failed: ${r.err}"
    r.out
}

// Removes exactly these containers and volumes, plus any container labelled with our own project.
def cleanup(List containers, List volumes) {
    def labelled = docker("ps", "-aq", "--filter", "label=sancho.project=sanchoops").out.readLines().findAll { it }
    // -v removes only anonymous volumes (e.g. a DB started without its named volume); named ones never
    labelled.each { must("rm", "-f", "-v", it) }
    containers.each { n ->
        if (docker("container", "inspect", n).code == 0) must("rm", "-f", "-v", n)
    }
    volumes.each { n ->
        if (docker("volume", "inspect", n).code == 0) must("volume", "rm", n)
    }
    if (docker("network", "inspect", "sanchoops_default").code == 0
            && docker("network", "inspect", "--format", "{{len .Containers}}", "sanchoops_default").out == "0") {
        docker("network", "rm", "sanchoops_default")
    }
}

def waitFor(String what, int seconds, Closure<Boolean> ready) {
    long deadline = System.currentTimeMillis() + seconds * 1000L
    while (!ready()) {
        assert System.currentTimeMillis() < deadline : "timed out after ${seconds} s waiting for ${what}"
        Thread.sleep(200)
    }
}

def health(String name) {
    docker("inspect", "--format", "{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}", name).out
}

def state(String name) {
    docker("inspect", "--format", "{{.State.Status}}", name).out
}

def psql(String container, String sql) {
    must("exec", container, "psql", "-U", "maestro", "-d", "maestro_inventario", "-tAc", sql)
}

// Postgres as the runbook starts it (optionally with our infra labels).
def runDb(String name, String volume, String password, boolean labels) {
    def args = ["run", "-d", "--name", name, "--restart", "unless-stopped",
        "-e", "POSTGRES_DB=maestro_inventario", "-e", "POSTGRES_USER=maestro", "-e", "POSTGRES_PASSWORD=" + password,
        "--health-cmd", "pg_isready -U maestro -d maestro_inventario", "--health-interval", "1s"]
    if (labels) args += ["--label", "sancho.project=sanchoops", "--label", "sancho.service=db", "--label", "sancho.role=infra"]
    if (volume) args += ["-v", volume + ":/var/lib/postgresql/data"]
    must((args + ["sancho-it/postgres:15"]) as String[])
    waitFor("${name} healthy", 30) { health(name) == "healthy" }
}

// An app container as sancho:deploy leaves it.
def runApp(String name, String image, String service, String deployId, String deployedAt, String port) {
    must("run", "-d", "--name", name, "-e", "DEPLOY_ID=" + deployId,
        "--label", "sancho.project=sanchoops", "--label", "sancho.service=" + service, "--label", "sancho.role=app",
        "--label", "sancho.deploy-id=" + deployId, "--label", "sancho.deployed-at=" + deployedAt,
        "--health-cmd", "wget -q -O /dev/null http://127.0.0.1:8080/health", "--health-interval", "1s",
        "-p", "127.0.0.1:" + port + ":8080", image)
}

def buildLog() {
    new File(basedir, "build.log").getText("UTF-8")
}

def assertNoStackTrace(String log) {
    def stack = log.readLines().findAll { it.startsWith("\tat ") || it.contains("Caused by:") || it =~ /^\s+at [a-z]/ }
    assert stack.isEmpty() : "stack trace in build.log:\n" + stack.take(5).join("\n")
}
