def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("deploy-job")
lib.removeContainers(["sanchojob_sancho_lock"])
lib.removeProject("sanchojob", [], ["sanchojob_default"])
true
