// Helpers shared by the ops-* ITs. Each hook loads it with
//   def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))
// and calls lib.dockerOk(...), lib.cleanup(...), ... (basedir is the IT's cloned project directory). Every call this
// file does not answer itself (docker, dockerOk, await, container, ...) goes to ItLib.groovy next to it.
import groovy.transform.Field

/** ItLib.groovy, next to this file (the location this script was compiled from). */
@Field final base = new GroovyShell().parse(
        new File(new File(getClass().protectionDomain.codeSource.location.toURI()).parentFile, "ItLib.groovy"))

def methodMissing(String name, args) {
    base.invokeMethod(name, args)
}

// Removes exactly these containers and volumes, plus any container labelled with our own project.
def cleanup(List containers, List volumes) {
    // -v removes only anonymous volumes (e.g. a DB started without its named volume); named ones never
    removeContainers(namesByLabel("sancho.project", "sanchoops") + containers)
    // the digest key a recover creates, the audit trail a rollback or recover writes
    removeVolumes(volumes + ["sanchoops_sancho_digest_key", "sanchoops_sancho_audit"])
    if (docker("network", "inspect", "sanchoops_default").code == 0
            && docker("network", "inspect", "--format", "{{len .Containers}}", "sanchoops_default").out == "0") {
        docker("network", "rm", "sanchoops_default")
    }
}

def health(String name) {
    container(name)?.health
}

def state(String name) {
    container(name)?.state
}

def psql(String container, String sql) {
    dockerOk("exec", container, "psql", "-U", "maestro", "-d", "maestro_inventario", "-tAc", sql)
}

// The project's network as a deploy creates it; the containers below join it under their service name (alias) when
// asked to, as verify expects of a stack sancho started.
def network() {
    if (docker("network", "inspect", "sanchoops_default").code != 0) {
        dockerOk("network", "create", "--label", "sancho.project=sanchoops", "sanchoops_default")
    }
    "sanchoops_default"
}

def onNetwork(String alias) {
    alias == null ? [] : ["--network", network(), "--network-alias", alias]
}

// Postgres as the runbook starts it (optionally with our infra labels; on the project's network as db when alias says).
def runDb(String name, String volume, String password, boolean labels, String alias = null) {
    def args = ["run", "-d", "--name", name, "--restart", "unless-stopped",
        "-e", "POSTGRES_DB=maestro_inventario", "-e", "POSTGRES_USER=maestro", "-e", "POSTGRES_PASSWORD=" + password,
        "--health-cmd", "pg_isready -U maestro -d maestro_inventario", "--health-interval", "1s"]
    if (labels) args += ["--label", "sancho.project=sanchoops", "--label", "sancho.service=db", "--label", "sancho.role=infra"]
    if (volume) args += ["-v", volume + ":/var/lib/postgresql/data"]
    args += onNetwork(alias)
    dockerOk((args + ["sancho-it/postgres:15"]) as String[])
    await(30, "${name} healthy") { health(name) == "healthy" }
}

// An app container as sancho:deploy leaves it (on the project's network under its service name when joined says).
def runApp(String name, String image, String service, String deployId, String deployedAt, String port, boolean joined = false) {
    def args = ["run", "-d", "--name", name, "-e", "DEPLOY_ID=" + deployId] + (joined ? onNetwork(service) : [])
    dockerOk((args + [
        "--label", "sancho.project=sanchoops", "--label", "sancho.service=" + service, "--label", "sancho.role=app",
        "--label", "sancho.deploy-id=" + deployId, "--label", "sancho.deployed-at=" + deployedAt,
        "--health-cmd", "wget -q -O /dev/null http://127.0.0.1:8080/health", "--health-interval", "1s",
        "-p", "127.0.0.1:" + port + ":8080", image]) as String[])
}

def buildLog() {
    new File(basedir, "build.log").getText("UTF-8")
}

def assertNoStackTrace(String log) {
    def stack = log.readLines().findAll { it.startsWith("\tat ") || it.contains("Caused by:") || it =~ /^\s+at [a-z]/ }
    assert stack.isEmpty() : "stack trace in build.log:\n" + stack.take(5).join("\n")
}
