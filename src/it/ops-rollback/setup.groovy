def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

lib.cleanup(["sanchoops_rb_backend_d1", "sanchoops_rb_backend_d2"], [])
lib.runApp("sanchoops_rb_backend_d1", "sancho-it/app:1", "backend", "d1", "2026-01-01T00:00:00Z", "18472")
lib.await(20, "d1 healthy") { lib.health("sanchoops_rb_backend_d1") == "healthy" }
lib.dockerOk("stop", "sanchoops_rb_backend_d1")
lib.runApp("sanchoops_rb_backend_d2", "sancho-it/app:2", "backend", "d2", "2026-01-02T00:00:00Z", "18472")
lib.await(20, "d2 healthy") { lib.health("sanchoops_rb_backend_d2") == "healthy" }
true
