def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
lib.removeVolumes(["sanchoit_vol_dryrun"])
true
