// A dedicated dockerd (scripts/dedicated-engine.sh, own network namespace) whose TLS listener 127.0.0.1:2376 in that
// namespace verifies clients (--tlsverify) against a CA made here; the test images copied into it. The shared engine
// is not touched.
def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def e = eng.engine("sancho-tls-it")
["ip", "nsenter", "setsid", "dockerd", "umount", "openssl"].each { tool ->
    assert eng.run(["sh", "-c", "command -v " + tool]).code == 0 : "deploy-tls needs ${tool} on PATH"
}
eng.lock(e)
eng.unwatch(e)
eng.teardown(e)
try {
    def certs = new File(e.dir, "certs")
    eng.runOk(["bash", new File(basedir, "../../../scripts/test-tls-certs.sh").canonicalPath, certs.path])
    double up = eng.start(e, new File(basedir, "dockerd.log"), ["-H", "tcp://127.0.0.1:2376", "--tlsverify",
            "--tlscacert", "${certs}/ca.pem", "--tlscert", "${certs}/server-cert.pem", "--tlskey", "${certs}/server-key.pem"])
    eng.watch(e, ProcessHandle.current().pid())
    double load = eng.loadImages(e, ["sancho-it/app:1", "sancho-it/app:2", "sancho-it/nginx:1", "sancho-it/postgres:15"])
    println String.format("deploy-tls: dedicated dockerd with TLS on 127.0.0.1:2376 (netns %s) up in %.1f s, images in %.1f s",
            e.ns, up, load)
} catch (Throwable t) {
    eng.teardown(e)
    eng.unwatch(e)
    eng.unlock(e)
    throw t
}
true
