// Starts a two-node Docker Swarm on dedicated engines (scripts/swarm.sh up sancho-swarm-two 2: each dockerd in its own
// network namespace, linked on a private /24, `swarm init` on node 1, node 2 joined, the test images copied into both)
// and the database's external volume on node 1, the manager the database is pinned to. First removes what a killed
// earlier run left. The shared engine is not touched.
def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
eng.swarmSetup(basedir, "swarm-two-node", "sancho-swarm-two", 2, "sanchotw_pgdata")
true
