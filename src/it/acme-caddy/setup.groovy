// Starts the dedicated engine this IT deploys to and restarts (scripts/dedicated-engine.sh: a second dockerd in its
// own network namespace, DOCKER_HOST unix:///tmp/sancho-acme-it/docker.sock), copies the test images into it, and
// starts pebble, the ACME CA, inside that namespace (src/it/_lib/AcmeIt.groovy): its listener certificate is
// bind-mounted into the proxy as the CA to trust for the ACME directory, its root (new at every start) is the only
// trust of every HTTPS client of this IT. First removes what a killed earlier run may have left.
def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def acme = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/AcmeIt.groovy"))
def e = eng.engine("sancho-acme-it")
["ip", "nsenter", "setsid", "dockerd", "umount", "pebble", "openssl", "curl", "python3"].each { tool ->
    assert eng.run(["sh", "-c", "command -v " + tool]).code == 0 :
            "acme-caddy needs ${tool} on PATH (pebble: apt-get install pebble; ip: iproute2; nsenter, setsid, " +
            "umount: util-linux)"
}
eng.lock(e)
eng.unwatch(e)
eng.teardown(e)
new File(basedir, "letsencrypt").deleteDir()
try {
    double up = eng.start(e, new File(basedir, "dockerd.log"))
    // Backstop: verify.groovy's finally tears the engine (and pebble) down. Should verify.groovy never run or this
    // Maven be killed, the watchdog does it once this JVM has exited.
    eng.watch(e, ProcessHandle.current().pid())
    double load = eng.loadImages(e, ["sancho-it/app:1", "sancho-it/app:2", "sancho-it/caddy:1"])
    def ca = acme.start(eng, e, basedir)
    // the proxy trusts pebble's ACME directory through this (bind-mounted) copy of its listener certificate
    new File(basedir, "pebble-listener.pem").text = ca.listenerCert.text
    System.properties.put("sanchoac.pebble", ca)
    println String.format("acme-caddy: dedicated dockerd %s (netns %s) up in %.1f s, images copied in %.1f s, " +
            "pebble (pid %d) up in %.1f s", e.host, e.ns, up, load, ca.pid, ca.seconds)
} catch (Throwable t) {
    eng.teardown(e)
    eng.unwatch(e)
    eng.unlock(e)
    throw t
}
true
