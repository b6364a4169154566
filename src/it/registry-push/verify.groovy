// sancho.push: a wrong password fails the deploy in one line naming the registry after the build, before any
// container exists; with the right one the deploy pushes the per-deploy tag and the image: tag into the registry
// and runs the pushed reference. Then every local copy of the image is removed (what an engine that did not build
// it holds) and a deploy with skipBuild pulls the pushed per-deploy tag from the registry and serves it; then a
// second, clean engine (own dockerd and network namespace, no images) does the same.
def reg = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/RegistryIt.groovy"))
def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
def e = null
def nsRegistry = null
def r = reg.coordinates(basedir)
def P = "sanchopush"
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def plugin = "dev.sancho:sancho-maven-plugin:${version}"
int http = reg.freePort()
def repository = "${r.host}/sanchopush/backend".toString()
def image = "${repository}:1".toString()
def empty = new File(basedir, "empty-docker-config"); empty.mkdirs()
def env = [SANCHOPUSH_IMAGE: image, SANCHOPUSH_HTTP: http, DOCKER_CONFIG: empty.absolutePath]
def settings = { String name, String password -> reg.settings(basedir, new File(basedir, name + "-settings.xml"),
        "<server><id>${r.host}</id><username>${r.user}</username><password>${password}</password></server>") }
def tail = { String log -> log.readLines().takeRight(30).join("\n") }
def localTags = { -> ["${P}/backend:p0", "${P}/backend:p1", "${repository}:p0", "${repository}:p1", image]*.toString() }
def removeLocal = { -> localTags().each { t -> if (reg.docker("image", "inspect", t).code == 0) reg.dockerOk("rmi", t) } }
def registryTags = { ->
    def c = (HttpURLConnection) new URL("http://${r.host}/v2/sanchopush/backend/tags/list").openConnection()
    c.setRequestProperty("Authorization", "Basic " + Base64.encoder.encodeToString("${r.user}:${r.password}".getBytes("UTF-8")))
    c.responseCode == 200 ? new groovy.json.JsonSlurper().parse(c.inputStream).tags.sort() : []
}
def served = { String id ->
    def answer = null
    assert reg.within(15) { (answer = reg.get(http)).status == 200 && answer.body.contains("deploy=" + id) } :
            "${id}: 127.0.0.1:${http} answered ${answer}"
}
try {
    // 1. a wrong password: the build ran, the push is refused in one line naming the registry; no container
    def bad = reg.mvn(basedir, repo, "deploy-p0", settings("wrong", "not-the-Pw-1"), env,
            ["${plugin}:deploy", "-Dsancho.deployId=p0", "-Dsancho.push"])
    assert bad.code != 0 : "a refused push must fail the deploy"
    def line = bad.log.readLines().find { it.startsWith("[ERROR]") && it.contains("refused the push") }
    assert line != null : tail(bad.log)
    assert line.contains("cannot push service backend: registry ${r.host} refused the push of ${repository}:p0 with the credentials from settings.xml server '${r.host}'")
    assert line.contains("stopped before changing any container")
    assert !bad.log.contains("not-the-Pw-1") && !bad.log.contains("\tat ")
    assert reg.namesByLabel("sancho.project", P).isEmpty() : "a container was created"
    assert registryTags() == []
    removeLocal()

    // 2. the right password: both tags pushed, the deploy runs the pushed per-deploy tag
    def good = settings("good", r.password)
    def p1 = reg.mvn(basedir, repo, "deploy-p1", good, env, ["${plugin}:deploy", "-Dsancho.deployId=p1", "-Dsancho.push"])
    assert p1.code == 0 : "deploy p1 failed:\n" + tail(p1.log)
    assert !p1.log.contains(r.password)
    assert p1.log.contains("Pushing ${repository}:p1 to ${r.host}")
    assert p1.log.contains("Pushing ${image} to ${r.host}")
    assert p1.log =~ /Pushed ${java.util.regex.Pattern.quote(repository)}:p1 \([0-9.]+ [kM]?B, \d+ of \d+ layers new\) in \d+ s, credentials from settings\.xml server/
    assert registryTags() == ["1", "p1"]
    def c1 = reg.container("${P}_backend_p1")
    assert c1?.state == "running"
    assert reg.dockerOk("inspect", "--format", "{{.Config.Image}}", "${P}_backend_p1") == "${repository}:p1"
    served("p1")

    // 3. what an engine that did not build it holds: nothing of the image. A deploy of the pushed tag pulls it.
    reg.removeProject(P, [], [])
    removeLocal()
    assert reg.docker("image", "inspect", "${repository}:p1").code != 0
    def again = reg.mvn(basedir, repo, "deploy-p1-elsewhere", good, env,
            ["${plugin}:deploy", "-Dsancho.deployId=p1", "-Dsancho.skipBuild", "-Dsancho.push"])
    assert again.code == 0 : "deploy of the pushed tag failed:\n" + tail(again.log)
    assert !again.log.contains("Building backend") && !again.log.contains("Pushing ")
    assert again.log.contains("Pulling ${repository}:p1 (not present locally)")
    assert again.log.contains("Pulled ${repository}:p1")
    served("p1")
    assert reg.dockerOk("exec", "${P}_backend_p1", "cat", "/built.txt") == "built by registry-push"

    // 4. a second, clean engine (scripts/dedicated-engine.sh: its own dockerd, data-root and network namespace,
    // no images at all) deploys the pushed tag. Its namespace has only its own loopback, so a second registry
    // process serves the SAME storage directory on 127.0.0.1:PORT inside it: the same name, the same content.
    // Needs root (CI runs as root); elsewhere this part is left out and says so.
    if (["id", "-u"].execute().text.trim() != "0") {
        println "registry-push: second-engine part SKIPPED: needs root for a dedicated dockerd in its own namespace"
        return true
    }
    e = eng.engine("sancho-push-it")
    eng.lock(e)
    eng.unwatch(e)
    eng.teardown(e)
    double up = eng.start(e, new File(basedir, "dockerd-second.log"))
    eng.watch(e, ProcessHandle.current().pid())
    assert eng.docker(e, "image", "ls", "-q").out == "" : "the second engine is not clean"
    nsRegistry = new ProcessBuilder("nsenter", "--net=" + e.nsPath, "docker-registry", "serve",
            new File(basedir, "registry/config.yml").absolutePath).redirectErrorStream(true)
            .redirectOutput(new File(basedir, "registry/registry-in-ns.log")).start()
    def nsReg = nsRegistry
    Runtime.runtime.addShutdownHook(new Thread({ nsReg.destroyForcibly() }))
    assert eng.within(15) { eng.inNs(e, ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${r.port}".toString()]).code == 0 } :
            "registry in the namespace did not listen: " + new File(basedir, "registry/registry-in-ns.log").text
    def second = reg.mvn(basedir, repo, "deploy-p1-second-engine", good, env + [DOCKER_HOST: e.host],
            ["${plugin}:deploy", "-Dsancho.deployId=p1", "-Dsancho.skipBuild", "-Dsancho.push"])
    assert second.code == 0 : "deploy on the second engine failed:\n" + tail(second.log)
    assert second.log.contains("Pulling ${repository}:p1 (not present locally)")
    assert second.log =~ /Pulled ${java.util.regex.Pattern.quote(repository)}:p1 \([0-9.]+ [kM]?B, 2 of 2 layers new\)/ :
            "a clean engine pulls every layer"
    assert eng.within(15, 300) { def a = eng.get(e, http, 1, ["/"])[0]; a.status == 200 && eng.deployOf(a.body) == "p1" } :
            "the second engine's deploy did not answer on its 127.0.0.1:${http}"
    assert eng.dockerOk(e, "exec", "${P}_backend_p1", "cat", "/built.txt") == "built by registry-push"
    println String.format("registry-push: second engine %s up in %.1f s, deployed the pushed tag", e.host, up)
} finally {
    reg.removeProject(P, [], [])
    removeLocal()
    if (nsRegistry != null) {
        nsRegistry.destroy()
        nsRegistry.waitFor()
    }
    if (e != null) {
        eng.teardown(e)
        eng.unwatch(e)
        eng.unlock(e)
    }
    reg.stop("registry-push")
    reg.unlockIt("registry-push")
}
true
