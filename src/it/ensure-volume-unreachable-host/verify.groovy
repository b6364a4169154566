// Runs the docker CLI; returns [code, out, err].
def docker(String... args) {
    def p = (["docker"] + args.toList()).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    [code: p.exitValue(), out: out.toString().trim(), err: err.toString().trim()]
}

// Removes exactly these volumes if they exist (never by pattern).
def removeVolumes(List names) {
    names.each { n ->
        if (docker("volume", "inspect", n).code == 0) {
            def r = docker("volume", "rm", n)
            assert r.code == 0 : "cannot remove test volume ${n}: ${r.err}"
        }
    }
}

try {
    def log = new File(basedir, "build.log").text
    def msg = "Cannot reach Docker at unix:///nope.sock: no such socket. Is dockerd running? Set DOCKER_HOST or -Dsancho.dockerHost."
    def lines = log.readLines().findAll { it.contains("Cannot reach Docker") }
    assert lines.size() == 1 : "expected the message once, got:\n" + lines.join("\n")
    assert lines[0].startsWith("[ERROR] ") && lines[0].endsWith(": " + msg + " -> [Help 1]") : lines[0]
    assert log.contains("BUILD FAILURE")
    
// No stack trace at the default log level.
def stackLines = log.readLines().findAll { it.startsWith("\tat ") || it.contains("Exception in") || it =~ /^\s+at [a-z]/ || it.contains("Caused by:") }
assert stackLines.isEmpty() : "stack trace in build.log:\n" + stackLines.take(5).join("\n")

    assert docker("volume", "inspect", "sanchoit_vol_unreachable").code != 0 : "nothing may be created"
} finally {
    removeVolumes(["sanchoit_vol_unreachable"])
}
true
