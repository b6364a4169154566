def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("deploy-phases")
lib.removeContainers(["sanchodep_phases_db", "sanchodep_phases_sancho_lock"])
lib.removeProject("sanchodep_phases", ["sanchodep_phases_data"], ["sanchodep_phases_default"])
// a lock held by a deploy on another machine (live as far as this host can tell)
lib.dockerOk("create", "--name", "sanchodep_phases_sancho_lock", "--label", "sancho.project=sanchodep_phases",
        "--label", "sancho.role=lock", "--label", "sancho.lock.holder=ana", "--label", "sancho.lock.host=ci-runner-7",
        "--label", "sancho.lock.pid=4242", "--label", "sancho.lock.since=" + java.time.Instant.now(), "sancho-it/app:1")
true
