def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("deploy-unhealthy")
lib.removeContainers(["sanchodep_fail_proxy", "sanchodep_fail_sancho_lock"])
lib.removeProject("sanchodep_fail", [], ["sanchodep_fail_default"])
true
