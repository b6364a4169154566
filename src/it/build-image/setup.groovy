def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/ItLib.groovy"))

// Leftovers of an earlier run of THIS IT, by exact name.
["sanchobuild/backend:it1", "sanchobuild/backend:3.2.1"].each { t ->
    if (lib.docker("image", "inspect", t).code == 0) {
        def r = lib.docker("rmi", t)
        assert r.code == 0 : "cannot remove leftover image ${t}: ${r.err}"
    }
}
assert lib.docker("image", "inspect", "sancho-it/app:1").code == 0 : "run scripts/test-images.sh first"

// The context is reached through a symlink, and the Dockerfile's ignore file starts with a UTF-8 BOM (see
// backend/app.Dockerfile.dockerignore); both made here so that no checkout tool can flatten them.
def link = new File(basedir, "backend-link").toPath()
java.nio.file.Files.deleteIfExists(link)
java.nio.file.Files.createSymbolicLink(link, java.nio.file.Path.of("backend"))
def ignore = new File(basedir, "backend/app.Dockerfile.dockerignore")
byte[] rules = ignore.bytes
if (!(rules.length >= 3 && rules[0] == (byte) 0xEF && rules[1] == (byte) 0xBB && rules[2] == (byte) 0xBF)) {
    def withBom = new ByteArrayOutputStream()
    withBom.write([0xEF, 0xBB, 0xBF] as byte[])
    withBom.write(rules)
    ignore.bytes = withBom.toByteArray()
}
true
