// A failed deploy leaves the previous deploy serving, removes its own containers and says why in one place.
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
def TOKEN = "sanchodep-tok-9c1e77aa"
try {
    def log = new File(basedir, "build.log").text
    assert log.contains("Deployed d1: started sanchodep_fail_backend_d1, sanchodep_fail_frontend_d1")

    // invocation 2: the unhealthy backend
    assert log.contains("deploy d2 failed: sanchodep_fail_backend_d2: its healthcheck reports unhealthy; last log lines:")
    assert log.contains("backend: connecting with API_TOKEN=******") : "the failing container's log lines, masked"
    assert log.contains("The new containers were removed; the previous deploy keeps serving (")
    assert log.contains("Removed sanchodep_fail_backend_d2 (failed deploy d2)")
    assert log.contains("Removed sanchodep_fail_frontend_d2 (failed deploy d2)")
    ["backend", "frontend"].each { svc ->
        assert lib.container("sanchodep_fail_${svc}_d1").state == "running" : "${svc} d1"
        assert lib.container("sanchodep_fail_${svc}_d2") == null : "${svc} d2 left behind"
        assert lib.container("sanchodep_fail_${svc}_d3") == null : "${svc} d3 created although its image is missing"
    }
    lib.awaitBody(28481, "deploy=d1")

    // invocation 3: missing image, one line, before any change
    def line = log.readLines().find { it.contains("image sancho-it/app:404 is not on the engine") }
    assert line != null
    assert line.contains("cannot be pulled") && line.contains("docker load -i") && line.contains("nothing was changed")
    assert !log.contains("Created sanchodep_fail_backend_d3")
    assert !log.contains("Error during callback") : "docker-java's own stack trace leaked into the output"

    assert lib.container("sanchodep_fail_sancho_lock") == null : "the lock was not released on a failure path"
    assert log.contains("[DEBUG]")
    assert !log.contains(TOKEN) : "the API token appears in build.log"
} finally {
    lib.removeContainers(["sanchodep_fail_proxy", "sanchodep_fail_sancho_lock"])
    lib.removeProject("sanchodep_fail", [], ["sanchodep_fail_default"])
    lib.unlockIt("deploy-unhealthy")
}
true
