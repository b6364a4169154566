def lib = new GroovyShell(new Binding(basedir: basedir)).parse(new File(basedir, "../../../src/it/_lib/OpsIt.groovy"))

try {
    def log = lib.buildLog()
    assert log.contains("BUILD SUCCESS")
    def lines = log.readLines()
    def before = lines.findIndexOf { it.contains("sancho:status — project sanchoops") }
    def after = lines.findLastIndexOf { it.contains("sancho:status — project sanchoops") }
    assert before >= 0 && after > before
    assert lines[before..<after].any { it =~ /\[INFO\] \* d2\s+2026-01-02T00:00:00Z\s+backend\s+sanchoops_rb_backend_d2\s+running\s+healthy\s+sancho-it\/app:2/ } : lines[before..<after].join("\n")
    assert lines[before..<after].any { it =~ /\[INFO\]   d1\s+2026-01-01T00:00:00Z\s+backend\s+sanchoops_rb_backend_d1\s+exited\s+-\s+sancho-it\/app:1/ }
    assert lines[after..-1].any { it =~ /\[INFO\] \* d1\s+2026-01-01T00:00:00Z\s+backend\s+sanchoops_rb_backend_d1\s+running/ } : lines[after..-1].join("\n")
    assert lines[after..-1].any { it =~ /\[INFO\]   d2\s+2026-01-02T00:00:00Z\s+backend\s+sanchoops_rb_backend_d2\s+exited/ }
    assert log.contains("Rolled back: deploy d1 is current; d2 is stopped and kept")
    assert lib.state("sanchoops_rb_backend_d1") == "running"
    assert lib.state("sanchoops_rb_backend_d2") == "exited"
    def body = new URL("http://127.0.0.1:18472/").text
    assert body.contains("version=1 deploy=d1") : body
} finally {
    lib.cleanup(["sanchoops_rb_backend_d1", "sanchoops_rb_backend_d2"], [])
}
true
