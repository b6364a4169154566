def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/ItLib.groovy"))
if (lib.docker("image", "inspect", "sanchobuild/backend:itfail").code == 0) {
    assert lib.docker("rmi", "sanchobuild/backend:itfail").code == 0
}
true
