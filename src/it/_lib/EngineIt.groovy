// A dedicated Docker engine for an IT that must stop and start dockerd (not an IT itself: no pom.xml). The engine
// the rest of the suite uses is never restarted or reconfigured: this one is a second dockerd in its OWN network
// namespace (its docker0, user networks and iptables rules live there and vanish with it), with its own data-root,
// exec-root, pidfile, socket and cgroup parent, all under /tmp/NAME. Its lifecycle (start, stop, teardown, images,
// a watchdog) is scripts/dedicated-engine.sh, shared with bench/faults.sh; this file adds what the hooks need:
// the docker CLI against it, GETs inside its namespace, nested Maven builds with DOCKER_HOST pointing at it.
// Self-contained (does not use ItLib.groovy): only the JDK, the docker CLI, bash, ip and util-linux.
//
//   def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
//   def e = eng.engine("sancho-reboot-it")     // /tmp/sancho-reboot-it, netns sancho-reboot-it, DOCKER_HOST e.host
//   eng.lock(e); eng.teardown(e); eng.start(e, logFile); eng.loadImages(e, [...]); ...; eng.teardown(e)
//
// Traffic: the engine's containers reach each other on its bridges inside the namespace; a port they publish on
// 127.0.0.1 is the NAMESPACE's loopback, reached only by a client started inside it (get(), below). The namespace
// has no interface but lo, so nothing in it can reach any other address.
import groovy.transform.Field
import java.util.concurrent.TimeUnit

/** Everything about one dedicated engine, derived from its name (fixed paths: DOCKER_HOST can be written down). */
def engine(String name) {
    def dir = "/tmp/" + name
    [name: name, dir: dir, ns: name, nsPath: "/var/run/netns/" + name, host: "unix://" + dir + "/docker.sock",
     script: new File(REPO, "scripts/dedicated-engine.sh").path]
}

/** The repository: this file is src/it/_lib/EngineIt.groovy (the location it was compiled from). */
@Field final File REPO = new File(getClass().protectionDomain.codeSource.location.toURI()).parentFile.parentFile
        .parentFile.parentFile

/** Runs a command; returns [code, out, err]. */
def run(List cmd, File dir = null) {
    def p = new ProcessBuilder(cmd.collect { it.toString() }).directory(dir).start()
    p.outputStream.close()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    [code: p.exitValue(), out: out.toString().trim(), err: err.toString().trim()]
}

def runOk(List cmd) {
    def r = run(cmd)
    assert r.code == 0 : "${cmd.join(' ')} failed (${r.code}): ${r.err ?: r.out}"
    r.out
}

/** The docker CLI against the dedicated engine only (explicit -H: the environment's DOCKER_HOST is ignored). */
def docker(Map e, String... args) {
    run(["docker", "-H", e.host] + args.toList())
}

def dockerOk(Map e, String... args) {
    def r = docker(e, args)
    assert r.code == 0 : "docker -H ${e.host} ${args.join(' ')} failed: ${r.err}"
    r.out
}

/** A command inside the engine's network namespace (nsenter, not `ip netns exec`: that one remounts /sys). */
def inNs(Map e, List cmd) {
    run(["nsenter", "--net=" + e.nsPath] + cmd)
}

/** Polls every POLLMS ms until the condition holds (true) or SECONDS passed (false). */
boolean within(double seconds, int pollMs = 100, Closure<Boolean> condition) {
    long end = System.currentTimeMillis() + (long) (seconds * 1000)
    while (!condition()) {
        if (System.currentTimeMillis() >= end) {
            return false
        }
        Thread.sleep(pollMs)
    }
    true
}

/**
 * One run per engine name at a time, across worktrees: an exclusive OS file lock (released by unlock() or when the
 * JVM exits). Taken BEFORE teardown(), so a run never removes the engine another run is using.
 */
def lock(Map e, int minutes = 15) {
    def dir = new File(System.getProperty("java.io.tmpdir"), "sancho-it-locks")
    dir.mkdirs()
    def channel = new RandomAccessFile(new File(dir, e.name + ".lock"), "rw").channel
    def l = channel.tryLock()
    if (l == null) {
        println "${e.name}: waiting for another run that uses the same dedicated engine"
        assert within(minutes * 60, 500) { (l = channel.tryLock()) != null } : "${e.name}: lock held for ${minutes} min"
    }
    System.properties.put("sancho.engine.lock." + e.name, l)
}

def unlock(Map e) {
    def l = System.properties.remove("sancho.engine.lock." + e.name)
    if (l != null) {
        l.release()
        l.channel().close()
    }
}

/** scripts/dedicated-engine.sh COMMAND NAME ARGS: the engine's lifecycle, shared with bench/faults.sh. */
def engineScript(Map e, String command, List args = []) {
    def r = run(["bash", e.script, command, e.name] + args)
    assert r.code == 0 : "scripts/dedicated-engine.sh ${command} ${e.name} failed: ${r.err ?: r.out}"
    r.out
}

/** Starts the dedicated dockerd (namespace included) and waits until it answers; dockerd's output goes to LOG. */
double start(Map e, File log, List dockerdArgs = []) {
    engineScript(e, "start", [log.absolutePath] + dockerdArgs) as double
}

/** SIGTERM to the dedicated dockerd, as at a host shutdown; waits until it has exited. Returns seconds. */
double stop(Map e) {
    engineScript(e, "stop") as double
}

/** Removes every trace of the dedicated engine (also of a killed run); fails naming what it could not remove. */
def teardown(Map e) {
    engineScript(e, "teardown")
}

/** Tears the engine down when process PID (e.g. this Maven JVM) exits before teardown() ran. */
def watch(Map e, long pid) {
    engineScript(e, "watch", [pid])
}

def unwatch(Map e) {
    engineScript(e, "unwatch")
}

/** Copies images from the main engine (else the cache tars) into the dedicated one. Returns seconds. */
double loadImages(Map e, List<String> images) {
    engineScript(e, "load", images) as double
}

/** Processes of the engine still alive (containerd, shims, container processes). */
List<Long> leftoverPids(Map e) {
    long self = ProcessHandle.current().pid()
    def pids = new TreeSet<Long>()
    new File("/proc").listFiles().findAll { it.name.isLong() }.each { p ->
        long pid = p.name as long
        if (pid != self && alive(pid) && cmdline(pid).contains(e.dir + "/")) pids << pid
    }
    new File("/sys/fs/cgroup").listFiles()?.each { ctl ->
        def top = new File(ctl, e.name)
        if (top.isDirectory()) {
            top.eachFileRecurse { f -> if (f.name == "cgroup.procs") f.readLines().findAll { it.isLong() }.each { pids << (it as long) } }
        }
    }
    pids.toList()
}

/** State letter of a process (R, S, Z, ...) or null when there is none. */
String procState(long pid) {
    try {
        def s = new File("/proc/${pid}/stat").text
        return s.substring(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3)
    } catch (IOException ignored) {
        return null
    }
}

boolean alive(long pid) {
    def s = procState(pid)
    s != null && s != "Z" && s != "X"
}

String cmdline(long pid) {
    try {
        new String(new File("/proc/${pid}/cmdline").bytes, "ISO-8859-1").replace("\u0000", " ")
    } catch (IOException ignored) {
        ""
    }
}

/** Container by exact name on the dedicated engine: [id, name, state, health, restart, labels] or null. */
def container(Map e, String name) {
    def r = docker(e, "inspect", "--type", "container", name)
    if (r.code != 0) {
        return null
    }
    def c = new groovy.json.JsonSlurper().parseText(r.out)[0]
    assert c.Name == "/" + name
    [id: c.Id, name: name, state: c.State.Status, health: c.State.Health?.Status ?: "none",
     restart: c.HostConfig.RestartPolicy?.Name ?: "no", startedAt: c.State.StartedAt, labels: c.Config.Labels ?: [:]]
}

/** Names of the containers with label sancho.project=PROJECT (and the extra filters), sorted. */
List<String> names(Map e, String project, List<String> filters = []) {
    def args = ["ps", "-a", "--filter", "label=sancho.project=" + project]
    filters.each { args += ["--filter", it] }
    def out = dockerOk(e, *(args + ["--format", "{{.Names}}"]))
    out.isEmpty() ? [] : out.readLines()*.trim().sort()
}

/** psql inside the database container (local socket). */
def psql(Map e, String container, String user, String db, String sql) {
    def r = docker(e, "exec", container, "psql", "-v", "ON_ERROR_STOP=1", "-At", "-U", user, "-d", db, "-c", sql)
    assert r.code == 0 : "psql in ${container} failed: ${r.err}"
    r.out
}

@Field static final String GET_JAVA = '''
import java.net.*; import java.io.*;
/** GET http://127.0.0.1:PORT/PATH COUNT times per path, one line each: "<path> <status|ERR> <ms> <first body line>". */
public class NsGet {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]), count = Integer.parseInt(a[1]);
        for (int i = 0; i < count; i++) {
            for (int k = 2; k < a.length; k++) {
                long t = System.nanoTime();
                String line;
                try {
                    HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + a[k]).openConnection();
                    c.setConnectTimeout(3000); c.setReadTimeout(5000); c.setRequestProperty("Connection", "close");
                    int s = c.getResponseCode();
                    InputStream in = s < 400 ? c.getInputStream() : c.getErrorStream();
                    String body = in == null ? "" : new String(in.readAllBytes()).trim().replace('\\n', ' ');
                    line = s + " " + (System.nanoTime() - t) / 1000000 + " " + body;
                } catch (Exception e) {
                    line = "ERR " + (System.nanoTime() - t) / 1000000 + " " + e;
                }
                System.out.println(a[k] + " " + line);
            }
        }
    }
}
'''

/**
 * GETs through a port published on the namespace's 127.0.0.1, from a JVM started inside the namespace (the JDK is
 * the one HTTP client every machine running these ITs has). COUNT rounds over PATHS; returns
 * [[path, status (-1: no answer), ms, body], ...] in order.
 */
List get(Map e, int port, int count, List<String> paths) {
    def classes = new File(e.dir, "nsget")
    def jdk = System.getProperty("java.home")
    if (!new File(classes, "NsGet.class").exists()) { // compiled once per engine directory: each GET run is ~0.3 s
        classes.mkdirs()
        def src = new File(classes, "NsGet.java")
        src.text = GET_JAVA
        runOk([new File(jdk, "bin/javac").path, "-d", classes.path, src.path])
    }
    def r = inNs(e, [new File(jdk, "bin/java").path, "-XX:TieredStopAtLevel=1", "-cp", classes.path, "NsGet", port, count] + paths)
    assert r.code == 0 : "GET client failed: ${r.err}"
    r.out.readLines().collect { l ->
        def p = l.split(" ", 4)
        [path: p[0], status: p[1] == "ERR" ? -1 : p[1] as int, ms: p[2] as long, body: p.length > 3 ? p[3] : ""]
    }
}

/** The deploy id in an answer of the test app (`hostname=... version=... deploy=ID`), or null. */
String deployOf(String body) {
    def m = body =~ /deploy=(\S*)/
    m.find() ? m.group(1) : null
}

/**
 * Starts `mvn` on the IT project as the invoker does (same Maven, the invoker's settings, the IT's local repository)
 * with DOCKER_HOST pointing at the dedicated engine. Output goes to LOG. Returns the Process.
 */
def startMaven(Map e, File basedir, File localRepo, File log, List args) {
    def mvn = new File(System.getProperty("maven.home"), "bin/mvn").absolutePath
    def userRepo = new File(System.getProperty("maven.repo.local") ?: System.getProperty("user.home") + "/.m2/repository")
    def settings = new File(basedir, "engine-it-settings.xml")
    settings.text = new File(basedir, "../../../src/it/settings.xml").text
            .replace("@localRepositoryUrl@", userRepo.toURI().toString())
    def cmd = [mvn, "-B", "-o", "-s", settings.absolutePath, "-Dmaven.repo.local=${localRepo.absolutePath}"] + args
    def pb = new ProcessBuilder(cmd.collect { it.toString() }).directory(basedir).redirectErrorStream(true)
            .redirectOutput(log).redirectInput(new File("/dev/null"))
    pb.environment().put("DOCKER_HOST", e.host)
    pb.environment().remove("DOCKER_CONTEXT")
    pb.start()
}

/** Runs `mvn` to the end (at most SECONDS); returns [code, log text, seconds]. */
def mvn(Map e, File basedir, File localRepo, String name, List args, int seconds = 180) {
    def log = new File(basedir, name + ".log")
    long t0 = System.nanoTime()
    def p = startMaven(e, basedir, localRepo, log, args)
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly()
        assert false : "mvn ${args.join(' ')} did not finish within ${seconds} s (log: ${log})"
    }
    [code: p.exitValue(), log: log.text, seconds: (System.nanoTime() - t0) / 1e9]
}

/** scripts/swarm.sh with ARGS (up, down, watch, unwatch: see the script). */
def swarm(String... args) {
    run(["bash", new File(REPO, "scripts/swarm.sh").path] + args.toList())
}

/**
 * A swarm IT's setup: checks the tools, takes node 1's IT lock, removes what a killed earlier run left, starts an
 * N-node swarm NAME (scripts/swarm.sh up: dedicated engines NAME-1..N in their own namespaces, the test images in each),
 * starts the watchdog that removes it when this Maven ends without verify.groovy's finally, and creates the database's
 * external VOLUME on node 1 (the manager). On any failure the swarm is removed again and the lock released.
 */
def swarmSetup(File basedir, String itName, String name, int nodes, String volume) {
    def e = engine(name + "-1")
    ["ip", "nsenter", "setsid", "dockerd", "umount", "python3"].each { tool ->
        assert run(["sh", "-c", "command -v " + tool]).code == 0 : "${itName} needs ${tool} on PATH"
    }
    lock(e)
    swarm("unwatch", name)
    def d = swarm("down", name)
    assert d.code == 0 : "removing an earlier run's swarm failed: ${d.err}"
    try {
        def up = swarm("up", name, String.valueOf(nodes), basedir.absolutePath)
        assert up.code == 0 : "scripts/swarm.sh up failed: ${up.err}"
        def w = swarm("watch", name, ProcessHandle.current().pid() as String)
        assert w.code == 0 : w.err
        dockerOk(e, "volume", "create", volume)
        println "${itName}: ${up.out}"
    } catch (Throwable t) {
        swarm("down", name)
        swarm("unwatch", name)
        unlock(e)
        throw t
    }
}
