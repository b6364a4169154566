// Removes what an earlier run may have left (our project's label, exact names) and makes the project directory a git
// checkout of its own, so the deploys record its commit (the nearest .git upwards wins over the sancho checkout).
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/RegistryIt.groovy"))
lib.lockIt("ops-audit")
lib.removeProject("sanchoaud", [], ["sanchoaud_default"])
lib.removeContainers(["sanchoaud2_backend_a2"])
def git = { List args -> def r = lib.run(["git", "-c", "user.name=it", "-c", "user.email=it@example.invalid"] + args, basedir)
    assert r.code == 0 : "git ${args}: ${r.err}"; r.out }
new File(basedir, ".git").deleteDir() // a fresh history on every run (the invoker copies over an earlier run)
new File(basedir, ".gitignore").text = "*.log\n*-settings.xml\ntarget/\nbuild.log\n"
git(["init", "-q"])
git(["add", "pom.xml", "docker-compose.yml", ".gitignore"])
git(["commit", "-q", "-m", "first"])
true
