// Each failure is the build's one [ERROR] line naming the host and saying what to do; no stack trace; the engine
// holds nothing of project sanchosshno afterwards (no container, no volume, no lock, no network).
def ssh = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/SshIt.groovy"))
def dir = "/tmp/sancho-ssh-refused-it"
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def plugin = "dev.sancho:sancho-maven-plugin:${version}"
def port = new File(dir, "port").text.trim()

/** The first [ERROR] line of a failed build; asserts it is the only line of the failure (no trace, no cause lines). */
def failure = { String log ->
    assert log.contains("BUILD FAILURE")
    assert !(log =~ /(?m)^\s+at [a-z]/) : "a stack trace in the log"
    assert !log.contains("Caused by") && !(log =~ /\w+Exception:/) : "an exception in the log"
    def lines = log.readLines().findAll { it.startsWith("[ERROR]") && !it.trim().equals("[ERROR]") }
    def first = lines[0]
    // Maven's own help lines follow ("To see the full stack trace ...", "Re-run Maven ..."): ours is the first one
    first
}
def nothingChanged = {
    assert ssh.namesByLabel("sancho.project", "sanchosshno") == []
    assert ssh.docker("volume", "inspect", "sanchosshno_data").code != 0 : "a volume was created"
    assert ssh.docker("network", "inspect", "sanchosshno_default").code != 0 : "a network was created"
}
def deploy = { String name, String host, String options ->
    ssh.mvn(basedir, repo, name, ["${plugin}:deploy", "-Dsancho.deployId=${name}", "-Dsancho.dockerHost=${host}",
                                  "-Dsancho.sshOptions=${options}"])
}
try {
    // 1. the invoker's build: host key unknown (empty known_hosts, strict checking), through the ssh_config alias
    def unknown = failure(new File(basedir, "build.log").text)
    println "unknown host key: ${unknown}"
    assert unknown.contains("Cannot reach Docker at ssh://root@sancho-it-ssh: the ssh host key of sancho-it-ssh is not known or has changed")
    assert unknown.contains("Host key verification failed")
    nothingChanged()

    // 2. a client key that is not in authorized_keys; the address spells user, host and port
    def r = deploy("refused", "ssh://root@127.0.0.1:${port}", "-F ${dir}/ssh_config_refused")
    assert r.code != 0
    def refused = failure(r.log)
    println "refused key: ${refused}"
    assert refused.contains("Cannot reach Docker at ssh://root@127.0.0.1:${port}: ssh authentication as root to 127.0.0.1 port ${port} was refused (root@127.0.0.1: Permission denied (publickey))")
    nothingChanged()

    // 3. ssh works, the socket path names no daemon: dial-stdio's own error
    r = deploy("nodaemon", "ssh://root@127.0.0.1:${port}${dir}/no-daemon.sock", "-F ${dir}/ssh_config")
    def nodaemon = failure(r.log)
    println "no daemon: ${nodaemon}"
    assert nodaemon.contains("ssh to 127.0.0.1 port ${port} works, but the Docker engine there does not answer (failed to open the raw stream connection: dial unix ${dir}/no-daemon.sock: connect: no such file or directory)")
    nothingChanged()

    // 4. sshd gone: connection refused
    ssh.stop(dir)
    r = deploy("nosshd", "ssh://root@127.0.0.1:${port}", "-F ${dir}/ssh_config")
    def nosshd = failure(r.log)
    println "no sshd: ${nosshd}"
    assert nosshd.contains("ssh connection to 127.0.0.1 port ${port} refused")
    nothingChanged()

    // the refused attempts never reached a shell: sshd accepted exactly one session (the no-daemon one)
    assert ssh.sessions(dir) == 1
} finally {
    ssh.teardown(dir)
    ssh.removeProject("sanchosshno", ["sanchosshno_data"], ["sanchosshno_default"])
    ssh.unlockIt("deploy-ssh-refused")
}
true
