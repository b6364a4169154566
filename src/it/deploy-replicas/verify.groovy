// deploy.replicas: 2 gives two containers per deploy, both behind the alias backend and both answering; the
// redeploy retires both of the previous deploy together; verify checks both.
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
try {
    def log = new File(basedir, "build.log").text
    assert log.contains("Deployed r1: started sanchorp_backend_r1, sanchorp_backend_r1_2") : "r1 did not start both"
    assert log.contains("Deployed r2: started sanchorp_backend_r2, sanchorp_backend_r2_2; stopped sanchorp_backend_r1, sanchorp_backend_r1_2")

    ["sanchorp_backend_r1", "sanchorp_backend_r1_2"].each { assert lib.container(it).state == "exited" : it }
    def replicas = ["sanchorp_backend_r2", "sanchorp_backend_r2_2"]
    def ips = []
    replicas.each { name ->
        def c = lib.container(name)
        assert c.state == "running" && c.health == "healthy" : "${name}: ${c}"
        assert c.labels["sancho.replicas"] == "2"
        def aliases = lib.dockerOk("inspect", "--format",
                "{{json (index .NetworkSettings.Networks \"sanchorp_default\").Aliases}}", name)
        assert aliases.contains("\"backend\"") : "${name} is not behind the alias backend: ${aliases}"
        ips << lib.dockerOk("inspect", "--format",
                "{{(index .NetworkSettings.Networks \"sanchorp_default\").IPAddress}}", name).trim()
        // each replica answers on its own published loopback port, with its own hostname
        int port = lib.dockerOk("port", name, "8080/tcp").readLines()[0].tokenize(":").last() as int
        def answer = lib.get(port)
        assert answer.status == 200 && answer.body.contains("deploy=r2") : "${name} on ${port}: ${answer}"
    }
    assert ips.unique().size() == 2 : "two replicas, two addresses: ${ips}"
    // the engine's DNS answers the service name with both replicas
    def lookup = lib.dockerOk("exec", "sanchorp_backend_r2", "nslookup", "backend")
    ips.each { assert lookup.contains(it) : "nslookup backend did not return ${it}: ${lookup}" }
    // and the name answers from inside the network
    def inside = lib.dockerOk("exec", "sanchorp_backend_r2", "wget", "-q", "-O", "-", "http://backend:8080/")
    assert inside.contains("deploy=r2") : inside

    assert log =~ /✔\s+app\s+sanchorp_backend_r2_2\s+running, healthy/ : "verify did not check the second replica"
    assert log.contains("All ") && log.contains("checks passed.")
} finally {
    lib.removeContainers(["sanchorp_sancho_lock"])
    lib.removeProject("sanchorp", [], ["sanchorp_default"])
    lib.unlockIt("deploy-replicas")
}
true
