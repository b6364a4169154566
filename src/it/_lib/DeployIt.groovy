// Helpers shared by the deploy-* ITs (not an IT itself: no pom.xml). Load with
//   def it = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
// Everything is selected by exact name or by a label of a project these ITs own; nothing else is touched.

/** Runs a command; returns [code, out, err]. */
def run(List cmd, File dir = null) {
    def p = dir == null ? cmd.execute() : cmd.execute(null, dir)
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    [code: p.exitValue(), out: out.toString().trim(), err: err.toString().trim()]
}

def docker(String... args) {
    run(["docker"] + args.toList())
}

def dockerOk(String... args) {
    def r = docker(args)
    assert r.code == 0 : "docker ${args.join(' ')} failed: ${r.err}"
    r.out
}

/** Container by exact name: [id, state, labels] or null. `docker inspect NAME` matches names exactly. */
def container(String name) {
    def r = docker("inspect", "--type", "container", "--format",
            "{{.Id}}|{{.State.Status}}|{{json .Config.Labels}}|{{.Name}}", name)
    if (r.code != 0) {
        return null
    }
    def (id, state, labels, n) = r.out.split(/\|/, 4) as List
    assert n == "/" + name : "docker inspect ${name} answered ${n}"
    [id: id, state: state, labels: new groovy.json.JsonSlurper().parseText(labels) ?: [:]]
}

/** Names of the containers carrying label KEY=VALUE (running or not). */
def namesByLabel(String key, String value) {
    def out = dockerOk("ps", "-a", "--filter", "label=${key}=${value}", "--format", "{{.Names}}")
    out.isEmpty() ? [] : out.readLines()*.trim()
}

/** Removes exactly these containers when they exist. */
def removeContainers(List names) {
    names.each { n ->
        if (container(n) != null) {
            def r = docker("rm", "-f", "-v", n)
            assert r.code == 0 : "cannot remove test container ${n}: ${r.err}"
        }
    }
}

/** Removes every container of a project these ITs own (by label), then the given volumes and networks. */
def removeProject(String project, List volumes, List networks) {
    removeContainers(namesByLabel("sancho.project", project))
    volumes.each { v -> if (docker("volume", "inspect", v).code == 0) dockerOk("volume", "rm", v) }
    def labelled = dockerOk("network", "ls", "--filter", "label=sancho.project=${project}", "--format", "{{.Name}}")
    (networks + (labelled.isEmpty() ? [] : labelled.readLines())).unique().each { n ->
        if (docker("network", "inspect", n).code == 0) dockerOk("network", "rm", n)
    }
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

/** Polls GET until the body contains text (the proxy resolves the alias again within ~1 s). */
def awaitBody(int port, String text, int seconds = 15) {
    def last = null
    long end = System.currentTimeMillis() + seconds * 1000L
    while (System.currentTimeMillis() < end) {
        last = get(port)
        if (last.status == 200 && last.body.contains(text)) {
            return last
        }
        Thread.sleep(200)
    }
    assert false : "127.0.0.1:${port} never answered with '${text}'; last answer: ${last}"
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

/** Waits until the condition holds, polling every 100 ms; fails with the message after the timeout. */
def await(int seconds, String what, Closure<Boolean> condition) {
    long end = System.currentTimeMillis() + seconds * 1000L
    while (System.currentTimeMillis() < end) {
        if (condition()) {
            return
        }
        Thread.sleep(100)
    }
    assert false : "timed out after ${seconds} s waiting for: ${what}"
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
    long end = System.currentTimeMillis() + minutes * 60_000L
    def lock = null
    boolean told = false
    while ((lock = channel.tryLock()) == null) {
        assert System.currentTimeMillis() < end : "another run of IT ${name} (another worktree?) held its lock for ${minutes} min"
        if (!told) {
            println "IT ${name}: waiting for another run of the same IT (same container names) to finish"
            told = true
        }
        Thread.sleep(500)
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

return this
