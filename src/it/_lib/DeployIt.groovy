// Helpers shared by the deploy-* ITs (not an IT itself: no pom.xml). Load with
//   def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
// Every call this file does not answer itself (docker, dockerOk, await, container, removeProject, lockIt, ...) goes
// to ItLib.groovy next to it.
import groovy.transform.Field

/** ItLib.groovy, next to this file (the location this script was compiled from). */
@Field final base = new GroovyShell().parse(
        new File(new File(getClass().protectionDomain.codeSource.location.toURI()).parentFile, "ItLib.groovy"))

def methodMissing(String name, args) {
    base.invokeMethod(name, args)
}

/** Polls GET until the body contains text (the proxy resolves the alias again within ~1 s). */
def awaitBody(int port, String text, int seconds = 15) {
    def last = null
    assert within(seconds) { (last = get(port)).status == 200 && last.body.contains(text) } :
            "127.0.0.1:${port} never answered with '${text}'; last answer: ${last}"
    last
}

/** psql inside the database container (local socket, as the runbook's verification command does). */
def psql(String container, String user, String db, String sql) {
    def r = docker("exec", container, "psql", "-v", "ON_ERROR_STOP=1", "-At", "-U", user, "-d", db, "-c", sql)
    assert r.code == 0 : "psql in ${container} failed: ${r.err}"
    r.out
}

/**
 * Starts `mvn` on the IT project as the invoker does (same Maven, settings and local repository), so a verify
 * hook can run builds at the same time or kill one. Output goes to LOG.
 */
def startMaven(File basedir, File localRepo, File log, List args) {
    def mvn = new File(System.getProperty("maven.home"), "bin/mvn").absolutePath
    // the invoker's settings: the user's repository as a remote for everything but the plugin under test
    def userRepo = new File(System.getProperty("maven.repo.local") ?: System.getProperty("user.home") + "/.m2/repository")
    def settings = new File(basedir, "sancho-it-settings.xml")
    settings.text = new File(basedir, "../../../src/it/settings.xml").text
            .replace("@localRepositoryUrl@", userRepo.toURI().toString())
    def cmd = [mvn, "-B", "-o", "-s", settings.absolutePath, "-Dmaven.repo.local=${localRepo.absolutePath}"] + args
    def pb = new ProcessBuilder(cmd.collect { it.toString() }).directory(basedir).redirectErrorStream(true)
            .redirectOutput(log)
    pb.start()
}
