// Helpers shared by the deploy-* ITs (not an IT itself: no pom.xml). Load with
//   def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
// Every call this file does not answer itself (docker, dockerOk, await, container, removeProject, lockIt, ...) goes
// to ItLib.groovy next to it.
import groovy.transform.Field

/** ItLib.groovy, next to this file (the location this script was compiled from). */
@Field final base = new GroovyShell().parse(
        new File(new File(getClass().protectionDomain.codeSource.location.toURI()).parentFile, "ItLib.groovy"))

def methodMissing(String name, args) {
    base.invokeMethod(name, args)
}

/** Polls GET until the body contains text (the proxy resolves the alias again within ~1 s). */
def awaitBody(int port, String text, int seconds = 15) {
    def last = null
    assert within(seconds) { (last = get(port)).status == 200 && last.body.contains(text) } :
            "127.0.0.1:${port} never answered with '${text}'; last answer: ${last}"
    last
}

/** psql inside the database container (local socket, as the runbook's verification command does). */
def psql(String container, String user, String db, String sql) {
    def r = docker("exec", container, "psql", "-v", "ON_ERROR_STOP=1", "-At", "-U", user, "-d", db, "-c", sql)
    assert r.code == 0 : "psql in ${container} failed: ${r.err}"
    r.out
}

/**
 * Starts `mvn` on the IT project as the invoker does (same Maven, settings and local repository), so a verify
 * hook can run builds at the same time or kill one. Output goes to LOG.
 */
def startMaven(File basedir, File localRepo, File log, List args) {
    def mvn = new File(System.getProperty("maven.home"), "bin/mvn").absolutePath
    // the invoker's settings: the user's repository as a remote for everything but the plugin under test
    def userRepo = new File(System.getProperty("maven.repo.local") ?: System.getProperty("user.home") + "/.m2/repository")
    def settings = new File(basedir, "sancho-it-settings.xml")
    settings.text = new File(basedir, "../../../src/it/settings.xml").text
            .replace("@localRepositoryUrl@", userRepo.toURI().toString())
    def cmd = [mvn, "-B", "-o", "-s", settings.absolutePath, "-Dmaven.repo.local=${localRepo.absolutePath}"] + args
    def pb = new ProcessBuilder(cmd.collect { it.toString() }).directory(basedir).redirectErrorStream(true)
            .redirectOutput(log)
    pb.start()
}

/**
 * Starts a bounded client loop through the proxy on 127.0.0.1:PORT: 20 GET/s, alternating / and /front/, at most 40
 * in flight, each with a 5 s timeout, ended after MAXMILLIS at the latest. A daemon thread in this (invoker) JVM keeps
 * it running while the invocations run as separate Maven processes. It counts from the moment deploy FIRSTDEPLOY
 * answers on both paths (the first deploy is no redeploy). Its state is kept in the system properties under KEY, for
 * stopClientLoop.
 */
def startClientLoop(String key, int port, String firstDeploy, long maxMillis) {
    def results = new java.util.concurrent.ConcurrentLinkedQueue()
    def stop = new java.util.concurrent.atomic.AtomicBoolean(false)
    def done = new java.util.concurrent.CountDownLatch(1)
    def state = [port: port, results: results, stop: stop, done: done,
                 counting: new java.util.concurrent.atomic.AtomicBoolean(false), startedAt: [0L], first: firstDeploy]
    System.properties.put(key, state)
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
        def pool = java.util.concurrent.Executors.newFixedThreadPool(40)
        long deadline = System.currentTimeMillis() + maxMillis
        try {
            while (!stop.get() && System.currentTimeMillis() < deadline) {
                def a = get("/"), b = get("/front/")
                if (a.ok && b.ok && a.deploy == firstDeploy && b.deploy == firstDeploy) {
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
            pool.awaitTermination(15, java.util.concurrent.TimeUnit.SECONDS)
            done.countDown()
        }
    } as Runnable, key + "-client-loop")
    loop.daemon = true
    loop.start()
    println "${key}: client loop started against 127.0.0.1:${port} (counts once deploy ${firstDeploy} answers)"
    state
}

/**
 * Stops the loop startClientLoop(KEY) started; writes every request to BASEDIR/requests.txt and prints one summary
 * line. Returns [results (by time sent), failed, slow (> 1 s), seconds].
 */
def stopClientLoop(String key, File basedir) {
    def state = System.properties.get(key)
    assert state != null : "setup.groovy did not start the client loop"
    state.stop.set(true)
    assert state.done.await(30, java.util.concurrent.TimeUnit.SECONDS) : "the client loop did not finish"
    assert state.counting.get() : "deploy ${state.first} never answered through the proxy on / and /front/"
    def results = state.results.toList().sort { it.t }
    def failed = results.findAll { !it.ok }
    def slow = results.findAll { it.ok && it.ms > 1000 }
    long seconds = results.isEmpty() ? 0 : results.last().t.intdiv(1000)
    long t0 = state.startedAt[0]
    new File(basedir, "requests.txt").text = "# wall-clock ms, path, status/error, ms taken, deploy\n" + results.collect { r ->
        "${java.time.Instant.ofEpochMilli(t0 + r.t)} ${r.path} ${r.status ?: r.error} ${r.ms} ${r.deploy}" }.join("\n")
    println "${key}: ${results.size()} requests in ${seconds} s through the proxy, ${failed.size()} failed, " +
            "${slow.size()} slow (>1 s), max ${results*.ms.max()} ms, answered by ${results*.deploy.unique()}"
    [results: results, failed: failed, slow: slow, seconds: seconds]
}

/** Ends the loop (if any) and forgets it; for a finally block. */
def dropClientLoop(String key) {
    System.properties.get(key)?.stop?.set(true)
    System.properties.remove(key)
}
