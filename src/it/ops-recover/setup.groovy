def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

lib.cleanup(["sanchoops_rc_db", "sanchoops_rc_traefik"], ["sanchoops_rc_pgdata"])
def le = new File(basedir, "letsencrypt"); le.mkdirs()
lib.dockerOk("volume", "create", "sanchoops_rc_pgdata")
lib.dockerOk("run", "-d", "--name", "sanchoops_rc_traefik", "-v", le.absolutePath + ":/letsencrypt", "sancho-it/app:1")
lib.runDb("sanchoops_rc_db", "sanchoops_rc_pgdata", "sanchoops-Pw-7f3a91", false)
lib.psql("sanchoops_rc_db", "create table survivors(note text); insert into survivors values ('written before the accident')")
new File(basedir, "traefik.id").text = lib.dockerOk("inspect", "--format", "{{.Id}}", "sanchoops_rc_traefik")
lib.dockerOk("rm", "-f", "sanchoops_rc_db")
true
