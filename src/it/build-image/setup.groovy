// Runs the docker CLI; returns [code, out, err].
def docker(String... args) {
    def p = (["docker"] + args.toList()).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    [code: p.exitValue(), out: out.toString().trim(), err: err.toString().trim()]
}

// Leftovers of an earlier run of THIS IT, by exact name.
["sanchobuild/backend:it1", "sanchobuild/backend:3.2.1"].each { t ->
    if (docker("image", "inspect", t).code == 0) {
        def r = docker("rmi", t)
        assert r.code == 0 : "cannot remove leftover image ${t}: ${r.err}"
    }
}
assert docker("image", "inspect", "sancho-it/app:1").code == 0 : "run scripts/test-images.sh first"
true
