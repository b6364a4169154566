def docker(String... args) {
    def p = (["docker"] + args.toList()).execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    [code: p.exitValue(), out: out.toString().trim(), err: err.toString().trim()]
}
if (docker("image", "inspect", "sanchobuild/backend:itfail").code == 0) {
    assert docker("rmi", "sanchobuild/backend:itfail").code == 0
}
true
