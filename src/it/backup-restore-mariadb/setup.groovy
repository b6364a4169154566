def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("backup-restore-mariadb")
lib.removeContainers(["sanchomb_db", "sanchomb_legacy", "sanchomb_sancho_lock"])
lib.removeProject("sanchomb", ["sanchomb_dbdata", "sanchomb_legacydata", "sanchomb_backups"], ["sanchomb_default"])
true
