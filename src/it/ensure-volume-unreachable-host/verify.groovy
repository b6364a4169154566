def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
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

    assert lib.docker("volume", "inspect", "sanchoit_vol_unreachable").code != 0 : "nothing may be created"
} finally {
    lib.removeVolumes(["sanchoit_vol_unreachable"])
}
true
