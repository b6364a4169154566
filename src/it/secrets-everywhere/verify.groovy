// Issue 23, items 10-12: no secret VALUE in anything sancho prints or writes, whatever name it travels under. Each
// source's value (see docker-compose.yml) went into every place the issue lists; config, a dry run, a deploy, a
// failing health check, a failing job and two failing starts ran, three of them with -X or -e. The value must be
// nowhere in the build log, the output file, or a label sancho wrote; each place must show the mask where the value
// was, so a check cannot pass because the text never got there.
import groovy.json.JsonSlurper
import java.nio.file.Files

def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/DeployIt.groovy"))
def VALUES = [
        "settings.xml server": "SrvPw-7c41e9a2",
        "masked variable"    : "MskCr-58d0b3f6",
        "*_PASS variable"    : "SmtpP-9e2a71c4",
        "secret file"        : "FileK-3b8f0d57",
        "environment secret" : "JwtSg-6a19c2e8",
]
def URL = "postgres://app:******@db/app?c=******&s=******&j=******"
def noValueIn = { String what, String text ->
    VALUES.each { source, v -> assert !text.contains(v) : "the ${source} value appears in ${what}" }
}
def sha256 = { String s -> java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes("UTF-8")).encodeHex().toString() }
try {
    def log = new File(basedir, "build.log").text
    noValueIn("build.log", log)

    // 1: the output file, scrubbed and readable by its owner only
    def out = new File(basedir, "target/stack.yml")
    def yaml = out.text
    noValueIn("target/stack.yml", yaml)
    assert Files.getPosixFilePermissions(out.toPath()).collect { it.toString() }.sort() == ["OWNER_READ", "OWNER_WRITE"]
    assert yaml.contains(URL) : "the connection string, masked where each value was"
    assert yaml.contains("--auth=******") && yaml.contains("--jwt=******") : "command"
    assert yaml.contains("******") && yaml.readLines().any { it.contains("wget") && it.contains("# ****** ****** ****** ******") } : "healthcheck.test"
    assert yaml.contains("Bearer ****** ****** ****** ******") : "a label"
    assert yaml.contains("x-******-******-******-******") : "logging.options"
    assert yaml.contains("tmpfs-******-******-******-******") : "volume driver_opts"
    // 2: the same on the log
    assert log.contains("Bearer ****** ****** ****** ******")

    // 4: the build's output shows its RUN step, scrubbed; the deploy worked
    assert log.contains("build: connecting to " + URL + " for d1") : "the build output, with its build arg masked"
    assert log.contains("Deployed d1: started ")
    // labels sancho wrote hold neither a value nor an unsalted digest of one; the user's own label holds what the
    // file says (it is the user's configuration, like an environment value)
    ["sanchosec_backend_d1", "sanchosec_migrate_d1"].each { name ->
        def inspect = new JsonSlurper().parseText(lib.dockerOk("inspect", name))[0]
        def labels = inspect.Config.Labels
        labels.each { k, v ->
            if (k != "it.sanchosec.auth") {
                noValueIn("label ${k} of ${name}", "${v}")
            }
        }
        assert labels["sancho.digest-key-id"] ==~ /[0-9a-f]{12}/ : "${name}: digests made with the project's key"
        def url = inspect.Config.Env.find { it.startsWith("DATABASE_URL=") }
        def unsalted = sha256(url).substring(0, 8)
        def fields = labels["sancho.config-fields"].split(",").collectEntries { def kv = it.split("=", 2); [(kv[0]): kv[1]] }
        assert fields["env.DATABASE_URL"] ==~ /[0-9a-f]{8}/ && fields["env.DATABASE_URL"] != unsalted :
                "${name}: sancho.config-fields holds the unsalted digest of DATABASE_URL"
    }
    assert lib.container("sanchosec_backend_d1").labels["it.sanchosec.auth"] ==
            "Bearer SrvPw-7c41e9a2 MskCr-58d0b3f6 SmtpP-9e2a71c4 JwtSg-6a19c2e8"
    def key = new JsonSlurper().parseText(lib.dockerOk("volume", "inspect", "sanchosec_sancho_digest_key"))[0].Labels
    assert key["sancho.project"] == "sanchosec" && key["sancho.role"] == "digest-key" && key["sancho.digest-key"]
    assert !log.contains(key["sancho.digest-key"]) : "the digest key itself is never printed"
    assert log.count("Created volume sanchosec_sancho_digest_key") == 1 : "the key is created once"
    lib.dockerOk("images", "-q", "--filter", "label=sancho.project=sanchosec").readLines().unique().each { id ->
        noValueIn("the labels of image ${id}", lib.dockerOk("image", "inspect", "--format", "{{json .Config.Labels}}", id))
    }

    // 5: the failing health check quotes the backend's log lines (its argv, its environment and both secret files)
    assert log.contains("deploy d2 failed: sanchosec_backend_d2: its healthcheck reports unhealthy")
    assert log.contains("backend: --auth=****** --cred=****** --smtp=****** --jwt=****** url=" + URL
            + " pgpass=****** key=****** jwt=******") // PGPASS is a secret name: its whole value is masked too
    // 6: the failing job quotes its output
    assert log.contains("migrate: " + URL + " key=****** jwt=******")
    // 7: the engine's start error quotes the mount options
    assert log.contains("data: size=1m,password=******-******-******-******: invalid argument") : "the mount error"
    // 8: the OCI error quotes the argv; -e prints the cause chain, scrubbed too
    assert log.contains('exec: \\"/opt/backend --auth=****** --cred=****** --smtp=****** --jwt=******\\"')
            || log.contains('exec: "/opt/backend --auth=****** --cred=****** --smtp=****** --jwt=******"') : "the OCI error"
    assert log.contains("[DEBUG]") : "-X ran"
    assert lib.container("sanchosec_backend_d1").state == "running" : "the failed deploys left d1 serving"
} finally {
    lib.removeContainers(["sanchosec_sancho_lock"])
    lib.removeProject("sanchosec", ["sanchosec_scratch", "sanchosec_broken"], ["sanchosec_default"])
    def images = lib.dockerOk("images", "--filter", "label=sancho.project=sanchosec", "--format", "{{.Repository}}:{{.Tag}}")
    (images.isEmpty() ? [] : images.readLines()).unique().each { t -> lib.docker("rmi", t) }
    lib.unlockIt("secrets-everywhere")
}
true
