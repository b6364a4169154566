// This IT starts a second dockerd in its own network namespace (ip netns, nsenter, dockerd): that needs root. CI
// (.ci/run) runs as root and so always runs it; elsewhere it is skipped when not root, and says so.
def uid = ["id", "-u"].execute().text.trim()
if (uid != "0") {
    println "acme-caddy: SKIPPED: needs root to start a dedicated dockerd in its own network namespace (uid ${uid})"
    return false
}
true
