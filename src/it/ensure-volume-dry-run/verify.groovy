def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
try {
    def log = new File(basedir, "build.log").text
    assert log.contains("[dry-run] would create volume sanchoit_vol_dryrun (driver local")
    assert log.contains("[dry-run] nothing was changed")
    assert lib.docker("volume", "inspect", "sanchoit_vol_dryrun").code != 0 : "a dry run must not create the volume"
} finally {
    lib.removeVolumes(["sanchoit_vol_dryrun"])
}
true
