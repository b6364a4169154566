def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

lib.cleanup(["sanchoops_vh_db", "sanchoops_vh_traefik", "sanchoops_vh_backend_d1"], ["sanchoops_vh_pgdata"])
def le = new File(basedir, "letsencrypt"); le.mkdirs()
def acme = new File(le, "acme.json"); acme.text = "{}"
java.nio.file.Files.setPosixFilePermissions(acme.toPath(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))
lib.dockerOk("volume", "create", "sanchoops_vh_pgdata")
lib.dockerOk("run", "-d", "--name", "sanchoops_vh_traefik", "--label", "sancho.project=sanchoops", "--label", "sancho.role=infra",
    "--network", lib.network(), "--network-alias", "traefik", "-v", le.absolutePath + ":/letsencrypt", "sancho-it/app:1")
lib.runApp("sanchoops_vh_backend_d1", "sancho-it/app:1", "backend", "d1", "2026-01-01T00:00:00Z", "18471", true)
lib.runDb("sanchoops_vh_db", "sanchoops_vh_pgdata", "it-only-password", false, "db")
lib.await(20, "backend healthy") { lib.health("sanchoops_vh_backend_d1") == "healthy" }
true
