// Helpers of the compose-parity IT (loaded by its setup.groovy and verify.groovy): the docker and docker-compose
// CLIs, cleanup of both projects, and the normalised comparison of two `docker inspect` documents.
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.transform.Field

@Field final String COMPOSE_PROJECT = "cparity"
@Field final String SANCHO_PROJECT = "sparity"
/** Every service is infrastructure for sancho (one container, sparity_<service>) but APP, a per-deploy container. */
@Field final String APP = "logopts"
@Field final String DEPLOY_ID = "p1"
@Field final List<String> SERVICES = ["limits", "quota", "deployed", "secure", "priv", "net", "term", "logopts",
                                     "blkio", "fixedip", "isolated", "vfrom", "mountopts"]
/** PARITY_NET of each tool (the engine refuses two networks with overlapping subnets). */
@Field final String COMPOSE_NET = "172.29.88"
@Field final String SANCHO_NET = "172.29.89"
/** Container id or name -> <service>, filled by verify.groovy: volumes_from names another container. */
@Field final Map<String, String> CONTAINERS = [:]

/** Runs a command in DIR; returns [code, out, err]. */
def run(List cmd, File dir = null, Map extraEnv = [:]) {
    def env = extraEnv.isEmpty() ? null : (System.getenv() + extraEnv).collect { k, v -> "${k}=${v}" }
    def p = dir == null && env == null ? cmd.execute() : cmd.execute(env, dir)
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    [code: p.exitValue(), out: out.toString().trim(), err: err.toString().trim()]
}

def docker(String... args) {
    run(["docker"] + args.toList())
}

def lines(String out) {
    out.isEmpty() ? [] : out.readLines()
}

/** Removes what either project left: containers, networks and volumes, found by label and by name. */
def cleanup() {
    def containers = lines(docker("ps", "-aq", "--filter", "label=com.docker.compose.project=${COMPOSE_PROJECT}").out) +
            lines(docker("ps", "-aq", "--filter", "label=sancho.project=${SANCHO_PROJECT}").out)
    (SERVICES.collect { sanchoName(it) } + SERVICES.collect { composeName(it) } +
            ["${SANCHO_PROJECT}_sancho_lock"]).each { n ->
        if (docker("container", "inspect", n).code == 0) containers << n
    }
    containers.unique().each { docker("rm", "-f", "-v", it) }
    def networks = lines(docker("network", "ls", "-q", "--filter", "label=com.docker.compose.project=${COMPOSE_PROJECT}").out) +
            lines(docker("network", "ls", "-q", "--filter", "label=sancho.project=${SANCHO_PROJECT}").out)
    ["${COMPOSE_PROJECT}_default", "${SANCHO_PROJECT}_default", "${COMPOSE_PROJECT}_parity_net",
     "${SANCHO_PROJECT}_parity_net", "${COMPOSE_PROJECT}_locked", "${SANCHO_PROJECT}_locked"].each { n ->
        if (docker("network", "inspect", n).code == 0) networks << n
    }
    networks.unique().each { n ->
        if (docker("network", "inspect", n).code == 0) assert docker("network", "rm", n).code == 0 : "cannot remove network ${n}"
    }
    def volumes = lines(docker("volume", "ls", "-q", "--filter", "label=com.docker.compose.project=${COMPOSE_PROJECT}").out) +
            lines(docker("volume", "ls", "-q", "--filter", "label=sancho.project=${SANCHO_PROJECT}").out)
    ["${COMPOSE_PROJECT}_data", "${SANCHO_PROJECT}_data"].each { n ->
        if (docker("volume", "inspect", n).code == 0) volumes << n
    }
    volumes.unique().each { v ->
        if (docker("volume", "inspect", v).code == 0) assert docker("volume", "rm", v).code == 0 : "cannot remove volume ${v}"
    }
}

/** The container each tool made for SERVICE. */
def composeName(String service) {
    "${COMPOSE_PROJECT}_${service}_1".toString()
}

def sanchoName(String service) {
    (service == APP ? "${SANCHO_PROJECT}_${service}_${DEPLOY_ID}" : "${SANCHO_PROJECT}_${service}").toString()
}

def inspect(String name) {
    def r = docker("container", "inspect", name)
    assert r.code == 0 : "no container ${name}: ${r.err}"
    new JsonSlurper().parseText(r.out)[0]
}

/**
 * Fields that cannot be equal and why; each is left out of the comparison (the mounts are compared through the
 * container's resolved Mounts instead).
 */
@Field final Map<String, String> EXCLUDED = [
        "Config.Hostname"    : "the container id's first 12 characters when no hostname: is set",
        "HostConfig.Binds"   : "docker-compose 1.29 spells short-syntax volumes as Binds, sancho as Mounts: compared as Mounts",
        "HostConfig.Mounts"  : "see HostConfig.Binds",
        "Config.Volumes"     : "docker-compose 1.29 declares each Binds target as a volume too: compared as Mounts",
]

/**
 * Project names become <project>; an empty list or map becomes null (the engine stores what it was sent, and to it
 * no PortBindings and {} are the same); compose's and sancho's own labels go in fields() (names, ids, hashes, the
 * deploy id).
 */
def normalise(Object v) {
    if ((v instanceof Map || v instanceof List) && v.isEmpty()) {
        return null
    }
    if (v instanceof Map) {
        def m = new TreeMap()
        v.each { k, x -> m[normalise(k)] = normalise(x) }
        return m
    }
    if (v instanceof List) {
        return v.collect { normalise(it) }
    }
    if (v instanceof String) {
        String s = v
        CONTAINERS.each { k, svc -> s = s.replace(k, "<${svc}>") }
        return s.replace(COMPOSE_PROJECT, "<project>").replace(SANCHO_PROJECT, "<project>")
                .replace(COMPOSE_NET + ".", "<net>.").replace(SANCHO_NET + ".", "<net>.")
    }
    v
}

def labels(Map config) {
    (config.Labels ?: [:]).findAll { k, v -> !k.startsWith("com.docker.compose.") && !k.startsWith("sancho.") }
}

/** The mounts the container ended up with, whichever way they were asked for. */
def mounts(Map doc) {
    (doc.Mounts ?: []).collect { m ->
        [Type: m.Type, Source: m.Type == "volume" ? m.Name : m.Source, Destination: m.Destination, RW: m.RW]
    }.sort { it.Destination }
}

/**
 * The options of each mount by target, whichever way it was asked for: HostConfig.Mounts (read-only, volume nocopy,
 * bind propagation, tmpfs size and mode) or a Binds string's flags (ro, nocopy, a propagation mode, z/Z).
 */
def mountOptions(Map doc) {
    def out = new TreeMap()
    (doc.HostConfig.Mounts ?: []).each { m ->
        out[m.Target] = [ro: m.ReadOnly ?: false, nocopy: m.VolumeOptions?.NoCopy ?: false,
                         propagation: m.BindOptions?.Propagation ?: null, selinux: null,
                         size: m.TmpfsOptions?.SizeBytes ?: null, mode: m.TmpfsOptions?.Mode ?: null]
    }
    (doc.HostConfig.Binds ?: []).each { String b ->
        def parts = b.split(":")
        def flags = parts.length > 2 ? parts[2].split(",").toList() : []
        out[parts[1]] = [ro: flags.contains("ro"), nocopy: flags.contains("nocopy"),
                         propagation: flags.find { it in ["private", "rprivate", "shared", "rshared", "slave", "rslave"] },
                         selinux: flags.find { it in ["z", "Z"] }, size: null, mode: null]
    }
    out
}

/** Field -> [compose, sancho] for one service; Config.Env is compared as a set of variables. */
def fields(Map c, Map s) {
    def out = new TreeMap()
    ["HostConfig", "Config"].each { section ->
        def keys = new TreeSet((c[section] ?: [:]).keySet() + (s[section] ?: [:]).keySet())
        keys.each { k ->
            def name = "${section}.${k}".toString()
            if (EXCLUDED.containsKey(name)) return
            def a = c[section][k], b = s[section][k]
            if (name == "Config.Labels") { a = labels(c.Config); b = labels(s.Config) }
            if (name == "Config.Env") { a = (a ?: []).sort(); b = (b ?: []).sort() }
            out[name] = [normalise(a), normalise(b)]
        }
    }
    out["Mounts"] = [normalise(mounts(c)), normalise(mounts(s))]
    out["Mounts: options"] = [normalise(mountOptions(c)), normalise(mountOptions(s))]
    // the network the container is created in, with its fixed address (docker-compose 1.29 joins the others at start)
    def endpoint = { Map d -> d.NetworkSettings?.Networks?.get(d.HostConfig.NetworkMode)?.IPAMConfig }
    out["NetworkSettings.Networks[NetworkMode].IPAMConfig"] = [normalise(endpoint(c)), normalise(endpoint(s))]
    out
}

def json(Object v) {
    JsonOutput.toJson(v)
}
