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

def names = ["sanchoit_vol_created_a", "sanchoit_vol_created.b"]
try {
    def log = new File(basedir, "build.log").text
    names.each { n ->
        def r = docker("volume", "inspect", "--format", "{{json .Labels}}|{{.Driver}}", n)
        assert r.code == 0 : "volume ${n} was not created: ${r.err}"
        def (labels, driver) = r.out.split(/\|/) as List
        def parsed = new groovy.json.JsonSlurper().parseText(labels)
        assert parsed["sancho.managed"] == "true" : "labels of ${n}: ${labels}"
        assert parsed["sancho.project"] == "sanchoit-vol" : "labels of ${n}: ${labels}"
        assert driver == "local"
        assert log.contains("created volume ${n} (driver local, labels sancho.managed=true, sancho.project=sanchoit-vol)")
    }
    assert log.contains("no compose file at ")
    assert log.contains("BUILD SUCCESS")
} finally {
    removeVolumes(names)
}
true
