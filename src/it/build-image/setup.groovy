def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/ItLib.groovy"))

// Leftovers of an earlier run of THIS IT, by exact name.
["sanchobuild/backend:it1", "sanchobuild/backend:3.2.1"].each { t ->
    if (lib.docker("image", "inspect", t).code == 0) {
        def r = lib.docker("rmi", t)
        assert r.code == 0 : "cannot remove leftover image ${t}: ${r.err}"
    }
}
assert lib.docker("image", "inspect", "sancho-it/app:1").code == 0 : "run scripts/test-images.sh first"
true
