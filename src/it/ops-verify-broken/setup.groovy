def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

lib.cleanup(["sanchoops_vb_db", "sanchoops_vb_traefik"], ["sanchoops_vb_pgdata"])
def le = new File(basedir, "letsencrypt"); le.mkdirs()
def acme = new File(le, "acme.json"); acme.text = "{}"
java.nio.file.Files.setPosixFilePermissions(acme.toPath(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"))
lib.dockerOk("volume", "create", "sanchoops_vb_pgdata")
lib.dockerOk("run", "-d", "--name", "sanchoops_vb_traefik", "-v", le.absolutePath + ":/letsencrypt", "sancho-it/app:1")
lib.dockerOk("create", "--name", "sanchoops_vb_db", "-e", "POSTGRES_USER=maestro", "-e", "POSTGRES_PASSWORD=x",
    "-v", "sanchoops_vb_pgdata:/var/lib/postgresql/data", "sancho-it/postgres:15")
lib.dockerOk("start", "sanchoops_vb_db")
lib.dockerOk("stop", "sanchoops_vb_db")
true
