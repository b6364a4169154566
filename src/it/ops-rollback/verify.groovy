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
    // like every deploy, the rollback ends with its timeline; both deploys publish host port 18472, so d2 was stopped
    // before d1 started (the swap): stopping it counts as start, and there was no cutover (no dns, drain, stop)
    assert log =~ /rolled back to d1 in [\d.]+ s: lock [\d.]+, plan [\d.]+, start [\d.]+, ready [\d.]+\n/ : "no rollback timeline in build.log"
    assert lib.state("sanchoops_rb_backend_d1") == "running"
    assert lib.state("sanchoops_rb_backend_d2") == "exited"
    def body = new URL("http://127.0.0.1:18472/").text
    assert body.contains("version=1 deploy=d1") : body
    // target/sancho/rollback.json (issue 24): without a deploy named it went from the current d2 back to d1
    def json = new groovy.json.JsonSlurper().parse(new File(basedir, "target/sancho/rollback.json"))
    assert json.goal == "rollback" && json.target == "engine" && json.project == "sanchoops" &&
            json.outcome == "rolled-back" && json.from == "d2" && json.to == "d1" && json.error == null : json
} finally {
    lib.cleanup(["sanchoops_rb_backend_d1", "sanchoops_rb_backend_d2"], [])
}
true
