def ssh = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/SshIt.groovy"))
ssh.lockIt("deploy-ssh-refused")
ssh.removeProject("sanchosshno", ["sanchosshno_data"], ["sanchosshno_default"])
def port = ssh.start("/tmp/sancho-ssh-refused-it")
println "deploy-ssh-refused: sshd on 127.0.0.1:${port}"
true
