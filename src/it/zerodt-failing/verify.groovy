// Stops the client loop and asserts what the issue asks of a deploy that goes wrong under traffic: 0 failed requests
// through the proxy, and no request ever answered by the deploy that failed its health check (z1) or by the one
// refused for its host port (z3); both routes went z0 -> z2. Then the engine: z2 serves, nothing of z1 or z3 exists,
// the squatter still holds its port. Removes what the IT created.
def it = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
try {
    def loop = it.stopClientLoop("sanchozf.loop", basedir)
    def results = loop.results, failed = loop.failed
    assert results.size() >= 100 : "only ${results.size()} requests were sent: the deploys were not covered"
    assert failed.isEmpty() : "${failed.size()} requests failed (all in requests.txt), first: ${failed.take(5)}"
    def wrong = results.findAll { it.deploy in ["z1", "z3"] }
    assert wrong.isEmpty() : "${wrong.size()} requests reached a deploy that never became ready: ${wrong.take(5)}"
    ["/", "/front/"].each { path ->
        def seen = []
        results.findAll { it.path == path }.each { r -> if (!seen.contains(r.deploy)) seen << r.deploy }
        assert seen == ["z0", "z2"] : "${path} answered deploys ${seen} in this order"
    }

    def log = new File(basedir, "build.log").text
    // z1: created out of DNS, failed its health check, removed; the plan said it would join only once ready
    assert log.contains("dns      sanchozf_backend_z1 joins backend on sanchozf_default, sanchozf_frontend_z1 joins frontend on sanchozf_default once ready")
    assert log.contains("deploy z1 failed: sanchozf_backend_z1: its healthcheck reports unhealthy")
    assert !log.contains("sanchozf_backend_z1 joined DNS") && !log.contains("sanchozf_frontend_z1 joined DNS")
    assert log.contains("Removed sanchozf_backend_z1 (failed deploy z1)")
    // z2: joined DNS once ready, then the cutover
    assert log.contains("sanchozf_backend_z2 joined DNS as backend on sanchozf_default")
    assert log =~ /deployed z2 in [\d.]+ s: build [\d.]+, lock [\d.]+, plan [\d.]+, start [\d.]+, ready [\d.]+, dns [\d.]+, drain [\d.]+, stop [\d.]+, verify [\d.]+/
    // z3: one line naming the container that holds the port, before anything changed
    def refused = log.readLines().find { it.contains("host port 127.0.0.1:28493 of sanchozf_backend_z3 is taken") }
    assert refused != null && refused.contains("by the running container sanchozf_squatter") && refused.contains("nothing was changed")
    assert !log.contains("Created sanchozf_backend_z3") && !log.contains("Stopping sanchozf_backend_z2")

    ["backend", "frontend"].each { s ->
        assert it.container("sanchozf_${s}_z2").state == "running"
        assert it.container("sanchozf_${s}_z0").state == "exited" : "z0 kept (keep=1)"
        assert it.container("sanchozf_${s}_z1") == null
        assert it.container("sanchozf_${s}_z3") == null
    }
    assert it.container("sanchozf_squatter").state == "running"
    assert it.container("sanchozf_sanchozf_lock") == null
} finally {
    it.dropClientLoop("sanchozf.loop")
    it.removeContainers(["sanchozf_proxy", "sanchozf_sanchozf_lock", "sanchozf_squatter"])
    it.removeProject("sanchozf", [], ["sanchozf_default"])
    it.unlockIt("zerodt-failing")
}
true
