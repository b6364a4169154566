def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
def names = ["sanchoit_vol_created_a", "sanchoit_vol_created.b"]
try {
    def log = new File(basedir, "build.log").text
    names.each { n ->
        def r = lib.docker("volume", "inspect", "--format", "{{json .Labels}}|{{.Driver}}", n)
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
    lib.removeVolumes(names)
}
true
