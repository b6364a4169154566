// Removes what an earlier run of THIS IT may have left (exact names, project labels we own), then adds decoys.
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("deploy-seed-ten")

def decoys = ["sancho_db_v2_old", "xsancho_db_v2", "sancho_backend_manual", "sanchodep_other_backend_old",
              "sanchodep_other_backend_run"]
lib.removeContainers(["sancho_db_v2", "sancho_traefik_persistent", "sancho_sancho_lock"] + decoys)
lib.removeProject("sancho", ["sancho_postgres_data"], ["sancho_default"])
lib.removeProject("sanchodep_other", [], [])

// Decoys: names that look like ours (regex-unanchored matches of sancho_db_v2, a manual backend) without labels,
// and another project's labelled app containers, one never started (what cleanup removes for OUR project).
lib.dockerOk("create", "--name", "sancho_db_v2_old", "sancho-it/app:1")
lib.dockerOk("run", "-d", "--name", "xsancho_db_v2", "--network", "none", "sancho-it/app:1")
lib.dockerOk("create", "--name", "sancho_backend_manual", "sancho-it/app:1")
def other = ["--label", "sancho.project=sanchodep_other", "--label", "sancho.role=app", "--label",
             "sancho.service=backend"]
lib.dockerOk(*(["create", "--name", "sanchodep_other_backend_old", "--label", "sancho.deploy-id=old"] + other
        + ["sancho-it/app:1"]))
lib.dockerOk(*(["run", "-d", "--network", "none", "--name", "sanchodep_other_backend_run", "--label",
               "sancho.deploy-id=run"] + other + ["sancho-it/app:1"]))
new File(basedir, "decoys.txt").text = decoys.collect { n -> n + "=" + lib.container(n).id }.join("\n")
true
