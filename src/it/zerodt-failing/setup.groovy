// Removes what an earlier run of THIS IT may have left (exact names, our project's labels), picks a free loopback
// port for the proxy, starts the container that holds host port 28493 (deploy z3 asks for it), and starts the client
// loop: a daemon thread in this (invoker) JVM that keeps running while the four deploys run as separate Maven
// processes; verify.groovy stops it and reads its results.
// Bounded: 20 requests/s, at most 40 in flight, 127.0.0.1 only, ends by itself after 480 s.
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean

def it = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
it.lockIt("zerodt-failing")
it.removeContainers(["sanchozf_proxy", "sanchozf_sanchozf_lock", "sanchozf_squatter"])
it.removeProject("sanchozf", [], ["sanchozf_default"])
it.dockerOk("run", "-d", "--name", "sanchozf_squatter", "-p", "127.0.0.1:28493:8080", "sancho-it/app:1")

int port = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")).withCloseable { it.localPort }
new File(basedir, ".env").text = "PROXY_PORT=${port}\n"

def results = new ConcurrentLinkedQueue()
def stop = new AtomicBoolean(false)
def done = new CountDownLatch(1)
def state = [port: port, results: results, stop: stop, done: done, counting: new AtomicBoolean(false),
             startedAt: [0L]]
System.properties.put("sanchozf.loop", state)

def get = { String path ->
    long t = System.nanoTime()
    def r = [path: path]
    try {
        def c = (HttpURLConnection) new URL("http://127.0.0.1:${port}${path}").openConnection()
        c.connectTimeout = 5000
        c.readTimeout = 5000
        c.setRequestProperty("Connection", "close")
        r.status = c.responseCode
        def body = (r.status == 200 ? c.inputStream : c.errorStream)?.text ?: ""
        r.deploy = (body =~ /deploy=(\S*)/).with { m -> m.find() ? m.group(1) : null }
        r.version = (body =~ /version=(\S*)/).with { m -> m.find() ? m.group(1) : null }
        r.ok = r.status == 200
        c.disconnect()
    } catch (Exception e) {
        r.ok = false
        r.error = e.class.simpleName + ": " + e.message
    }
    r.ms = (System.nanoTime() - t).intdiv(1_000_000)
    r
}

def loop = new Thread({
    def pool = Executors.newFixedThreadPool(40)
    // bounded, but not tighter than four deploys on a busy 2-CPU machine
    long deadline = System.currentTimeMillis() + 480_000
    try {
        // Not counted: until deploy z0 answers on both paths (the first deploy is not a redeploy).
        while (!stop.get() && System.currentTimeMillis() < deadline) {
            def a = get("/"), b = get("/front/")
            if (a.ok && b.ok && a.deploy == "z0" && b.deploy == "z0") {
                break
            }
            Thread.sleep(200)
        }
        state.counting.set(true)
        long start = System.currentTimeMillis()
        state.startedAt[0] = start
        int i = 0
        while (!stop.get() && System.currentTimeMillis() < deadline) {
            String path = i % 2 == 0 ? "/" : "/front/"
            long sent = System.currentTimeMillis() - start
            pool.submit({ def r = get(path); r.t = sent; results.add(r) } as Runnable)
            i++
            long wait = start + i * 50L - System.currentTimeMillis()
            if (wait > 0) {
                Thread.sleep(wait)
            }
        }
    } finally {
        pool.shutdown()
        pool.awaitTermination(15, TimeUnit.SECONDS)
        done.countDown()
    }
} as Runnable, "sanchozf-client-loop")
loop.daemon = true
loop.start()
println "zerodt-failing: client loop started against 127.0.0.1:${port} (counts once deploy z0 answers)"
true
