// Starts the sshd every goal of this IT goes through (scripts/test-sshd.sh: generated keys, known_hosts and client
// config under /tmp/sancho-ssh-it), after removing what an earlier run may have left (exact names, our project label).
def ssh = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/SshIt.groovy"))
ssh.lockIt("deploy-ssh")
ssh.removeContainers(["sanchossh_db_v2", "sanchossh_traefik_persistent", "sanchossh_sancho_lock"])
ssh.removeProject("sanchossh", ["sanchossh_postgres_data"], ["sanchossh_default"])
// The engine's exec starts of this project, for the session count in verify.groovy (the events buffer of the engine is
// too short to ask afterwards); the recorder ends by itself after 15 minutes if verify.groovy never stops it.
def now = System.currentTimeMillis().intdiv(1000)
def events = new ProcessBuilder("docker", "-H", "unix:///var/run/docker.sock", "events", "--since", "${now}",
        "--until", "${now + 900}", "--filter", "event=exec_start", "--filter", "label=sancho.project=sanchossh",
        "--format", "{{.Action}}").redirectOutput(new File("/tmp/sancho-ssh-it-execs.log"))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start()
new File("/tmp/sancho-ssh-it-execs.pid").text = "${events.pid()}"
println "deploy-ssh: sshd on 127.0.0.1:${ssh.start("/tmp/sancho-ssh-it")}"
true
