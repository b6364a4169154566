// The primitives every IT hook shares (not an IT itself: no pom.xml): running a process and the docker CLI, waiting
// for a condition, GET on 127.0.0.1, container inspection, removing what an IT created, the per-IT lock.
// A hook loads it directly with
//   def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/ItLib.groovy"))
// or through DeployIt.groovy / OpsIt.groovy, which add their own helpers and pass every other call on to this file.
// Everything is selected by exact name or by a label of a project these ITs own; nothing else is touched.

/** Runs a command (in DIR, with INPUT on its stdin when given); returns [code, out, err]. */
def run(List cmd, File dir = null, String input = null) {
    def p = dir == null ? cmd.execute() : cmd.execute(null, dir)
    if (input != null) {
        p.outputStream.withWriter { it << input }
    }
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    [code: p.exitValue(), out: out.toString().trim(), err: err.toString().trim()]
}

/** Runs the docker CLI; returns [code, out, err]. */
def docker(String... args) {
    run(["docker"] + args.toList())
}

/** Runs the docker CLI and fails unless it succeeds; returns its output. */
def dockerOk(String... args) {
    def r = docker(args)
    assert r.code == 0 : "docker ${args.join(' ')} failed: ${r.err}"
    r.out
}

/** Polls the condition every POLLMS ms until it holds (true) or SECONDS have passed (false); it is tried at least once. */
boolean within(int seconds, int pollMs = 100, Closure<Boolean> condition) {
    long end = System.currentTimeMillis() + seconds * 1000L
    while (!condition()) {
        if (System.currentTimeMillis() >= end) {
            return false
        }
        Thread.sleep(pollMs)
    }
    true
}

/** Waits until the condition holds, polling every 100 ms; fails naming WHAT after the timeout. */
def await(int seconds, String what, Closure<Boolean> condition) {
    assert within(seconds, condition) : "timed out after ${seconds} s waiting for: ${what}"
}

/** GET on 127.0.0.1 only; returns [status, body] or [status: -1, body: error]. */
def get(int port, String path = "/") {
    try {
        def c = (HttpURLConnection) new URL("http://127.0.0.1:${port}${path}").openConnection()
        c.connectTimeout = 2000
        c.readTimeout = 5000
        def status = c.responseCode
        def body = (status < 400 ? c.inputStream : c.errorStream)?.text ?: ""
        [status: status, body: body]
    } catch (Exception e) {
        [status: -1, body: e.toString()]
    }
}

/**
 * Container by exact name: [id, state, health ("none" without a healthcheck), labels] or null.
 * `docker inspect NAME` matches names exactly.
 */
def container(String name) {
    def r = docker("inspect", "--type", "container", name)
    if (r.code != 0) {
        return null
    }
    def c = new groovy.json.JsonSlurper().parseText(r.out)[0]
    assert c.Name == "/" + name : "docker inspect ${name} answered ${c.Name}"
    [id: c.Id, state: c.State.Status, health: c.State.Health?.Status ?: "none", labels: c.Config.Labels ?: [:]]
}

/** Names of the containers carrying label KEY=VALUE (running or not). */
def namesByLabel(String key, String value) {
    def out = dockerOk("ps", "-a", "--filter", "label=${key}=${value}", "--format", "{{.Names}}")
    out.isEmpty() ? [] : out.readLines()*.trim()
}

/** Removes exactly these containers when they exist (-v: with their anonymous volumes, never named ones). */
def removeContainers(List names) {
    names.each { n ->
        if (container(n) != null) {
            def r = docker("rm", "-f", "-v", n)
            assert r.code == 0 : "cannot remove test container ${n}: ${r.err}"
        }
    }
}

/** Removes exactly these volumes when they exist (never by pattern). */
def removeVolumes(List names) {
    names.each { n ->
        if (docker("volume", "inspect", n).code == 0) {
            def r = docker("volume", "rm", n)
            assert r.code == 0 : "cannot remove test volume ${n}: ${r.err}"
        }
    }
}

/**
 * Removes every container of a project these ITs own (by label), then the given volumes, the project's digest key
 * volume (created by its first deploy), its audit trail volume (written by deploy, rollback, recover, unlock) and the
 * networks.
 */
def removeProject(String project, List volumes, List networks) {
    removeContainers(namesByLabel("sancho.project", project))
    removeVolumes(volumes + [project + "_sancho_digest_key", project + "_sancho_audit"])
    def labelled = dockerOk("network", "ls", "--filter", "label=sancho.project=${project}", "--format", "{{.Name}}")
    (networks + (labelled.isEmpty() ? [] : labelled.readLines())).unique().each { n ->
        if (docker("network", "inspect", n).code == 0) dockerOk("network", "rm", n)
    }
}

/**
 * Every worktree of this repository that runs `./mvnw verify` runs these ITs, with the same fixed names, against the
 * one shared engine. An exclusive OS file lock per IT, taken in setup.groovy and released at the end of
 * verify.groovy (or when that Maven JVM exits), makes such runs take turns instead of removing each other's
 * containers mid-run.
 */
def lockIt(String name, int minutes = 15) {
    def dir = new File(System.getProperty("java.io.tmpdir"), "sancho-it-locks")
    dir.mkdirs()
    def channel = new RandomAccessFile(new File(dir, name + ".lock"), "rw").channel
    def lock = channel.tryLock()
    if (lock == null) {
        println "IT ${name}: waiting for another run of the same IT (same container names) to finish"
        assert within(minutes * 60, 500) { (lock = channel.tryLock()) != null } :
                "another run of IT ${name} (another worktree?) held its lock for ${minutes} min"
    }
    System.getProperties().put("sancho.it.lock." + name, lock)
}

def unlockIt(String name) {
    def lock = System.getProperties().remove("sancho.it.lock." + name)
    if (lock != null) {
        lock.release()
        lock.channel().close()
    }
}
