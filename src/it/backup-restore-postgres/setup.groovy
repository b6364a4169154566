def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("backup-restore-postgres")
lib.removeContainers(["sanchobk_db", "sanchobk_sancho_lock"])
lib.removeProject("sanchobk", ["sanchobk_pgdata", "sanchobk_backups"], ["sanchobk_default"])
true
