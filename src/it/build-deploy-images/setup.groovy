// Leftovers of an earlier run of THIS IT (containers and network of project sanchobw, its lock, sanchobw/* images by
// exact tag), then what the IT needs in place: a leftover image of an interrupted deploy d0 and two decoy images.
def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
lib.removeContainers(["sanchobw_sancho_lock"])
lib.removeProject("sanchobw", [], ["sanchobw_default"])
def tags = (0..4).collect { "sanchobw/backend:d${it}" } + ["sanchobw/decoy:unbuilt", "sanchobw/decoy:other-project"]
tags.each { t -> if (lib.docker("image", "inspect", t).code == 0) lib.dockerOk("rmi", t) }
assert lib.docker("image", "inspect", "sancho-it/app:1").code == 0 : "run scripts/test-images.sh first"

/** Builds a one-line image FROM the test image with these labels (a Dockerfile on stdin, no context). */
def labelled = { String tag, Map labels ->
    def args = ["docker", "build", "-q", "-t", tag]
    labels.each { k, v -> args += ["--label", "${k}=${v}"] }
    def r = lib.run(args + ["-"], null, "FROM sancho-it/app:1\nRUN echo ${tag} > /decoy.txt\n")
    assert r.code == 0 : "cannot build ${tag}: ${r.err}"
}
def ours = ["sancho.built": "true", "sancho.project": "sanchobw", "sancho.service": "backend", "sancho.deploy-id": "d0"]
labelled("sanchobw/backend:d0", ours)
// not built by sancho (no sancho.built), although it names our project: never removed
labelled("sanchobw/decoy:unbuilt", ours.findAll { it.key != "sancho.built" })
// built by sancho for another project: never removed
labelled("sanchobw/decoy:other-project", ours + ["sancho.project": "sanchobwother"])
true
