def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
try {
    def log = new File(basedir, "build.log").text
    def lines = log.readLines().findAll { it.contains("has no scheme") }
    assert lines.size() == 1 : "expected the message once, got:\n" + lines.join("\n")
    assert lines[0].startsWith("[ERROR] ")
    assert lines[0].endsWith(": Docker address '/var/run/docker.sock' from DOCKER_HOST has no scheme: use unix:///var/run/docker.sock (unix:///path/to/docker.sock or tcp://HOST:PORT) -> [Help 1]") : lines[0]
    assert !log.contains("NullPointerException")
    assert log.contains("BUILD FAILURE")
    
// No stack trace at the default log level.
def stackLines = log.readLines().findAll { it.startsWith("\tat ") || it.contains("Exception in") || it =~ /^\s+at [a-z]/ || it.contains("Caused by:") }
assert stackLines.isEmpty() : "stack trace in build.log:\n" + stackLines.take(5).join("\n")

    // a goal that fails before it reaches the engine still leaves its result, saying why (issue 24)
    def json = new groovy.json.JsonSlurper().parse(new File(basedir, "target/sancho/ensure-volume.json"))
    assert json.goal == "ensure-volume" && json.outcome == "failed" &&
            json.error == "Docker address '/var/run/docker.sock' from DOCKER_HOST has no scheme: use unix:///var/run/docker.sock (unix:///path/to/docker.sock or tcp://HOST:PORT)" : json
    assert lib.docker("volume", "inspect", "sanchoit_vol_badhost").code != 0 : "nothing may be created"
} finally {
    lib.removeVolumes(["sanchoit_vol_badhost"])
}
true
