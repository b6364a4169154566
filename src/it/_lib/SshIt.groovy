// A throw-away sshd for the ssh:// ITs (not an IT itself: no pom.xml), over scripts/test-sshd.sh: start it (and stop
// it when this Maven JVM exits, in case verify.groovy never runs), count its sessions, stop it; nested Maven builds.
// Every other call goes to DeployIt.groovy (and ItLib.groovy behind it).
//   def ssh = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/SshIt.groovy"))
//   def port = ssh.start("/tmp/sancho-ssh-it")  ...  ssh.sessions(dir)  ...  ssh.stop(dir)
import groovy.transform.Field
import java.util.concurrent.TimeUnit

@Field final File LIB = new File(getClass().protectionDomain.codeSource.location.toURI()).parentFile
@Field final base = new GroovyShell().parse(new File(LIB, "DeployIt.groovy"))
@Field final String SCRIPT = new File(LIB, "../../../scripts/test-sshd.sh").canonicalPath

def methodMissing(String name, args) {
    base.invokeMethod(name, args)
}

/** Starts sshd with its keys and client configs under DIR; returns its port. Stopped at JVM exit at the latest. */
int start(String dir) {
    def r = run(["bash", SCRIPT, "start", dir])
    assert r.code == 0 : "sshd did not start: ${r.err}"
    Runtime.runtime.addShutdownHook(new Thread({ ["bash", SCRIPT, "teardown", dir].execute().waitFor() }))
    r.out as int
}

def stop(String dir) {
    def r = run(["bash", SCRIPT, "stop", dir])
    assert r.code == 0 : "cannot stop sshd: ${r.err}"
}

/** Stops sshd and removes DIR. */
def teardown(String dir) {
    def r = run(["bash", SCRIPT, "teardown", dir])
    assert r.code == 0 : "cannot stop sshd: ${r.err}"
}

/** ssh connections sshd accepted so far ("Accepted publickey" lines in its log). */
int sessions(String dir) {
    run(["bash", SCRIPT, "sessions", dir]).out as int
}

/** Runs `mvn ARGS` on the IT project as the invoker does, to the end; returns [code, log]. */
def mvn(File basedir, File localRepo, String name, List args, int seconds = 180) {
    def log = new File(basedir, name + ".log")
    def p = base.startMaven(basedir, localRepo, log, args)
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly()
        assert false : "mvn ${args.join(' ')} did not finish within ${seconds} s (log: ${log})"
    }
    [code: p.exitValue(), log: log.text]
}
