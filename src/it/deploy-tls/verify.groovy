// Over TLS (DOCKER_HOST=tcp://127.0.0.1:2376, DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH with ca/cert/key.pem) from inside
// the engine's namespace: the seed stack deploys, redeploys and verifies; the DB keeps its container and data. A
// client directory without key.pem fails in one line naming that file before anything is sent; one with only ca.pem
// is refused by dockerd in the handshake, in one line; nothing changed on the engine; and dockerd never saw a plain
// HTTP request on its TLS port. Then the dedicated engine is torn down.
import java.util.concurrent.TimeUnit
def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def e = eng.engine("sancho-tls-it")
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def plugin = "dev.sancho:sancho-maven-plugin:${version}"
def certs = new File(e.dir, "certs")
def clientDir = { String name, List files ->
    def d = new File(e.dir, name)
    d.mkdirs()
    files.each { f -> new File(d, f).bytes = new File(certs, f).bytes }
    d
}
def full = clientDir("client-full", ["ca.pem", "cert.pem", "key.pem"])
def noKey = clientDir("client-no-key", ["ca.pem", "cert.pem"])
def caOnly = clientDir("client-ca-only", ["ca.pem"])

/** mvn ARGS inside the engine's namespace, over TLS with the client files in DIR; returns [code, log]. */
def mvn = { String name, File dir, List args ->
    def mvnBin = new File(System.getProperty("maven.home"), "bin/mvn").absolutePath
    def userRepo = new File(System.getProperty("maven.repo.local") ?: System.getProperty("user.home") + "/.m2/repository")
    def settings = new File(basedir, "tls-it-settings.xml")
    settings.text = new File(basedir, "../../../src/it/settings.xml").text.replace("@localRepositoryUrl@", userRepo.toURI().toString())
    def log = new File(basedir, name + ".log")
    def cmd = ["nsenter", "--net=" + e.nsPath, mvnBin, "-B", "-o", "-s", settings.absolutePath,
               "-Dmaven.repo.local=${repo.absolutePath}"] + args
    def pb = new ProcessBuilder(cmd.collect { it.toString() }).directory(basedir).redirectErrorStream(true)
            .redirectOutput(log).redirectInput(new File("/dev/null"))
    pb.environment().putAll([DOCKER_HOST: "tcp://127.0.0.1:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: dir.path])
    pb.environment().remove("DOCKER_CONTEXT")
    def p = pb.start()
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
        p.destroyForcibly()
        assert false : "mvn ${args.join(' ')} did not finish within 240 s (log: ${log})"
    }
    [code: p.exitValue(), log: log.text]
}
def errorLine = { String log ->
    assert log.contains("BUILD FAILURE")
    assert !(log =~ /(?m)^\s+at [a-z]/) && !log.contains("Caused by") && !(log =~ /\w+Exception:/) : "a stack trace in the log"
    log.readLines().find { it.startsWith("[ERROR]") }
}
try {
    assert new File(basedir, "build.log").text.contains("sancho:status — project sanchotls on unix:///tmp/sancho-tls-it/docker.sock")

    def r = mvn("deploy-t1", full, ["${plugin}:deploy", "-Dsancho.deployId=t1"])
    assert r.code == 0 : "deploy t1 over TLS failed: ${r.log.readLines().findAll { it.startsWith('[ERROR]') }}"
    assert r.log.contains("Deployed t1: started sanchotls_backend_t1, sanchotls_frontend_t1")
    assert r.log.contains("on tcp://127.0.0.1:2376") || r.log.contains("tcp://127.0.0.1:2376")
    eng.psql(e, "sanchotls_db_v2", "maestro", "maestro_inventario",
            "CREATE TABLE runbook (note text); INSERT INTO runbook VALUES ('written after deploy 1')")
    def db = eng.container(e, "sanchotls_db_v2")

    r = mvn("deploy-t2", full, ["${plugin}:deploy", "-Dsancho.deployId=t2", "-Dapp.version=2"])
    assert r.code == 0 : "deploy t2 over TLS failed"
    assert r.log.contains("Deployed t2: started sanchotls_backend_t2, sanchotls_frontend_t2")
    r = mvn("verify", full, ["${plugin}:verify"])
    assert r.code == 0 && r.log.contains("checks passed") : "verify over TLS failed"
    assert eng.container(e, "sanchotls_db_v2").id == db.id : "the DB container was replaced"
    assert eng.psql(e, "sanchotls_db_v2", "maestro", "maestro_inventario", "SELECT note FROM runbook") == "written after deploy 1"
    def answer = eng.get(e, 28732, 1, ["/"])[0]
    assert answer.status == 200 && answer.body.contains("version=2 deploy=t2") : "through the proxy: ${answer}"
    def before = eng.names(e, "sanchotls")
    def dockerdLog = new File(basedir, "dockerd.log")
    int logLength = dockerdLog.text.length()

    // cert.pem without key.pem: one line naming the missing file, nothing sent
    r = mvn("no-key", noKey, ["${plugin}:deploy", "-Dsancho.deployId=t3"])
    def noKeyLine = errorLine(r.log)
    println "deploy-tls, missing key: ${noKeyLine}"
    assert noKeyLine.contains("DOCKER_TLS_VERIFY is set, certificates from ${noKey} (DOCKER_CERT_PATH): ${noKey}/cert.pem is there but its key ${noKey}/key.pem is missing")

    // only ca.pem: dockerd (--tlsverify) refuses the handshake, said in one line
    r = mvn("ca-only", caOnly, ["${plugin}:deploy", "-Dsancho.deployId=t4"])
    def caOnlyLine = errorLine(r.log)
    println "deploy-tls, no client certificate: ${caOnlyLine}"
    assert caOnlyLine.contains("Cannot reach Docker at tcp://127.0.0.1:2376: TLS: the engine at 127.0.0.1:2376 ")
    assert caOnlyLine.contains("put cert.pem and key.pem next to ca.pem")

    assert eng.names(e, "sanchotls") == before : "the failed deploys changed containers"
    def newLog = dockerdLog.text.substring(logLength)
    assert !newLog.contains("first record does not look like a TLS handshake") : "a plain-HTTP request reached dockerd"
    assert !new File(basedir, "deploy-t1.log").text.contains("sanchotls-Db-s3cret-93d2")
} finally {
    try {
        eng.teardown(e)
    } finally {
        eng.unwatch(e)
        eng.unlock(e)
    }
}
true
