def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("deploy-lifecycle")
lib.removeContainers(["sanchodep_life_db", "sanchodep_life_sancho_lock"])
lib.removeProject("sanchodep_life", [], ["sanchodep_life_default"])
["sanchodep_life/backend:l1", "sanchodep_life/backend:l2"].each { t ->
    if (lib.docker("image", "inspect", t).code == 0) lib.dockerOk("image", "rm", t)
}
// the runbook's database, created outside sancho (no labels), on the network compose would have made
lib.dockerOk("network", "create", "sanchodep_life_default")
lib.dockerOk("run", "-d", "--name", "sanchodep_life_db", "--network", "sanchodep_life_default", "sancho-it/app:1")
// a lock held by a deploy on another machine (live as far as this host can tell)
lib.dockerOk("create", "--name", "sanchodep_life_sancho_lock", "--label", "sancho.project=sanchodep_life",
        "--label", "sancho.role=lock", "--label", "sancho.lock.holder=ana", "--label", "sancho.lock.host=ci-runner-7",
        "--label", "sancho.lock.pid=4242", "--label", "sancho.lock.since=" + java.time.Instant.now(), "sancho-it/app:1")
new File(basedir, "db-id.txt").text = lib.container("sanchodep_life_db").id
true
