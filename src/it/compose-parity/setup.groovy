// Creates every service of docker-compose.yml once with docker-compose itself (created, never started); the
// invoker run then deploys the same file with sancho, and verify.groovy compares the two.
def lib = new GroovyShell().parse(new File(basedir, "parity.groovy"))
def version = lib.run(["docker-compose", "version", "--short"])
assert version.code == 0 : "docker-compose is not installed (.ci/run installs it: apt-get install -y" +
        " --no-install-recommends docker-compose): ${version.err}"
println "compose-parity: docker-compose ${version.out}"
lib.cleanup()
// --no-start: create only; the images are local, so nothing is pulled
def up = lib.run(["docker-compose", "--ansi", "never", "-p", lib.COMPOSE_PROJECT, "up", "--no-start"], basedir,
        [PARITY_NET: lib.COMPOSE_NET])
assert up.code == 0 : "docker-compose up --no-start failed:\n${up.out}\n${up.err}"
new File(basedir, "compose-up.log").text = up.out + "\n" + up.err
true
