// Starts the sshd every goal of this IT goes through (scripts/test-sshd.sh: generated keys, known_hosts and client
// config under /tmp/sancho-ssh-it), after removing what an earlier run may have left (exact names, our project label).
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("deploy-ssh")
lib.removeContainers(["sanchossh_db_v2", "sanchossh_traefik_persistent", "sanchossh_sanchossh_lock"])
lib.removeProject("sanchossh", ["sanchossh_postgres_data"], ["sanchossh_default"])

def script = new File(basedir, "../../../scripts/test-sshd.sh").canonicalPath
def dir = "/tmp/sancho-ssh-it"
def r = lib.run(["bash", script, "start", dir])
assert r.code == 0 : "sshd did not start: ${r.err}"
// verify.groovy stops it; when a goal fails, verify.groovy does not run: this stops it when Maven exits
Runtime.runtime.addShutdownHook(new Thread({ ["bash", script, "stop", dir].execute().waitFor() }))
println "deploy-ssh: sshd on 127.0.0.1:${r.out}"
true
