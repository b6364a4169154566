def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

lib.cleanup(["sanchoops_vu_db"], ["sanchoops_vu_pgdata"])
lib.dockerOk("volume", "create", "sanchoops_vu_pgdata")
lib.runDb("sanchoops_vu_db", null, "x", true, "db") // on its network: the only fault is the missing mount
true
