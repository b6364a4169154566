def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
import java.nio.file.Files

def names = ["sanchoit_vol_compose_pg", "sanchoit-vol_cache"]
try {
    def log = new File(basedir, "build.log").text
    names.each { n ->
        def r = lib.docker("volume", "inspect", "--format", "{{json .Labels}}", n)
        assert r.code == 0 : "volume ${n} was not created: ${r.err}"
        def labels = new groovy.json.JsonSlurper().parseText(r.out)
        assert labels["sancho.managed"] == "true" && labels["sancho.project"] == "sanchoit-vol" : "${n}: ${labels}"
        assert log.count("created volume ${n} ") == 1 : "${n} must be created exactly once over two runs"
    }
    assert new groovy.json.JsonSlurper().parseText(lib.docker("volume", "inspect", "--format", "{{json .Labels}}",
            "sanchoit-vol_cache").out)["tier"] == "cache" : "compose labels are kept"

    def le = new File(basedir, "letsencrypt")
    assert le.isDirectory() : "the bind-mount directory must be created"
    assert Files.getPosixFilePermissions(le.toPath()).collect { it.toString() }.sort() ==
            ["GROUP_EXECUTE", "GROUP_READ", "OWNER_EXECUTE", "OWNER_READ", "OWNER_WRITE"]
    assert log.count("created directory ${le.canonicalPath} (mode 0750) for a bind mount of service proxy") == 1

    // The second invocation (the build log holds both) changed nothing and said so.
    assert log.contains("nothing to do: 2 volumes and 1 bind-mount source already exist")
    assert log.contains("bind-mount source ${le.canonicalPath} exists (service proxy)")
} finally {
    lib.removeVolumes(names)
    new File(basedir, "letsencrypt").deleteDir()
}
true
