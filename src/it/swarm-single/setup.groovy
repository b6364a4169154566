// Starts a one-node Docker Swarm on a dedicated engine (scripts/swarm.sh up sancho-swarm-it 1: dockerd in its own
// network namespace, linked to a private /24, `swarm init` on its link address, the test images copied in) and the
// database's external volume on it. First removes what a killed earlier run left. The shared engine is not touched.
def eng = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/EngineIt.groovy"))
eng.swarmSetup(basedir, "swarm-single", "sancho-swarm-it", 1, "sanchosw_pgdata")
true
