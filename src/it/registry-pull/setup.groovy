// A private registry with one image: sancho-it/app:1 pushed as 127.0.0.1:PORT/sanchoreg/app:1 by `docker push`
// after `docker login` (into the IT's own DOCKER_CONFIG), then the local tag removed, so a deploy must pull it.
def reg = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/RegistryIt.groovy"))
reg.lockIt("registry-pull")
reg.removeProject("sanchoreg", [], [])
def r = reg.start(basedir, "registry-pull", "sanchoreg-user", "sanchoreg-Pw-5d27c9")
try {
    def image = "${r.host}/sanchoreg/app:1".toString()
    def login = new File(basedir, "login-config")
    reg.login(r, login)
    reg.dockerOk("tag", "sancho-it/app:1", image)
    def push = reg.dockerWith(login, ["push", image])
    assert push.code == 0 : "docker push ${image} failed: ${push.err}"
    reg.dockerOk("rmi", image)
    r.image = image
    r.digest = (push.out =~ /digest: (sha256:[0-9a-f]{64})/)[0][1]
    new File(basedir, "registry/coordinates.json").text = groovy.json.JsonOutput.toJson(r.findAll { k, v -> k != "dir" })
} catch (Throwable t) {
    reg.stop("registry-pull")
    throw t
}
true
