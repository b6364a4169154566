def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("deploy-replicas")
lib.removeContainers(["sanchorp_sancho_lock"])
lib.removeProject("sanchorp", [], ["sanchorp_default"])
true
