// A private registry for the registry-* ITs (not an IT itself: no pom.xml): Debian's docker-registry (distribution
// 2.8) on a free 127.0.0.1 port with htpasswd auth, storage in the IT's own directory. The engine treats
// 127.0.0.0/8 registries as insecure, so plain HTTP works. setup.groovy starts it, verify.groovy stops it in its
// finally; a JVM shutdown hook stops it too when a build between the two fails. Every other call (docker, run,
// await, ...) goes to ItLib.groovy next to this file.
import groovy.transform.Field

@Field final base = new GroovyShell().parse(
        new File(new File(getClass().protectionDomain.codeSource.location.toURI()).parentFile, "ItLib.groovy"))

def methodMissing(String name, args) {
    base.invokeMethod(name, args)
}

int freePort() {
    new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")).withCloseable { it.localPort }
}

/** Starts the registry for IT NAME with one user; returns [port, host, user, password, dir]. */
def start(File basedir, String name, String user, String password) {
    ["docker-registry", "htpasswd"].each { tool ->
        assert run(["sh", "-c", "command -v " + tool]).code == 0 : "${tool} missing: .ci/run installs docker-registry and apache2-utils"
    }
    def dir = new File(basedir, "registry")
    dir.mkdirs()
    def h = run(["htpasswd", "-Bbn", user, password])
    assert h.code == 0 : "htpasswd failed: ${h.err}"
    new File(dir, "htpasswd").text = h.out + "\n"
    int port = freePort()
    new File(dir, "config.yml").text = """version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${new File(dir, "data").absolutePath}
http:
  addr: 127.0.0.1:${port}
auth:
  htpasswd:
    realm: sancho-it
    path: ${new File(dir, "htpasswd").absolutePath}
"""
    def p = new ProcessBuilder("docker-registry", "serve", new File(dir, "config.yml").absolutePath)
            .redirectErrorStream(true).redirectOutput(new File(dir, "registry.log")).start()
    System.getProperties().put("sancho.it.registry." + name, p)
    Runtime.runtime.addShutdownHook(new Thread({ p.destroyForcibly() }))
    if (!within(15) { p.alive && base.get(port, "/v2/").status == 401 }) {
        p.destroyForcibly()
        assert false : "registry did not answer on 127.0.0.1:${port} within 15 s: " + new File(dir, "registry.log").text
    }
    [port: port, host: "127.0.0.1:${port}".toString(), user: user, password: password, dir: dir]
}

/** Stops the registry of IT NAME (if this JVM started it) and waits for it to exit. */
def stop(String name) {
    def p = System.getProperties().remove("sancho.it.registry." + name)
    if (p != null) {
        p.destroy()
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly()
            p.waitFor()
        }
    }
}

/** The registry's coordinates setup.groovy wrote for verify.groovy. */
def coordinates(File basedir) {
    new groovy.json.JsonSlurper().parse(new File(basedir, "registry/coordinates.json"))
}

/** `docker login` into a fresh DOCKER_CONFIG directory, which then holds the registry's auths entry. */
def login(Map reg, File configDir) {
    configDir.mkdirs()
    def p = ["docker", "login", "-u", reg.user, "--password-stdin", reg.host].execute(["DOCKER_CONFIG=" + configDir.absolutePath, "PATH=" + System.getenv("PATH")], null)
    p.outputStream.withWriter { it << reg.password }
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    assert p.exitValue() == 0 : "docker login ${reg.host} failed: ${err}"
}

/** The docker CLI with DOCKER_CONFIG set; returns [code, out, err]. */
def dockerWith(File configDir, List args) {
    def p = (["docker"] + args).execute(["DOCKER_CONFIG=" + configDir.absolutePath, "PATH=" + System.getenv("PATH")], null)
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    [code: p.exitValue(), out: out.toString().trim(), err: err.toString().trim()]
}

/**
 * Runs `mvn` on the IT project as the invoker does (same Maven and local repository) with SETTINGS (a file) and the
 * environment changed by ENV (value null = removed); returns [code, log].
 */
def mvn(File basedir, File localRepo, String name, File settings, Map env, List args, int seconds = 180) {
    def mvn = new File(System.getProperty("maven.home"), "bin/mvn").absolutePath
    def log = new File(basedir, name + ".log")
    def cmd = [mvn, "-B", "-o", "-s", settings.absolutePath, "-Dmaven.repo.local=${localRepo.absolutePath}"] + args
    def pb = new ProcessBuilder(cmd.collect { it.toString() }).directory(basedir).redirectErrorStream(true)
            .redirectOutput(log).redirectInput(new File("/dev/null"))
    pb.environment().remove("DOCKER_CONTEXT")
    env.each { k, v -> if (v == null) pb.environment().remove(k) else pb.environment().put(k, v.toString()) }
    def p = pb.start()
    if (!p.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly()
        assert false : "mvn ${args.join(' ')} did not finish within ${seconds} s (log: ${log})"
    }
    [code: p.exitValue(), log: log.text]
}

/** The IT settings (src/it/settings.xml, as the invoker fills it) with extra SERVERS xml, written to FILE. */
def settings(File basedir, File file, String servers = "") {
    def userRepo = new File(System.getProperty("maven.repo.local") ?: System.getProperty("user.home") + "/.m2/repository")
    file.text = new File(basedir, "../../../src/it/settings.xml").text
            .replace("@localRepositoryUrl@", userRepo.toURI().toString())
            .replace("<servers>", "<servers>\n" + servers)
    file
}
