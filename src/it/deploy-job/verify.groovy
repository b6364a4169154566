// A one-shot job runs to completion before what depends on it starts, once per deploy; its failure fails the
// deploy before anything of the previous deploy is touched; verify counts it as done; rollback does not re-run it.
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
def startedAt = { String name -> lib.dockerOk("inspect", "--format", "{{.State.StartedAt}}", name) }
def exitCode = { String name -> lib.dockerOk("inspect", "--format", "{{.State.ExitCode}}", name) }
try {
    def log = new File(basedir, "build.log").text
    def runs = log.split(/(?m)^\[INFO\] Scanning for projects\.\.\.$/).findAll { it.contains("BUILD ") }
    assert runs.size() == 4 : "expected 4 invocations, found ${runs.size()}"
    def (j1, j2, j3, back) = runs

    // 1: job first, to completion, then the backend; verify shows the job done
    assert j1.contains("await    sanchojob_migrate_j1 completed (exit code 0; timeout 20 s)")
    assert j1.indexOf("sanchojob_migrate_j1 completed (exit code 0)") < j1.indexOf("Started sanchojob_backend_j1")
    assert j1 =~ /✔  job\s+sanchojob_migrate_j1\s+completed \(exit code 0\)/
    assert j1.contains("BUILD SUCCESS")
    assert lib.dockerOk("logs", "sanchojob_migrate_j1").contains("migrating for deploy j1")

    // 2: the job fails: named with its exit code and log; the backend j2 never starts; j1 serves on
    assert j2.contains("deploy j2 failed: sanchojob_migrate_j2: the job exited with code 3")
    assert j2.contains("migrating for deploy j2")
    assert !j2.contains("Started sanchojob_backend_j2")
    assert j2.contains("BUILD FAILURE")
    assert lib.container("sanchojob_migrate_j2") == null && lib.container("sanchojob_backend_j2") == null

    // 3, 4: j3 deployed, then rolled back to j1: j1's backend runs again, j1's job was not started again
    assert j3.contains("Deployed j3: started sanchojob_migrate_j3, sanchojob_backend_j3; stopped sanchojob_backend_j1")
    assert back.contains("Rolled back: deploy j1 is current")
    assert !back.contains("sanchojob_migrate_j1") : "the rollback touched the job"
    assert lib.container("sanchojob_backend_j1").state == "running"
    assert lib.container("sanchojob_backend_j3").state == "exited"
    assert lib.container("sanchojob_migrate_j1").state == "exited" && exitCode("sanchojob_migrate_j1") == "0"
    def j1JobStart = startedAt("sanchojob_migrate_j1")
    assert j1JobStart < startedAt("sanchojob_backend_j3") : "j1's job ran again during the rollback (${j1JobStart})"
    assert lib.container("sanchojob_sancho_lock") == null : "the lock was not released"
} finally {
    lib.removeContainers(["sanchojob_sancho_lock"])
    lib.removeProject("sanchojob", [], ["sanchojob_default"])
    lib.unlockIt("deploy-job")
}
true
