def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
lib.removeVolumes(["sanchoit_vol_mismatch_pg", "sanchoit_vol_mismatch_other"])
assert lib.docker("volume", "create", "sanchoit_vol_mismatch_pg").code == 0
true
