// The backend is built by each deploy and runs exactly that image; images live exactly as long as their deploy is
// kept; dry run builds nothing; skipBuild runs the image built ahead; a failing RUN fails the deploy naming the step
// while the previous deploy keeps serving.
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
def tags = ((0..4) + [9]).collect { "sanchobw/backend:d${it}" } + ["sanchobw/decoy:unbuilt", "sanchobw/decoy:other-project"]
def imageId = { String ref -> def r = lib.docker("image", "inspect", "--format", "{{.Id}}", ref); r.code == 0 ? r.out : null }
def containerImage = { String name -> lib.dockerOk("inspect", "--type", "container", "--format", "{{.Image}}", name) }
try {
    def text = new File(basedir, "build.log").text
    // one chunk per invocation, in invoker.properties order
    def runs = text.split(/(?m)^\[INFO\] Scanning for projects\.\.\.$/).findAll { it.contains("BUILD ") }
    assert runs.size() == 6 : "expected 6 invocations in build.log, found ${runs.size()}"
    def (d1, dry, skip, d3, prepared, failed) = runs
    // the part of an invocation before its deploy goal starts
    def beforeDeploy = { String run -> def m = run =~ /--- sancho:\S+:deploy /; assert m.find() : run; run.substring(0, m.start()) }

    // 1: the leftover d0 image removed by the goal; d1 built by the deploy, one line per step, before anything is created
    def goalCleanup = beforeDeploy(d1)
    assert goalCleanup.contains("pre-deploy-cleanup: removed 1 built image (sanchobw/backend:d0)")
    d1 = d1.substring(goalCleanup.length())
    assert d1 =~ /\[backend\] Step 1\/\d+ : FROM sancho-it\/app:1/
    assert d1 =~ /Built backend [0-9a-f]{12} in \d+ s/
    assert d1.indexOf("Built backend") < d1.indexOf("Created sanchobw_backend_d1")
    assert d1.contains("pre-deploy-cleanup: removed 0 built images")
    assert d1.contains("Deployed d1: started sanchobw_backend_d1")
    assert !d1.contains("built-for-d1") : "build arg values are not logged"
    assert !text.contains("\u001B[") : "ANSI escapes in the Maven log"

    // 2: dry run
    assert dry.contains("would build backend from ") && dry.contains("-> sanchobw/backend:d2")
    assert !dry.contains("Step 1/") && !dry.contains("Built backend")
    assert !dry.contains("pull     sanchobw/backend:d2") : "the dry-run plan must not pull the tag it would build"
    assert dry.contains("create   sanchobw_backend_d2") || dry.contains("sanchobw_backend_d2") : dry
    assert dry.contains("[dry-run] nothing was changed") && dry.contains("BUILD SUCCESS")

    // 3: built ahead, then deployed as is; the deploy's own cleanup step keeps the prepared image
    def prebuild = beforeDeploy(skip)
    skip = skip.substring(prebuild.length())
    assert prebuild.contains("sancho:build: built 1 image for deploy d2")
    assert skip.contains("Not building backend (sancho.skipBuild): running sanchobw/backend:d2")
    assert !skip.contains("Built backend") && !skip.contains("Step 1/")
    assert skip.contains("pre-deploy-cleanup: removed 0 built images")
    assert skip.contains("Deployed d2: started sanchobw_backend_d2; stopped sanchobw_backend_d1")

    // 4: keep=1: d1 (beyond keep) goes with its image; d2 is kept with its image
    assert d3.contains("Deployed d3: started sanchobw_backend_d3; stopped sanchobw_backend_d2; removed sanchobw_backend_d1")
    assert d3.contains("retention after deploy d3: removed 1 built image (sanchobw/backend:d1)")
    assert !d3.contains("sanchobw/backend:d2 (deploy")

    // 5, 6: d9's image has no container yet, but it was built a moment ago: its deploy may still be waiting for the
    // lock, so the cleanup (which runs with another deploy id) keeps it
    assert prepared.contains("sancho:build: built 1 image for deploy d9")
    def cleanup = beforeDeploy(failed)
    assert cleanup.contains("pre-deploy-cleanup: removed 0 containers")
    assert cleanup.contains("pre-deploy-cleanup: removed 0 built images")
    assert cleanup =~ /kept image sanchobw\/backend:d9: built \d+ s ago for deploy d9, which has no container yet and may still be waiting for the deploy lock/
    assert imageId("sanchobw/backend:d9") != null
    // 6: then the failing RUN, named, with its output; nothing created, nothing stopped
    assert failed.contains("BUILD FAILURE")
    assert failed.contains("build of service backend failed at Step 3/")
    assert failed.contains(": RUN if [ \"\$FAIL_BUILD\" = 1 ]; then")
    assert failed.contains("returned a non-zero code: 7")
    assert failed.contains("    sanchobw: error on purpose")
    assert failed.contains("Deploy d4 stopped before changing any container; the previous deploy keeps serving.")
    assert !failed.contains("Created sanchobw_backend_d4") && !failed.contains("Stopped")
    assert !failed.contains("\tat dev.sancho") : "stack trace at normal log level"
    assert imageId("sanchobw/backend:d4") == null : "a failed build must not be tagged"
    assert lib.container("sanchobw_backend_d4") == null

    // the engine now: d3 runs the image deploy d3 built and serves; d2 is kept with its image; d0, d1 are gone
    def c3 = lib.container("sanchobw_backend_d3")
    assert c3 != null && c3.state == "running"
    def id3 = imageId("sanchobw/backend:d3")
    assert id3 != null && containerImage("sanchobw_backend_d3") == id3 : "d3 does not run the image built for d3"
    assert lib.dockerOk("exec", "sanchobw_backend_d3", "cat", "/built.txt") == "built-for-d3"
    def ctx = lib.dockerOk("exec", "sanchobw_backend_d3", "ls", "-a", "/ctx").readLines()*.trim()
    assert ctx.contains("keep.txt") && ctx.contains("Dockerfile")
    assert !ctx.contains("secret.txt") : ".dockerignore not honoured: ${ctx}"
    def body = lib.dockerOk("exec", "sanchobw_backend_d3", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/")
    assert body.contains("deploy=d3") : "d3 does not answer after the failed deploy: ${body}"
    def labels = lib.dockerOk("image", "inspect", "--format", "{{json .Config.Labels}}", "sanchobw/backend:d3")
    assert labels.contains("\"sancho.built\":\"true\"") && labels.contains("\"sancho.deploy-id\":\"d3\"")

    def c2 = lib.container("sanchobw_backend_d2")
    assert c2 != null && c2.state == "exited"
    def id2 = imageId("sanchobw/backend:d2")
    assert id2 != null && containerImage("sanchobw_backend_d2") == id2 : "kept deploy d2 lost its image"
    assert id2 != id3 : "two deploys, two images"

    assert lib.container("sanchobw_backend_d1") == null
    assert imageId("sanchobw/backend:d1") == null : "d1 is no longer kept: its image must be gone"
    assert imageId("sanchobw/backend:d0") == null
    assert imageId("sanchobw/decoy:unbuilt") != null : "an image sancho did not build was removed"
    assert imageId("sanchobw/decoy:other-project") != null : "another project's image was removed"
    assert lib.container("sanchobw_sancho_lock") == null : "the lock was not released"
} finally {
    lib.removeContainers(["sanchobw_sancho_lock"])
    lib.removeProject("sanchobw", [], ["sanchobw_default"])
    tags.each { t -> if (lib.docker("image", "inspect", t).code == 0) lib.dockerOk("rmi", t) }
}
true
