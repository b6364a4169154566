// Removes what an earlier run of THIS IT may have left (our projects' labels, exact names), picks a free loopback
// port for the proxy and writes the two app projects (their poms name the plugin version under test).
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("multi-project-edge")
["sanchomp-app", "sanchomp-blog", "sanchomp_edge"].each { p ->
    lib.removeContainers(["${p}_sancho_lock"])
    lib.removeProject(p, [], ["${p}_default"])
}
lib.removeContainers(["sanchomp_proxy"])
lib.removeProject("sanchomp_edge", [], ["sanchomp_edge_net"])

int port = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")).withCloseable { it.localPort }
new File(basedir, ".env").text = "PROXY_PORT=${port}\n"
true
