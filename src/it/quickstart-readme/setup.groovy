// README.md's quick start, exactly as written, for a newcomer with an empty ~/.m2 (see scripts/quickstart-check.sh).
def script = new File(basedir, "../../../scripts/quickstart-check.sh").canonicalFile
def out = new File(basedir, "quickstart.log")
def p = new ProcessBuilder("bash", script.path).redirectErrorStream(true).redirectOutput(out).start()
p.outputStream.close()
def code = p.waitFor()
println out.text
assert code == 0 : "scripts/quickstart-check.sh failed (exit ${code}), see ${out}"
assert out.text.contains("OK: the quick start deployed the example")
true
