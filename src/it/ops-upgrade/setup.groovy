def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.lockIt("ops-upgrade")
lib.removeProject("sanchoup", ["sanchoup_pgdata"], ["sanchoup_default"])
lib.removeContainers(["sanchoup_sanchoup_lock"])
// the "new" images: the test image with a changed label, and one that never passes the compose healthcheck
["patched": "FROM sancho-it/postgres:15\nLABEL dev.sancho.it.upgrade=patched\n",
 "never-healthy": "FROM sancho-it/postgres:15\nRUN touch /never-healthy\n"].each { tag, dockerfile ->
    def r = lib.run(["docker", "build", "-q", "-t", "sancho-it-upgrade/postgres:" + tag, "-"], null, dockerfile)
    assert r.code == 0 : "cannot build sancho-it-upgrade/postgres:${tag}: ${r.err}"
}
true
