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

def names = ["sanchoit_vol_mismatch_pg", "sanchoit_vol_mismatch_other"]
try {
    def log = new File(basedir, "build.log").text
    def lines = log.readLines().findAll { it.contains("asks for driver") }
    assert lines.size() == 1 : lines.join("\n")
    assert lines[0].startsWith("[ERROR] ")
    assert lines[0].contains(": volume sanchoit_vol_mismatch_pg exists with driver local but docker-compose.yml volumes.pgdata asks for driver nfs-example: sancho never changes an existing volume") : lines[0]
    def stackLines = log.readLines().findAll { it.startsWith("\tat ") || it =~ /^\s+at [a-z]/ || it.contains("Caused by:") }
    assert stackLines.isEmpty() : stackLines.take(5).join("\n")

    // nothing changed: the existing volume as it was, the other one and the bind directory not created
    assert docker("volume", "inspect", "--format", "{{.Driver}}", "sanchoit_vol_mismatch_pg").out == "local"
    assert docker("volume", "inspect", "--format", "{{json .Labels}}", "sanchoit_vol_mismatch_pg").out in ["{}", "null"]
    assert docker("volume", "inspect", "sanchoit_vol_mismatch_other").code != 0
    assert !new File(basedir, "never-created").exists()
} finally {
    removeVolumes(names)
}
true
