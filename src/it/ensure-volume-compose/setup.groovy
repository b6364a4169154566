def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
lib.removeVolumes(["sanchoit_vol_compose_pg", "sanchoit-vol_cache"])
new File(basedir, "letsencrypt").deleteDir()
true
