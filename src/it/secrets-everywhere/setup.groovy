def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("secrets-everywhere")
lib.removeContainers(["sanchosec_sancho_lock"])
lib.removeProject("sanchosec", ["sanchosec_scratch", "sanchosec_broken"], ["sanchosec_default"])
true
