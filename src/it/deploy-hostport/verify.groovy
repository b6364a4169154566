// A backend on a fixed host port is redeployed by stopping the previous one first; a failed redeploy starts the
// previous backend again, so the port keeps answering with the previous deploy.
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
try {
    def log = new File(basedir, "build.log").text
    assert log.contains("Deployed d1: started sanchohp_backend_d1, sanchohp_frontend_d1")

    // invocation 2: the redeploy succeeds; only the backend is stopped before its successor starts
    assert log.contains("stop     sanchohp_backend_d1 first, then start sanchohp_backend_d2 (backend publishes host port 28490")
    assert log.contains("[WARNING] backend publishes host port 28490: the previous deploy's backend must stop before the new one starts (a short outage); put it behind the proxy (no host port) for zero-downtime redeploys")
    assert log.contains("cutover  stop sanchohp_frontend_d1 (deploy d1)") : "the frontend (no host port) is replaced side by side"
    assert log.contains("Deployed d2: started sanchohp_backend_d2, sanchohp_frontend_d2; stopped sanchohp_backend_d1, sanchohp_frontend_d1")
    def afterD2 = log.substring(log.indexOf("Deployed d2:"))
    assert afterD2.substring(0, afterD2.indexOf("Plan for project")).contains("backend on its fixed host port") :
            "d2's verify probed the fixed host port"
    assert !log.contains("port is already allocated")

    // invocation 3: unhealthy backend -> removed, d2's backend started again
    assert log.contains("deploy d3 failed: sanchohp_backend_d3: its healthcheck reports unhealthy")
    assert log.contains("Removed sanchohp_backend_d3 (failed deploy d3)")
    assert log.contains("Started sanchohp_backend_d2 again (deploy d2)")
    assert log.contains("The new containers were removed; sanchohp_backend_d2 (stopped for its host port) was started again and the previous deploy keeps serving (sanchohp_backend_d2, sanchohp_frontend_d2).")
    ["backend", "frontend"].each { svc ->
        assert lib.container("sanchohp_${svc}_d2").state == "running" : "${svc} d2"
        assert lib.container("sanchohp_${svc}_d1").state == "exited" : "${svc} d1 kept stopped for rollback"
        assert lib.container("sanchohp_${svc}_d3") == null : "${svc} d3 left behind"
    }
    def answer = lib.awaitBody(28490, "deploy=d2")
    assert answer.body.contains("version=2")
    assert lib.container("sanchohp_sancho_lock") == null : "the lock was not released"
} finally {
    lib.removeContainers(["sanchohp_sancho_lock"])
    lib.removeProject("sanchohp", [], ["sanchohp_default"])
    lib.unlockIt("deploy-hostport")
}
true
