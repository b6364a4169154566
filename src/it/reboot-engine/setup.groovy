// Starts the dedicated engine this IT restarts (scripts/dedicated-engine.sh): a second dockerd in its own network
// namespace, with its own data-root, exec-root, pidfile, socket (unix:///tmp/sancho-reboot-it/docker.sock, the
// DOCKER_HOST of every build of this IT) and cgroup parent, and copies the test images into it. First removes what
// a killed earlier run of this IT may have left. The engine the rest of the suite shares is not touched.
def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def e = eng.engine("sancho-reboot-it")
["ip", "nsenter", "setsid", "dockerd", "umount"].each { tool ->
    assert eng.run(["sh", "-c", "command -v " + tool]).code == 0 :
            "reboot-engine needs ${tool} on PATH (ip: apt-get install iproute2; nsenter, setsid, umount: util-linux)"
}
eng.lock(e)
eng.unwatch(e)
eng.teardown(e)
try {
    double up = eng.start(e, new File(basedir, "dockerd.log"))
    // Backstop: verify.groovy's finally tears the engine down. Should verify.groovy never run (the status build
    // failed) or this Maven be killed, the watchdog does it once this JVM has exited.
    eng.watch(e, ProcessHandle.current().pid())
    double load = eng.loadImages(e, ["sancho-it/app:1", "sancho-it/app:2", "sancho-it/nginx:1", "sancho-it/postgres:15"])
    println String.format("reboot-engine: dedicated dockerd %s (netns %s) up in %.1f s, images copied in %.1f s",
            e.host, e.ns, up, load)
} catch (Throwable t) {
    eng.teardown(e)
    eng.unwatch(e)
    eng.unlock(e)
    throw t
}
true
