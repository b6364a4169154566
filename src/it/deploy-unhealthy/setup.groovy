def it = new GroovyShell().parse(new File(basedir, "../../../src/it/deploy-lib/DeployIt.groovy"))
it.removeContainers(["sanchodep_fail_proxy", "sanchodep_fail_sancho_lock"])
it.removeProject("sanchodep_fail", [], ["sanchodep_fail_default"])
true
