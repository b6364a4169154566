// Removes what an earlier run of THIS IT may have left (exact names, our project's labels), picks a free loopback
// port for the proxy, starts the container that holds host port 28493 (deploy z3 asks for it), and starts the client
// loop (DeployIt.startClientLoop: 20 requests/s through the proxy, 127.0.0.1 only, ends by itself after 480 s) that
// runs while the four deploys run as separate Maven processes; verify.groovy stops it and reads its results.
def it = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
it.lockIt("zerodt-failing")
it.removeContainers(["sanchozf_proxy", "sanchozf_sanchozf_lock", "sanchozf_squatter"])
it.removeProject("sanchozf", [], ["sanchozf_default"])
it.dockerOk("run", "-d", "--name", "sanchozf_squatter", "-p", "127.0.0.1:28493:8080", "sancho-it/app:1")

int port = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")).withCloseable { it.localPort }
new File(basedir, ".env").text = "PROXY_PORT=${port}\n"
it.startClientLoop("sanchozf.loop", port, "z0", 480_000)
true
