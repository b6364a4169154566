def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
try {
    def log = new File(basedir, "build.log").text
    // unlock honours the dry run: build 1 names the holder, build 2 still finds the lock and releases it
    assert log.contains("[dry-run] would release the deploy lock of project sanchodep_phases, held by ana@ci-runner-7 pid 4242 since ")
    assert log.contains("Released the deploy lock of project sanchodep_phases, held by ana@ci-runner-7 pid 4242 since ")
    // Each goal ran once per build, in the runbook's order, at its default phase: no <phase> in the pom.
    def order = log.readLines().findAll { it.contains("--- sancho:") }
            .collect { it.replaceAll(/.*--- sancho:[^:]*:([a-z-]+) \(([^)]*)\).*/, '$1') }
    def once = ["pre-deploy-cleanup", "ensure-volume", "deploy", "verify"]
    assert order == ["unlock", "unlock"] + once + once + once : order
    // The bound deploy leaves cleanup, ensure-volume and verify to their own goals: one summary each per build.
    assert log.contains("sancho:deploy: pre-deploy-cleanup, ensure-volume, verify run as goals of their own in this build")
    assert log.findAll(/pre-deploy-cleanup: (would remove|removed) \d+ container/).size() == 3
    assert log.contains("created volume sanchodep_phases_data")
    assert log.contains("Deployed p1: started sanchodep_phases_backend_p1")
    // Build 2 sets no deploy id: deploy and verify agree on the one id of that build (its start time).
    def m = log =~ /Deployed (\d{17}): started sanchodep_phases_backend_\1; stopped sanchodep_phases_backend_p1/
    assert m.find() : "second deploy with a generated id"
    def second = m.group(1)
    assert log =~ /deploy\s+${second}\s+current/
    // Build 3: a dry run, and verify does not check a deploy that did not happen.
    assert log.contains("[dry-run] nothing was changed")
    assert log.contains("sancho:verify: the deploy of this build was a dry run and changed nothing; nothing to verify")
    assert lib.container("sanchodep_phases_backend_${second}").state == "running"
    assert lib.namesByLabel("sancho.project", "sanchodep_phases").findAll { it.startsWith("sanchodep_phases_backend_") }
            .sort() == ["sanchodep_phases_backend_${second}", "sanchodep_phases_backend_p1"].sort()
    assert lib.container("sanchodep_phases_sancho_lock") == null
    // target/sancho/*.json (issue 24): the last build's deploy was a dry run, so its verify was skipped
    def deployJson = new groovy.json.JsonSlurper().parse(new File(basedir, "target/sancho/deploy.json"))
    assert deployJson.goal == "deploy" && deployJson.target == "engine" && deployJson.project == "sanchodep_phases" &&
            deployJson.outcome == "dry-run" && deployJson.actions == [] && deployJson.error == null : deployJson
    def verifyJson = new groovy.json.JsonSlurper().parse(new File(basedir, "target/sancho/verify.json"))
    assert verifyJson.goal == "verify" && verifyJson.outcome == "skipped" &&
            verifyJson.reason == "the deploy of this build was a dry run" : verifyJson
    // the other goals of the bound phases write theirs too: what they did, not a log line to match
    def slurp = { String goal -> new groovy.json.JsonSlurper().parse(new File(basedir, "target/sancho/${goal}.json")) }
    def volumes = slurp("ensure-volume")
    assert volumes.outcome == "dry-run" && volumes.existingVolumes == ["sanchodep_phases_data"] &&
            volumes.createdVolumes == [] : volumes
    def cleanup = slurp("pre-deploy-cleanup")
    assert cleanup.outcome == "dry-run" && cleanup.removedContainers == [] && cleanup.keptDeploys == ["p1"] : cleanup
    def unlock = slurp("unlock")
    assert unlock.outcome == "released" && unlock.holder.startsWith("ana@ci-runner-7 pid 4242") : unlock
} finally {
    lib.removeContainers(["sanchodep_phases_db", "sanchodep_phases_sancho_lock"])
    lib.removeProject("sanchodep_phases", ["sanchodep_phases_data"], ["sanchodep_phases_default"])
    lib.unlockIt("deploy-phases")
}
true
