// A private registry, empty: the deploys of verify.groovy push into it.
def reg = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/RegistryIt.groovy"))
reg.lockIt("registry-push")
reg.removeProject("sanchopush", [], [])
def r = reg.start(basedir, "registry-push", "sanchopush-user", "sanchopush-Pw-81b4e0")
try {
    new File(basedir, "registry/coordinates.json").text = groovy.json.JsonOutput.toJson(r.findAll { k, v -> k != "dir" })
} catch (Throwable t) {
    reg.stop("registry-push")
    throw t
}
true
