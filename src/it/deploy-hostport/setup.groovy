def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("deploy-hostport")
lib.removeContainers(["sanchohp_sancho_lock"])
lib.removeProject("sanchohp", [], ["sanchohp_default"])
true
