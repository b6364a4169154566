// Starts the sshd every goal of this IT goes through (scripts/test-sshd.sh: generated keys, known_hosts and client
// config under /tmp/sancho-ssh-it), after removing what an earlier run may have left (exact names, our project label).
def ssh = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/SshIt.groovy"))
ssh.lockIt("deploy-ssh")
ssh.removeContainers(["sanchossh_db_v2", "sanchossh_traefik_persistent", "sanchossh_sanchossh_lock"])
ssh.removeProject("sanchossh", ["sanchossh_postgres_data"], ["sanchossh_default"])
println "deploy-ssh: sshd on 127.0.0.1:${ssh.start("/tmp/sancho-ssh-it")}"
true
