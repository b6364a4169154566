// Removes what an earlier run of THIS IT may have left (exact names, our project's labels), picks a free loopback
// port for the proxy and starts the client loop (20 requests/s, 127.0.0.1 only, ends by itself after 300 s).
def it = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
it.removeContainers(["sanchorl_proxy", "sanchorl_sanchorl_lock"])
it.removeProject("sanchorl", [], ["sanchorl_default"])

int port = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")).withCloseable { it.localPort }
new File(basedir, ".env").text = "PROXY_PORT=${port}\n"
it.startClientLoop("sanchorl.loop", port, "r0", 300_000)
true
