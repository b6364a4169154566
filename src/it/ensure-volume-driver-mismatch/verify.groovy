def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
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
    assert lib.docker("volume", "inspect", "--format", "{{.Driver}}", "sanchoit_vol_mismatch_pg").out == "local"
    assert lib.docker("volume", "inspect", "--format", "{{json .Labels}}", "sanchoit_vol_mismatch_pg").out in ["{}", "null"]
    assert lib.docker("volume", "inspect", "sanchoit_vol_mismatch_other").code != 0
    assert !new File(basedir, "never-created").exists()
} finally {
    lib.removeVolumes(names)
}
true
