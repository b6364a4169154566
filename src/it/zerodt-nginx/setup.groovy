// Removes what an earlier run of THIS IT may have left (exact names, our project's labels), picks a free loopback
// port for the proxy, and starts the client loop (DeployIt.startClientLoop): a daemon thread in this (invoker) JVM
// that keeps running while the six deploys run as separate Maven processes; verify.groovy stops it and reads its
// results. Bounded: 20 requests/s, at most 40 in flight, 127.0.0.1 only, ends by itself after 600 s (not tighter than
// six deploys on a busy 2-CPU machine: at load 16, 240 s ran out before z5).
def it = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
it.removeContainers(["sanchozd_proxy", "sanchozd_sanchozd_lock"])
it.removeProject("sanchozd", [], ["sanchozd_default"])

int port = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")).withCloseable { it.localPort }
new File(basedir, ".env").text = "PROXY_PORT=${port}\n"
it.startClientLoop("sanchozd.loop", port, "z0", 600_000)
true
