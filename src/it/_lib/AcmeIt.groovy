// A real ACME CA for an IT: Debian's pebble (Let's Encrypt's ACME test server), run as a host process INSIDE the
// network namespace of a dedicated engine (EngineIt.groovy), so the engine's containers reach it and nothing else
// does. Self-contained like EngineIt (the JDK, pebble, openssl, curl, nsenter, setsid).
//
//   def acme = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/AcmeIt.groovy"))
//   def ca = acme.start(eng, e, basedir)      // listener certificate, config, pebble, its root from /roots/0
//   acme.issued(ca)                           // certificates issued so far (pebble's log)
//   acme.https(eng, e, ca, "app.test", 28443) // [code, body]: curl --resolve, pebble's root as the only trust
//   acme.servedSerial(eng, e, ca, "app.test", 28443)
//
// Where pebble listens: 0.0.0.0 of the namespace, which has no interface but lo and the engine's bridges. A
// container reaches it at its bridge gateway; compose `extra_hosts: ["acme.test:host-gateway"]` maps the name to
// the default bridge's gateway (dockerd 20.10+), and the listener certificate is issued for acme.test. The
// management interface (/roots/0) listens on the namespace's 127.0.0.1 only. pebble's command line names the
// engine's directory, so the engine's teardown (and its watchdog) ends it too.
//
// pebble's settings: PEBBLE_VA_ALWAYS_VALID=1 (no challenge is validated: nothing has to reach the proxy),
// PEBBLE_VA_NOSLEEP=1 (no random validation delay), PEBBLE_WFE_NONCEREJECT=0 (no nonce is refused at random).
// Its root is new at every start: fetched from the management interface after each start.

/** Starts pebble in the engine's namespace; returns [dir, log, listenerCert, root, pid, ca (directory URL)]. */
def start(def eng, Map e, File basedir, String name = "acme.test") {
    def dir = new File(e.dir, "pebble")
    dir.mkdirs()
    def cert = new File(dir, "listener.pem"), key = new File(dir, "listener.key")
    eng.runOk(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
               "-days", "2", "-keyout", key.path, "-out", cert.path, "-subj", "/CN=" + name,
               "-addext", "subjectAltName=DNS:${name},DNS:localhost,IP:127.0.0.1".toString()])
    def config = new File(dir, "pebble-config.json")
    config.text = groovy.json.JsonOutput.toJson([pebble: [
            listenAddress: "0.0.0.0:14000", managementListenAddress: "127.0.0.1:15000",
            certificate: cert.path, privateKey: key.path, httpPort: 5002, tlsPort: 5001,
            ocspResponderURL: "", externalAccountBindingRequired: false]])
    def log = new File(basedir, "pebble.log")
    def pb = new ProcessBuilder(["setsid", "nsenter", "--net=" + e.nsPath, "pebble", "-config", config.path])
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .redirectInput(new File("/dev/null"))
    pb.environment().putAll([PEBBLE_VA_ALWAYS_VALID: "1", PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0"])
    long t0 = System.nanoTime()
    def p = pb.start()
    def root = new File(basedir, "pebble-root.pem")
    def ca = [dir: dir, log: log, listenerCert: cert, root: root, pid: p.pid(), directory: "https://${name}:14000/dir"]
    // the root (a new one at every start) once the management interface answers
    def r = null
    assert eng.within(30, 200) {
        r = eng.inNs(e, ["curl", "-sS", "--max-time", "2", "--cacert", cert.path, "https://127.0.0.1:15000/roots/0"])
        r.code == 0 && r.out.contains("BEGIN CERTIFICATE")
    } : "pebble did not answer on its management interface within 30 s: ${r?.err}\n${log.text}"
    root.text = r.out + "\n"
    assert eng.within(10, 200) { log.text.contains("Listening on: 0.0.0.0:14000") } : "pebble does not listen:\n${log.text}"
    ca.seconds = (System.nanoTime() - t0) / 1e9
    ca
}

/** Stops pebble (by the pid it was started with, checked against its command line). */
def stop(def eng, Map ca) {
    if (ca?.pid != null && eng.alive(ca.pid) && eng.cmdline(ca.pid).contains(ca.dir.path)) {
        eng.run(["kill", "-TERM", ca.pid])
        eng.within(10, 100) { !eng.alive(ca.pid) }
    }
}

/** The serials of the certificates pebble issued so far, in order (pebble logs one line per certificate). */
List<String> issued(Map ca) {
    (ca.log.text =~ /Issued certificate serial ([0-9a-fA-F]+) for order/).collect { serial(it[1]) }
}

/** A serial in one spelling: lower-case hex without leading zeros (pebble, openssl and Python differ in both). */
String serial(String hex) {
    def s = hex.trim().toLowerCase().replaceFirst(/^0+/, "")
    s.isEmpty() ? "0" : s
}

/** GET https://NAME:PORT/PATH through the namespace's 127.0.0.1 with pebble's root as the only trust. */
def https(def eng, Map e, Map ca, String name, int port, String path = "/") {
    def r = eng.inNs(e, ["curl", "-sS", "--max-time", "5", "--resolve", "${name}:${port}:127.0.0.1".toString(),
                         "--cacert", ca.root.path, "https://${name}:${port}${path}".toString()])
    [code: r.code, body: r.out, err: r.err]
}

/** Serial (lower-case hex) of the certificate served for NAME on the namespace's 127.0.0.1:PORT, verified. */
String servedSerial(def eng, Map e, Map ca, String name, int port) {
    def r = eng.inNs(e, ["sh", "-c", "openssl s_client -connect 127.0.0.1:${port} -servername ${name} -CAfile " +
            "'${ca.root.path}' -verify_return_error -verify_hostname ${name} </dev/null 2>/dev/null " +
            "| openssl x509 -noout -serial"])
    assert r.code == 0 && r.out.startsWith("serial=") : "no verified certificate for ${name} on port ${port}: ${r.err ?: r.out}"
    serial(r.out.substring("serial=".length()))
}
