// Two app projects behind the edge proxy. Both poms say <artifactId>sanchomp-app</artifactId> and neither compose
// file has a name: at first, so both are project sanchomp-app: the second (another groupId) is refused in one line
// before anything changes, and the first keeps running untouched. With name: sanchomp-blog the second deploys beside
// the first; then each is redeployed 3 times while a client loop asks both through the proxy: 0 failed requests,
// and each deploy touched only its own project's containers.
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean

def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def goal = "dev.sancho:sancho-maven-plugin:${version}:deploy"
int port = (new File(basedir, ".env").text =~ /PROXY_PORT=(\d+)/)[0][1] as int
def APP_A = "dev.sancho.it.shop:sanchomp-app:docker-compose.yml"
def APP_B = "dev.sancho.it.blog:sanchomp-app:docker-compose.yml"

/** An app project: a pom with artifactId sanchomp-app, an infrastructure service kv, an app service on the edge. */
def project = { String dir, String group, String service, String name ->
    def d = new File(basedir, dir)
    d.mkdirs()
    new File(d, "pom.xml").text = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>${group}</groupId>
  <artifactId>sanchomp-app</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <build><plugins><plugin>
    <groupId>dev.sancho</groupId><artifactId>sancho-maven-plugin</artifactId><version>${version}</version>
    <configuration><infrastructure><service>kv</service></infrastructure><keep>1</keep></configuration>
  </plugin></plugins></build>
</project>
"""
    new File(d, "docker-compose.yml").text = (name == null ? "" : "name: ${name}\n") + """services:
  kv:
    image: sancho-it/app:1
    environment:
      APP_QUIET: "1"
  ${service}:
    image: sancho-it/app:1
    environment:
      DEPLOY_ID: \${DEPLOY_ID}
      APP_QUIET: "1"
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
      interval: 500ms
      retries: 20
    stop_grace_period: 5s
    networks:
      - default
      - edge
networks:
  edge:
    name: sanchomp_edge_net
    external: true
"""
}
def deploy = { String dir, String id ->
    def log = new File(basedir, "${dir}-${id}.log")
    def p = lib.startMaven(basedir, repo, log, [goal, "-f", "${dir}/pom.xml", "-Dsancho.deployId=${id}"])
    assert p.waitFor(240, TimeUnit.SECONDS) : "deploy ${dir} ${id} hung"
    [code: p.exitValue(), log: log.text]
}
/** GET / with a Host header over a plain socket (HttpURLConnection will not send Host). */
def get = { String host ->
    long t = System.nanoTime()
    def r = [host: host]
    try {
        new Socket("127.0.0.1", port).withCloseable { s ->
            s.soTimeout = 5000
            s.outputStream << "GET / HTTP/1.0\r\nHost: ${host}\r\nConnection: close\r\n\r\n"
            s.outputStream.flush()
            def text = s.inputStream.getText("UTF-8")
            r.status = (text =~ /^HTTP\/1\.\d (\d+)/).with { m -> m.find() ? m.group(1) as int : -1 }
            r.deploy = (text =~ /deploy=(\S*)/).with { m -> m.find() ? m.group(1) : null }
            r.ok = r.status == 200
        }
    } catch (Exception e) {
        r.ok = false
        r.error = e.class.simpleName + ": " + e.message
    }
    r.ms = (System.nanoTime() - t).intdiv(1_000_000)
    r
}

def stop = new AtomicBoolean(false)
Thread loop = null
try {
    assert new File(basedir, "build.log").text.contains("Created sanchomp_proxy (infrastructure)")
    project("shop", "dev.sancho.it.shop", "shop", null)
    project("blog", "dev.sancho.it.blog", "blog", null)

    def a1 = deploy("shop", "a1")
    assert a1.code == 0 : a1.log
    assert lib.container("sanchomp-app_shop_a1").labels["sancho.identity"] == APP_A
    def kvA = lib.container("sanchomp-app_kv")
    assert kvA.labels["sancho.identity"] == APP_A

    // --- the second project of the same name: refused in one line, nothing changed
    def ours = { -> lib.dockerOk("ps", "-a", "--format", "{{.ID}} {{.Names}}").readLines().findAll { it.contains(" sanchomp") }.sort() }
    def before = ours()
    def b0 = deploy("blog", "b0")
    assert b0.code != 0 : b0.log
    def refusal = b0.log.readLines().find { it.contains("[ERROR]") && it.contains("project sanchomp-app on the engine") }
    assert refusal != null : b0.log
    assert refusal.contains("belongs to ${APP_A}, not to this build (${APP_B}): container sanchomp-app_") : refusal
    assert refusal.contains("; nothing was changed. Another project of the same name? Give this one its own: name: in ")
    assert refusal.contains(" or -Dsancho.project. The same project, moved (groupId, artifactId or compose file)? Set <identity>${APP_A}</identity> (sancho.identity)")
    assert !b0.log.contains("\tat ") && !b0.log.contains("Created ") && !b0.log.contains("Plan for project")
    assert ours() == before : "containers changed: ${before} -> ${ours()}"
    assert lib.container("sanchomp-app_shop_a1").state == "running"
    assert lib.container("sanchomp-app_kv").id == kvA.id

    // --- with a name of its own it deploys beside the first
    project("blog", "dev.sancho.it.blog", "blog", "sanchomp-blog")
    def b1 = deploy("blog", "b1")
    assert b1.code == 0 : b1.log
    def kvB = lib.container("sanchomp-blog_kv")
    assert kvB.labels["sancho.identity"] == APP_B
    lib.await(30, "both answer through the proxy") { get("shop.local").deploy == "a1" && get("blog.local").deploy == "b1" }

    // --- redeploys under a client loop to both (20 req/s, 127.0.0.1 only)
    def results = new ConcurrentLinkedQueue()
    loop = new Thread({
        def pool = java.util.concurrent.Executors.newFixedThreadPool(20)
        long start = System.currentTimeMillis()
        int i = 0
        try {
            while (!stop.get() && System.currentTimeMillis() < start + 600_000) {
                String host = i % 2 == 0 ? "shop.local" : "blog.local"
                long sent = System.currentTimeMillis() - start
                pool.submit({ def r = get(host); r.t = sent; results.add(r) } as Runnable)
                i++
                long wait = start + i * 50L - System.currentTimeMillis()
                if (wait > 0) Thread.sleep(wait)
            }
        } finally {
            pool.shutdown()
            pool.awaitTermination(15, TimeUnit.SECONDS)
        }
    } as Runnable, "sanchomp-client-loop")
    loop.daemon = true
    loop.start()
    def logs = [:]
    [["shop", "a2"], ["blog", "b2"], ["shop", "a3"], ["blog", "b3"], ["shop", "a4"], ["blog", "b4"]].each { d, id ->
        def r = deploy(d, id)
        assert r.code == 0 : r.log
        logs[id] = r.log
    }
    Thread.sleep(2000)
    stop.set(true)
    loop.join(30_000)

    def all = results.toList().sort { it.t }
    def failed = all.findAll { !it.ok }
    println "multi-project-edge: ${all.size()} requests (${all.count { it.host == 'shop.local' }} shop, " +
            "${all.count { it.host == 'blog.local' }} blog) through one proxy during 6 redeploys, ${failed.size()} failed," +
            " max ${all*.ms.max()} ms"
    new File(basedir, "requests.txt").text = all.collect { "${it.t} ${it.host} ${it.status ?: it.error} ${it.ms} ${it.deploy}" }.join("\n")
    assert all.size() >= 200 : "only ${all.size()} requests"
    assert failed.isEmpty() : "${failed.size()} requests failed (requests.txt), first: ${failed.take(5)}"
    ["shop.local": ["a1", "a2", "a3", "a4"], "blog.local": ["b1", "b2", "b3", "b4"]].each { host, ids ->
        def seen = []
        all.findAll { it.host == host }.each { r -> if (!seen.contains(r.deploy)) seen << r.deploy }
        assert seen == ids : "${host} answered deploys ${seen} in this order"
    }

    // each deploy touched only its own project
    ["a2", "a3", "a4"].each { id -> assert !logs[id].contains("sanchomp-blog_") : "deploy ${id} of shop named blog's containers" }
    ["b2", "b3", "b4"].each { id -> assert !logs[id].contains("sanchomp-app_") : "deploy ${id} of blog named shop's containers" }
    assert lib.container("sanchomp-app_kv").id == kvA.id && lib.container("sanchomp-blog_kv").id == kvB.id
    assert lib.container("sanchomp-app_shop_a4").state == "running" && lib.container("sanchomp-app_shop_a3").state == "exited"
    assert lib.container("sanchomp-blog_blog_b4").state == "running" && lib.container("sanchomp-blog_blog_b3").state == "exited"
    assert lib.container("sanchomp_proxy").state == "running"
    ["sanchomp-app", "sanchomp-blog", "sanchomp_edge"].each { p -> assert lib.container("${p}_sancho_lock") == null }
} finally {
    stop.set(true)
    loop?.join(30_000)
    ["sanchomp-app", "sanchomp-blog"].each { p ->
        lib.removeContainers(["${p}_sancho_lock"])
        lib.removeProject(p, [], ["${p}_default"])
    }
    lib.removeContainers(["sanchomp_proxy", "sanchomp_edge_sancho_lock"])
    lib.removeProject("sanchomp_edge", [], ["sanchomp_edge_net"])
    lib.unlockIt("multi-project-edge")
}
true
