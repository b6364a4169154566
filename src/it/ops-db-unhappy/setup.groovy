def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("ops-db-unhappy")
lib.removeContainers(["sanchodu_db", "sanchodu_db_old", "sanchodu_intruder", "sanchodu_sanchodu_lock"])
lib.removeProject("sanchodu", ["sanchodu_pgdata", "sanchodu_pgdta", "sanchodu_empty"], ["sanchodu_default"])
true
