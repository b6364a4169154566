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

    def createdAt = docker("volume", "inspect", "--format", "{{.CreatedAt}}", "sanchoit_vol_idem").out
    assert secondPart.contains("volume sanchoit_vol_idem exists, created ${createdAt}, driver local") :
            "second run must report the volume the first one created (CreatedAt ${createdAt})"

    // the pre-existing volume: reported, not relabelled, data intact
    assert log.contains("volume sanchoit_vol_idem_preexisting exists, created ")
    assert log.contains("(not created by sancho)")
    def labels = new groovy.json.JsonSlurper().parseText(
            docker("volume", "inspect", "--format", "{{json .Labels}}", "sanchoit_vol_idem_preexisting").out)
    assert labels == ["owner": "someone-else"] : "labels changed: ${labels}"
    def mp = docker("volume", "inspect", "--format", "{{.Mountpoint}}", "sanchoit_vol_idem_preexisting").out
    assert new File(mp, "marker.txt").text == "precious data"
} finally {
    removeVolumes(names)
}
true
