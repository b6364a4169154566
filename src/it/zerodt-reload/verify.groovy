// x-sancho-proxy under the client loop: 0 failed requests across the three redeploys; with the reload (r2) the
// deploy's own timeline shows shorter dns and drain steps than without it (r1), and its log the two observed reloads
// (new nginx workers up); a reload that fails (r3) is one warning line and the cutover falls back to the DNS waits.
// Compared on the steps each deploy reports, not on wall-clock thresholds.
def it = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
try {
    def loop = it.stopClientLoop("sanchorl.loop", basedir)
    def results = loop.results, failed = loop.failed
    assert results.size() >= 100 : "only ${results.size()} requests were sent: the redeploys were not covered"
    assert failed.isEmpty() : "${failed.size()} requests failed during the redeploys (all in requests.txt), first: ${failed.take(5)}"
    ["/", "/front/"].each { path ->
        def seen = []
        results.findAll { it.path == path }.each { r -> if (!seen.contains(r.deploy)) seen << r.deploy }
        assert seen == ["r0", "r1", "r2", "r3"] : "${path} answered deploys ${seen} in this order"
    }

    def log = new File(basedir, "build.log").text
    def steps = { String id ->
        def m = log =~ /deployed ${id} in [\d.]+ s: (.*)/
        assert m.find() : "no timeline for ${id}"
        m.group(1).split(", ").collectEntries { s -> def (k, v) = s.split(" "); [(k): v as double] }
    }
    def r1 = steps("r1"), r2 = steps("r2"), r3 = steps("r3")
    println "zerodt-reload: without reload r1 ${r1}; with reload r2 ${r2}; failing reload r3 ${r3}"
    // without a reload: the new deploy in DNS >= 2 s (sancho.proxyResolveInterval), the old one out of DNS >= 2 s
    assert r1.dns >= 2.0 && r1.drain >= 2.0 : "r1 ${r1}"
    assert r2.dns < r1.dns && r2.drain < r1.drain : "with the reload the cache waits shrink: r2 ${r2} vs r1 ${r1}"
    // the reload ran twice and was observed (nginx's new workers replaced the old ones), in the plan as in the run
    assert log.contains("  reload   sanchorl_proxy: nginx -s reload (x-sancho-proxy) once the new deploy is in DNS")
    assert log =~ /reloaded the proxy sanchorl_proxy \(nginx -s reload\) after the new deploy joined DNS in \d+ ms, \d+ new workers? up/
    assert log =~ /reloaded the proxy sanchorl_proxy \(nginx -s reload\) after the previous deploy left DNS in \d+ ms, \d+ new workers? up/
    assert log =~ /drained the previous deploy in \d+( ms| s): no open connections left/
    // the failing reload: one line, then today's waits
    def warned = log.readLines().findAll { it.contains("the proxy reload `nginx -s reloadx` in sanchorl_proxy failed") }
    assert warned.size() == 1 : "one line for the failed reload: ${warned}"
    assert warned[0].contains("exit code 1") && warned[0].contains("waiting for its DNS cache instead") : warned[0]
    assert r3.dns >= 2.0 && r3.drain >= 2.0 : "the failed reload falls back to the DNS waits: r3 ${r3}"

    // the proxy: reloaded, never recreated or restarted
    def fmt = "{{.Created}} {{.State.StartedAt}} {{.RestartCount}}"
    def proxy = it.dockerOk("inspect", "--type", "container", "--format", fmt, "sanchorl_proxy").split(" ")
    def r2created = it.dockerOk("inspect", "--type", "container", "--format", "{{.Created}}", "sanchorl_backend_r2")
    assert proxy[0] < r2created && proxy[1] < r2created && proxy[2] == "0" : "the proxy was recreated or restarted"
    ["backend", "frontend"].each { s ->
        assert it.container("sanchorl_${s}_r3").state == "running"
        assert it.container("sanchorl_${s}_r2").state == "exited"
    }
} finally {
    it.dropClientLoop("sanchorl.loop")
    it.removeContainers(["sanchorl_proxy", "sanchorl_sanchorl_lock"])
    it.removeProject("sanchorl", [], ["sanchorl_default"])
}
true
