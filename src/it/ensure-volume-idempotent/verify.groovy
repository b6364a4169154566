def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
def names = ["sanchoit_vol_idem", "sanchoit_vol_idem_preexisting"]
try {
    def log = new File(basedir, "build.log").text
    // execution "first" creates the missing volume, "second" finds everything in place
    assert log.count("created volume sanchoit_vol_idem ") == 1 : log
    def first = log.indexOf("(first) @")
    def second = log.indexOf("(second) @")
    assert first >= 0 && second > first : "both executions must run"
    def secondPart = log.substring(second)
    assert !secondPart.contains("created volume")
    assert secondPart.contains("nothing to do: 2 volumes and 0 bind-mount sources already exist")

    def createdAt = lib.docker("volume", "inspect", "--format", "{{.CreatedAt}}", "sanchoit_vol_idem").out
    assert secondPart.contains("volume sanchoit_vol_idem exists, created ${createdAt}, driver local") :
            "second run must report the volume the first one created (CreatedAt ${createdAt})"

    // the pre-existing volume: reported, not relabelled, data intact
    assert log.contains("volume sanchoit_vol_idem_preexisting exists, created ")
    assert log.contains("(not created by sancho)")
    def labels = new groovy.json.JsonSlurper().parseText(
            lib.docker("volume", "inspect", "--format", "{{json .Labels}}", "sanchoit_vol_idem_preexisting").out)
    assert labels == ["owner": "someone-else"] : "labels changed: ${labels}"
    def mp = lib.docker("volume", "inspect", "--format", "{{.Mountpoint}}", "sanchoit_vol_idem_preexisting").out
    assert new File(mp, "marker.txt").text == "precious data"
} finally {
    lib.removeVolumes(names)
}
true
