def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("deploy-lock-kill")
lib.removeContainers(["sanchodep_lock_db", "sanchodep_lock_sancho_lock"])
lib.removeProject("sanchodep_lock", ["sanchodep_lock_pgdata"], ["sanchodep_lock_default"])
true
