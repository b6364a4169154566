def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/ItLib.groovy"))

def tags = ["sanchobuild/backend:it1", "sanchobuild/backend:3.2.1"]
def probe = "sanchobuild_build_image_probe"
try {
    def log = new File(basedir, "build.log").text
    assert log.contains("BUILD SUCCESS")

    // tagged per deploy and with the image: name, interpolated from the pom's version
    def id = lib.docker("image", "inspect", "--format", "{{.Id}}", "sanchobuild/backend:it1")
    assert id.code == 0 : "per-deploy tag missing: ${id.err}"
    assert lib.docker("image", "inspect", "--format", "{{.Id}}", "sanchobuild/backend:3.2.1").out == id.out

    def labels = new groovy.json.JsonSlurper().parseText(
            lib.docker("image", "inspect", "--format", "{{json .Config.Labels}}", "sanchobuild/backend:it1").out)
    assert labels["sancho.built"] == "true"
    assert labels["sancho.project"] == "sanchobuild"
    assert labels["sancho.service"] == "backend"
    assert labels["sancho.deploy-id"] == "it1"
    assert labels["sancho.image"] == "sanchobuild/backend:3.2.1"
    assert labels["com.example.team"] == "it"

    // what the build did, read from the image itself
    lib.docker("rm", "-f", "-v", probe)
    def run = lib.docker("run", "--rm", "--name", probe, "--entrypoint", "/bin/sh", "sanchobuild/backend:it1", "-c",
            "cat /www/built.txt; ls -a /ctx")
    assert run.code == 0 : run.err
    def lines = run.out.readLines()
    assert lines[0] == "built-for-3.2.1 env-value" : "build args (interpolated, and a valueless one from the environment): ${lines}"
    assert java.nio.file.Files.isSymbolicLink(new File(basedir, "backend-link").toPath())
    assert lines.contains("keep.txt") : "[!x]eep.txt must not match it, and .dockerignore must not apply: ${lines}"
    assert lines.contains("app.Dockerfile")
    assert !lines.contains("secret.txt") : "app.Dockerfile.dockerignore (BOM first) not honoured: ${lines}"
    assert !lines.contains("app.log") : "**/*.log must exclude a top-level file like Docker does: ${lines}"

    // streamed, one line per step, no ANSI escapes; build arg values are not logged
    assert log =~ /\[backend\] Step 1\/\d+ : FROM sancho-it\/app:1/
    assert log =~ /\[backend\] Step 5\/\d+ : COPY \. \/ctx\//
    assert !(log =~ /\[INFO\]   \[backend\] Step \d+\/\d+ : LABEL sancho/) : "engine-added label steps are debug output"
    assert log =~ /Built backend [0-9a-f]{12} in \d+ s/
    assert log.contains("sancho:build: built 1 image for deploy it1")
    assert !log.contains("\u001B[") : "ANSI escapes in the Maven log"
    assert !log.contains("env-value") : "a build arg value was logged"
} finally {
    lib.docker("rm", "-f", "-v", probe)
    tags.each { t -> if (lib.docker("image", "inspect", t).code == 0) { assert lib.docker("rmi", t).code == 0 } }
}
true
