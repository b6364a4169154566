// Stops the client loop, asserts zero failed requests across the 5 redeploys and that both routes switched to
// every new deploy in turn; checks the proxy was never recreated or restarted; then removes what the IT created.
def it = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
try {
    def loop = it.stopClientLoop("sanchozd.loop", basedir)
    def results = loop.results, failed = loop.failed
    assert results.size() >= 200 : "only ${results.size()} requests were sent: the redeploys were not covered"
    assert failed.isEmpty() : "${failed.size()} requests failed during the redeploys (all in requests.txt), first: ${failed.take(5)}"

    ["/", "/front/"].each { path ->
        def seen = []
        results.findAll { it.path == path }.each { r -> if (!seen.contains(r.deploy)) seen << r.deploy }
        assert seen == ["z0", "z1", "z2", "z3", "z4", "z5"] : "${path} answered deploys ${seen} in this order"
        def last = results.findAll { it.path == path }.last()
        assert last.deploy == "z5" && last.version == "2" : "${path} answered ${last} at the end"
        // old and new answer side by side only during a switch: once z(k+1) answered, z(k-1) never answers again
        def max = 0
        results.findAll { it.path == path }.each { r ->
            int k = r.deploy.substring(1) as int
            assert k >= max - 1 : "${path}: ${r.deploy} answered after z${max} had (${r})"
            max = Math.max(max, k)
        }
    }

    def log = new File(basedir, "build.log").text
    assert log.contains("sanchozd_backend_z4 left DNS alias backend on sanchozd_default") : "no drain in build.log"
    // the drain is observed: it ends once the old containers' connections are gone (read from their
    // /proc/net/tcp), not after a fixed time; and every deploy ends with its timeline
    assert log =~ /drained the previous deploy in \d+( ms| s): no open connections left/ : "no observed drain in build.log"
    (1..5).each { k -> assert log =~ /deployed z${k} in [\d.]+ s: build [\d.]+, lock [\d.]+, plan [\d.]+, start [\d.]+, ready [\d.]+, dns [\d.]+, drain [\d.]+, stop [\d.]+, verify [\d.]+/ : "no timeline for z${k}" }

    // the proxy: created once by deploy z0, then adopted untouched (never recreated, never restarted)
    assert log.count("Created sanchozd_proxy (infrastructure)") == 1
    assert log.count("infra    sanchozd_proxy: adopt, untouched") == 5
    def fmt = "{{.Created}} {{.State.StartedAt}} {{.RestartCount}}"
    def proxy = it.dockerOk("inspect", "--type", "container", "--format", fmt, "sanchozd_proxy").split(" ")
    def z4 = it.dockerOk("inspect", "--type", "container", "--format", "{{.Created}}", "sanchozd_backend_z4")
    assert proxy[0] < z4 && proxy[1] < z4 && proxy[2] == "0" : "the proxy was recreated or restarted: ${proxy} vs ${z4}"
    assert it.container("sanchozd_proxy").state == "running"

    // z5 serves, z4 is kept stopped (keep=1) with its alias back for a rollback, older deploys are gone
    ["backend", "frontend"].each { s ->
        assert it.container("sanchozd_${s}_z5").state == "running"
        assert it.container("sanchozd_${s}_z4").state == "exited"
        def aliases = it.dockerOk("inspect", "--type", "container", "--format",
                "{{json (index .NetworkSettings.Networks \"sanchozd_default\").Aliases}}", "sanchozd_${s}_z4")
        assert aliases.contains("\"${s}\"") : "kept ${s} z4 did not get its alias back: ${aliases}"
        ["z0", "z1", "z2", "z3"].each { d -> assert it.container("sanchozd_${s}_${d}") == null }
    }
} finally {
    it.dropClientLoop("sanchozd.loop")
    it.removeContainers(["sanchozd_proxy", "sanchozd_sanchozd_lock"])
    it.removeProject("sanchozd", [], ["sanchozd_default"])
}
true
