def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("deploy-lock-kill")
lib.removeContainers(["sanchodep_lock_db", "sanchodep_lock_sancho_lock", "sanchodep_lock_holder1", "sanchodep_lock_holder2"])
lib.removeProject("sanchodep_lock", ["sanchodep_lock_pgdata"], ["sanchodep_lock_default"])
true
