// The runbook's "SSL persistente" promise against a real ACME CA (pebble) and a real ACME proxy (Caddy) whose
// storage is the bind-mounted ./letsencrypt: the first deploy makes Caddy obtain a certificate for app.test; then 5
// redeploys under an HTTPS client loop (0 failed requests), `docker rm -f` of the proxy + sancho:recover, and a
// restart of the (dedicated) engine, sancho:verify listing the certificate, and a lost store (verify fails, naming
// what the store held; recover refuses to start the proxy; restored, it serves again). After each step the
// certificate served is the same one (its serial, verified with pebble's root as the only trust) and pebble has
// issued exactly ONE certificate. The control, the same proxy without the bind mount, gets a new certificate when it
// is recreated: the assertion above can fail.
// Runs on the dedicated engine setup.groovy started; the finally block removes it with pebble.
import groovy.json.JsonSlurper

def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def acme = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/AcmeIt.groovy"))
def e = eng.engine("sancho-acme-it")
def ca = System.properties.remove("sanchoac.pebble")
def P = "sanchoac", PROXY = "sanchoac_proxy", NAME = "app.test", PORT = 28443
def CP = "sanchoacc", CPROXY = "sanchoacc_proxy", CNAME = "ctl.test", CPORT = 28444
def CONTROL = ["-Dac.project=" + CP, "-Dac.compose=docker-compose.control.yml"]
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def plugin = "dev.sancho:sancho-maven-plugin:${version}"
def timings = [:]
long started = System.nanoTime()
def timed = { String what, Closure c ->
    long t = System.nanoTime()
    def r = c()
    timings[what] = String.format("%.1f s", (System.nanoTime() - t) / 1e9)
    r
}
def tail = { String log -> log.readLines().takeRight(40).join("\n") }
def mvn = { String name, List args -> timed(name) { eng.mvn(e, basedir, repo, name, args) } }
def deploy = { String id, String appVersion ->
    def r = mvn("deploy-" + id, ["${plugin}:deploy", "-Dsancho.deployId=${id}", "-Dapp.version=${appVersion}"])
    assert r.code == 0 : "deploy ${id} failed:\n" + tail(r.log)
    assert r.log.contains("Deployed ${id}: ")
    r
}
def recover = { String name, List extra = [] ->
    def r = mvn(name, ["${plugin}:recover"] + extra)
    assert r.code == 0 : "${name} failed:\n" + tail(r.log)
    r
}
// HTTPS through the proxy (curl --resolve NAME:PORT:127.0.0.1, pebble's root as the only trust) until it answers
def awaitHttps = { String name, int port, String body, int seconds ->
    def last = null
    assert eng.within(seconds, 200) {
        last = acme.https(eng, e, ca, name, port)
        last.code == 0 && last.body.contains(body)
    } : "https://${name}:${port}/ did not answer '${body}' within ${seconds} s; last: ${last}\n" +
            eng.docker(e, "logs", "--tail", "20", name == NAME ? PROXY : CPROXY).err
}
def issued = { -> acme.issued(ca) }
def served = { -> acme.servedSerial(eng, e, ca, NAME, PORT) }
def steps = []
// after each step: the same certificate serves, and pebble issued no other
def sameCertificate = { String step, String serial ->
    def now = served()
    assert now == serial : "after ${step} the proxy serves certificate ${now}, not ${serial}"
    assert issued() == [serial] : "after ${step} pebble has issued ${issued()}, not only ${serial}"
    steps << step
}
try {
    assert ca != null : "setup.groovy did not start pebble"
    def buildLog = new File(basedir, "build.log").text
    assert buildLog.contains("sancho:status — project ${P} on ${e.host}") : "the build did not use the dedicated engine"

    // --- 1. the first deploy: Caddy obtains a certificate for app.test from pebble
    deploy("c0", "1")
    timed("first certificate") { awaitHttps(NAME, PORT, "deploy=c0", 60) }
    def serial = served()
    assert issued() == [serial] : "pebble issued ${issued()}; the proxy serves ${serial}"
    def stored = new File(basedir, "letsencrypt/certificates/acme.test-14000-dir/app.test/app.test.crt")
    assert stored.isFile() : "no certificate in ./letsencrypt: ${new File(basedir, 'letsencrypt').list()}"
    def proxyId = eng.container(e, PROXY).id
    steps << "first deploy"

    // --- 2. five redeploys under an HTTPS client loop (20 requests/s, a new TLS connection each)
    def stop = new File(basedir, "loadgen.stop"), out = new File(basedir, "loadgen.json")
    stop.delete()
    def loop = new ProcessBuilder(["nsenter", "--net=" + e.nsPath, "python3", new File(eng.REPO, "bench/loadgen.py").path,
            "--url", "https://${NAME}:${PORT}/".toString(), "--resolve", "${NAME}:127.0.0.1".toString(),
            "--cacert", ca.root.path, "--rate", "20", "--max-seconds", "1200", "--stop-file", stop.path,
            "--out", out.path]).redirectErrorStream(true).redirectOutput(new File(basedir, "loadgen.log")).start()
    try {
        Thread.sleep(500)
        timed("5 redeploys") { (1..5).each { k -> deploy("c${k}", k % 2 == 1 ? "2" : "1") } }
        Thread.sleep(1500)
    } finally {
        stop.text = "stop"
        assert loop.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) : "the client loop did not stop"
    }
    def load = new JsonSlurper().parse(out)
    def loopSerials = load.serials.collectEntries { k, v -> [acme.serial(k), v] }
    println "acme-caddy: HTTPS client loop over 5 redeploys: ${load.requests} requests, ${load.failed} failed, " +
            "max ${load.max_latency} s, deploys seen ${load.deploys_seen*.deploy}, certificates served ${loopSerials}"
    assert load.requests >= 100 : "only ${load.requests} requests: the redeploys were not covered"
    assert load.failed == 0 : "failed HTTPS requests during the redeploys: ${load.failures}"
    assert load.deploys_seen*.deploy == ["c0", "c1", "c2", "c3", "c4", "c5"]
    assert loopSerials == [(serial): load.requests] : "certificates served during the redeploys: ${loopSerials}"
    assert eng.container(e, PROXY).id == proxyId : "a deploy recreated the proxy"
    sameCertificate("5 redeploys", serial)

    // --- 3. the proxy container is lost: docker rm -f, then sancho:recover creates it again on ./letsencrypt
    eng.dockerOk(e, "rm", "-f", PROXY)
    def rec = recover("recover-proxy")
    assert rec.log.contains(PROXY)
    assert eng.container(e, PROXY).id != proxyId
    timed("served after recover") { awaitHttps(NAME, PORT, "deploy=c5", 30) }
    sameCertificate("docker rm -f + sancho:recover", serial)

    // --- 4. the engine restarts (SIGTERM to dockerd, as at a host shutdown); pebble keeps running
    double down = timed("engine stop") { eng.stop(e) }
    double up = timed("engine start") { eng.start(e, new File(basedir, "dockerd.log")) }
    timed("served after engine restart") { awaitHttps(NAME, PORT, "deploy=c5", 60) }
    sameCertificate("engine restart", serial)
    // verify reads the store through the proxy container and shows the certificate served
    def v = mvn("verify-after-restart", ["${plugin}:verify"])
    assert v.code == 0 : "sancho:verify failed after the engine restart:\n" + tail(v.log)
    assert v.log =~ /certs\s+proxy:\/letsencrypt\s+caddy storage, 1 certificate/ : tail(v.log)
    assert v.log =~ /cert\s+app\.test\s+expires \S+ \(\d+ days\), serial ${serial}\b/ : tail(v.log)

    // --- 5. the store is lost (its files moved away, the directory left empty) and the proxy is gone: recover
    // creates the proxy but refuses to START it, the moment that would burn Let's Encrypt's rate limit. Restored
    // and started by hand, as the message says, it serves the same certificate: still no new order at pebble.
    eng.dockerOk(e, "rm", "-f", PROXY)
    def store = new File(basedir, "letsencrypt"), saved = new File(basedir, "letsencrypt.saved")
    saved.mkdirs()
    store.listFiles().each { assert it.renameTo(new File(saved, it.name)) }
    def refused = mvn("recover-empty-store", ["${plugin}:recover"])
    assert refused.code != 0 : "recover started the proxy on an empty certificate store:\n" + tail(refused.log)
    assert refused.log.contains("refusing to start ${PROXY}: its certificate store /letsencrypt holds no certificate") :
            tail(refused.log)
    assert !(refused.log =~ /(?m)^\s+at [\w.$]+\(/) : "a stack trace instead of one line:\n" + tail(refused.log)
    assert eng.container(e, PROXY).state == "created" : "the proxy is ${eng.container(e, PROXY).state}"
    assert issued() == [serial] : "pebble issued ${issued()} after the refused recover"
    // the deploys' verify step recorded that the store held the certificate (a volume's labels), so verify tells
    // this lost store from a new one: it fails, naming what the store held
    def record = eng.dockerOk(e, "volume", "inspect", "-f", "{{json .Labels}}", "${P}_sancho_certs_proxy")
    assert record.contains('"sancho.certificates.names":"app.test"') : record
    def lostStore = mvn("verify-empty-store", ["${plugin}:verify"])
    assert lostStore.code != 0 : "sancho:verify passed on a lost certificate store:\n" + tail(lostStore.log)
    assert lostStore.log =~ /certs\s+proxy:\/letsencrypt\s+holds no certificate; it held 1 certificate \(app\.test\)/ :
            tail(lostStore.log)
    saved.listFiles().each { assert it.renameTo(new File(store, it.name)) }
    eng.dockerOk(e, "start", PROXY)
    timed("served after restore") { awaitHttps(NAME, PORT, "deploy=c5", 30) }
    sameCertificate("empty store: recover refused, store restored, docker start", serial)

    // --- 6. the control: the same proxy without the bind mount gets a new certificate when it is recreated.
    // Its stack is the proxy alone; sancho:recover creates it (a missing infrastructure container), twice, told
    // that an empty store is intended (its store, /data/caddy inside the container, is new with each container).
    CONTROL = CONTROL + ["-Dsancho.allowEmptyCertificates"]
    recover("control-create", CONTROL)
    timed("control: first certificate") { awaitHttps(CNAME, CPORT, "control", 60) }
    def c1 = acme.servedSerial(eng, e, ca, CNAME, CPORT)
    assert issued() == [serial, c1]
    eng.dockerOk(e, "rm", "-f", CPROXY)
    recover("control-recover", CONTROL)
    timed("control: served after recover") { awaitHttps(CNAME, CPORT, "control", 60) }
    def c2 = acme.servedSerial(eng, e, ca, CNAME, CPORT)
    assert c2 != c1 : "the control's recreated proxy serves its first certificate again: the control proves nothing"
    assert issued() == [serial, c1, c2] : "pebble issued ${issued()}"
    assert served() == serial

    println "acme-caddy: certificate ${serial} for ${NAME} issued once by pebble and served after each step " +
            "(${steps.join(', ')}); the control without the bind mount got ${c1}, then ${c2} after its recreation " +
            "(pebble issued ${issued().size()} in all)"
} finally {
    try {
        timed("teardown") { eng.teardown(e) }
    } finally {
        eng.unwatch(e)
        eng.unlock(e)
        println "acme-caddy: " + timings.collect { k, val -> "${k} ${val}" }.join(", ") +
                String.format("; verify.groovy %.1f s", (System.nanoTime() - started) / 1e9)
    }
}
true
