// Helpers shared by the ensure-volume-* ITs. Each hook loads it with
//   def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/VolumeIt.groovy"))
// and calls lib.docker(...) and lib.removeVolumes(...).

// Runs the docker CLI; returns [code, out, err].
def docker(String... args) {
    def p = (["docker"] + args.toList()).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    [code: p.exitValue(), out: out.toString().trim(), err: err.toString().trim()]
}

// Removes exactly these volumes if they exist (never by pattern).
def removeVolumes(List names) {
    names.each { n ->
        if (docker("volume", "inspect", n).code == 0) {
            def r = docker("volume", "rm", n)
            assert r.code == 0 : "cannot remove test volume ${n}: ${r.err}"
        }
    }
}
