// Deploys a stack whose only image is in a private registry (absent locally), once per credential source, each on
// its own: a settings.xml <server> whose id is the registry host (password encrypted with settings-security.xml),
// a credential helper on PATH (credHelpers), the auths entry `docker login` wrote. Each time the image was pulled
// and the deploy serves. A wrong password fails with one line naming the registry and the source, nothing changed.
// No password ever reaches a log.
def reg = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/RegistryIt.groovy"))
def r = reg.coordinates(basedir)
def P = "sanchoreg"
def repo = new File(localRepositoryPath.toString())
def version = (new File(basedir, "pom.xml").text =~ /<artifactId>sancho-maven-plugin<\/artifactId>\s*<version>([^<]+)</)[0][1]
def plugin = "dev.sancho:sancho-maven-plugin:${version}"
int http = reg.freePort()
def empty = new File(basedir, "empty-docker-config"); empty.mkdirs()
def baseEnv = [SANCHOREG_IMAGE: r.image, SANCHOREG_HTTP: http, DOCKER_CONFIG: empty.absolutePath]
def plainSettings = reg.settings(basedir, new File(basedir, "plain-settings.xml"))
def tail = { String log -> log.readLines().takeRight(30).join("\n") }
def noSecrets = { String log, String what ->
    assert !log.contains(r.password) : "${what}: the registry password is in the log"
    assert !log.contains(Base64.encoder.encodeToString("${r.user}:${r.password}".getBytes("UTF-8"))) : "${what}: auth in the log"
}
def absent = { -> reg.docker("image", "inspect", r.image).code != 0 }
def reset = { ->
    reg.removeProject(P, [], [])
    if (!absent()) reg.dockerOk("rmi", r.image)
}
def deployWith = { String id, File settings, Map env, List extra = [] ->
    reset()
    assert absent()
    def run = reg.mvn(basedir, repo, "deploy-" + id, settings, baseEnv + env,
            ["${plugin}:deploy", "-Dsancho.deployId=${id}", "-Dsancho.lockTimeout=30s"] + extra)
    noSecrets(run.log, id)
    run
}
def served = { String id, Map run, String source ->
    assert run.code == 0 : "deploy ${id} failed:\n" + tail(run.log)
    assert !absent() : "${id}: image not pulled"
    assert run.log.contains("Pulling ${r.image} (not present locally)")
    assert run.log =~ /Pulled ${java.util.regex.Pattern.quote(r.image)} \([0-9.]+ [kM]?B, \d+ of \d+ layers new\) in \d+ s, credentials from ${java.util.regex.Pattern.quote(source)}/
    def answer = null
    assert reg.within(15) { (answer = reg.get(http)).status == 200 && answer.body.contains("deploy=" + id) } :
            "${id}: 127.0.0.1:${http} answered ${answer}"
}
try {
    // 1. settings.xml <server><id>127.0.0.1:PORT</id>, the password encrypted with a master password
    def mvnBin = new File(System.getProperty("maven.home"), "bin/mvn").absolutePath
    def master = reg.run([mvnBin, "-B", "--encrypt-master-password", "sanchoreg-master-7e1"]).out.readLines().last().trim()
    def security = new File(basedir, "settings-security.xml")
    security.text = "<settingsSecurity><master>${master}</master></settingsSecurity>"
    def encrypted = reg.run([mvnBin, "-B", "-Dsettings.security=${security.absolutePath}", "--encrypt-password",
            r.password]).out.readLines().last().trim()
    assert encrypted.startsWith("{") && !encrypted.contains(r.password)
    def serverSettings = reg.settings(basedir, new File(basedir, "server-settings.xml"),
            "<server><id>${r.host}</id><username>${r.user}</username><password>${encrypted}</password></server>")
    def s1 = deployWith("s1", serverSettings, [:], ["-Dsettings.security=${security.absolutePath}"])
    served("s1", s1, "settings.xml server '${r.host}'")

    // 2. a credential helper on PATH, named by credHelpers in config.json
    def bin = new File(basedir, "helper-bin"); bin.mkdirs()
    def calls = new File(basedir, "helper-calls.txt"); calls.delete()
    def helper = new File(bin, "docker-credential-sanchotest")
    helper.text = """#!/bin/sh
[ "\$1" = get ] || exit 3
read url
echo "\$1 \$url" >> '${calls.absolutePath}'
[ "\$url" = '${r.host}' ] || { echo "credentials not found in native keychain"; exit 1; }
printf '{"ServerURL":"%s","Username":"${r.user}","Secret":"${r.password}"}' "\$url"
"""
    helper.setExecutable(true)
    def helperConfig = new File(basedir, "helper-config"); helperConfig.mkdirs()
    new File(helperConfig, "config.json").text = groovy.json.JsonOutput.toJson([credHelpers: [(r.host): "sanchotest"]])
    def s2 = deployWith("s2", plainSettings, [DOCKER_CONFIG: helperConfig.absolutePath,
            PATH: bin.absolutePath + File.pathSeparator + System.getenv("PATH")])
    served("s2", s2, "credential helper docker-credential-sanchotest (credHelpers)")
    assert calls.readLines() == ["get ${r.host}".toString()] : "the helper runs once, with the registry host on stdin"

    // 3. the auths entry docker login wrote into its DOCKER_CONFIG
    def s3 = deployWith("s3", plainSettings, [DOCKER_CONFIG: new File(basedir, "login-config").absolutePath])
    served("s3", s3, "auths[\"${r.host}\"] of ${new File(basedir, 'login-config/config.json').absolutePath}")

    // 4. a wrong password: one line naming the registry and the source; nothing changed on the engine
    reset()
    def wrongSettings = reg.settings(basedir, new File(basedir, "wrong-settings.xml"),
            "<server><id>${r.host}</id><username>${r.user}</username><password>not-the-Pw-0</password></server>")
    def bad = deployWith("s4", wrongSettings, [:])
    assert bad.code != 0 : "a wrong password must fail the build"
    def errors = bad.log.readLines().findAll { it.startsWith("[ERROR]") && !it.trim().equals("[ERROR]") }
    def line = errors.find { it.contains("refused the pull") }
    assert line != null : "no refused-pull line:\n" + tail(bad.log)
    assert line.contains("registry ${r.host} refused the pull of ${r.image} with the credentials from settings.xml server '${r.host}'")
    assert line.contains("nothing was changed")
    assert !line.contains("not-the-Pw-0")
    assert !bad.log.contains("not-the-Pw-0")
    assert !bad.log.contains("\tat ") : "stack trace in the log"
    assert reg.namesByLabel("sancho.project", P).isEmpty() : "a container was created"
    assert absent()

    // 5. without any credentials: the same one line, saying none were found and where it looked
    def anon = deployWith("s5", plainSettings, [:])
    assert anon.code != 0
    assert anon.log.contains("registry ${r.host} refused the pull of ${r.image} without credentials (none for ${r.host} in settings.xml <server>")
    assert reg.namesByLabel("sancho.project", P).isEmpty()

    // 6. pinned by digest, name:tag@sha256 too: pulled by digest, deployed
    def pinned = "${r.image}@${r.digest}".toString()
    def s6 = deployWith("s6", plainSettings, [DOCKER_CONFIG: new File(basedir, "login-config").absolutePath,
            SANCHOREG_IMAGE: pinned])
    assert s6.code == 0 : "deploy by digest failed:\n" + tail(s6.log)
    assert s6.log.contains("Pulled ${pinned}")
    def answer = null
    assert reg.within(15) { (answer = reg.get(http)).status == 200 && answer.body.contains("deploy=s6") } : "${answer}"

    // 7. pull_policy: always pulls an image that is present; never refuses an absent one in one line, file:line
    reg.removeProject(P, [], [])
    def login = new File(basedir, "login-config")
    assert reg.dockerWith(login, ["pull", r.image]).code == 0
    def s7 = reg.mvn(basedir, repo, "deploy-s7", plainSettings, baseEnv + [DOCKER_CONFIG: login.absolutePath,
            SANCHOREG_PULL: "always"], ["${plugin}:deploy", "-Dsancho.deployId=s7"])
    assert s7.code == 0 : "deploy s7 failed:\n" + tail(s7.log)
    assert s7.log.contains("pull     ${r.image} (pull_policy: always)")
    assert s7.log.contains("Pulling ${r.image} (pull_policy: always)")
    assert s7.log.readLines().count { it.contains("Pulling ${r.image}") } == 1 : "pulled once, before the lock"
    assert reg.within(15) { reg.get(http).body.contains("deploy=s7") }
    def s8 = deployWith("s8", plainSettings, [DOCKER_CONFIG: login.absolutePath, SANCHOREG_PULL: "never"])
    assert s8.code != 0
    def never = s8.log.readLines().find { it.startsWith("[ERROR]") && it.contains("pull_policy") }
    assert never != null : tail(s8.log)
    assert never =~ /docker-compose\.yml:\d+/ && never.contains("services.web.pull_policy")
    assert never.contains("is never, but image ${r.image} is not on the engine")
    assert reg.namesByLabel("sancho.project", P).isEmpty() && absent()

    // 9. a build FROM an image of the private registry: the engine pulls the base with the credentials sancho
    // sends for the FROM lines' registries (settings.xml server here)
    reset()
    def fromBase = reg.mvn(basedir, repo, "build-frombase", serverSettings, baseEnv,
            ["${plugin}:build", "-Dsancho.deployId=b1", "-Dsancho.composeFile=frombase/docker-compose.yml",
             "-Dsettings.security=${security.absolutePath}"])
    noSecrets(fromBase.log, "build-frombase")
    assert fromBase.code == 0 : "build FROM the private registry failed:\n" + tail(fromBase.log)
    assert reg.dockerOk("run", "--rm", "--entrypoint", "cat", "sanchoreg/frombase:1", "/frombase.txt") == "built-on-private-base"
    assert !absent() : "the engine pulled the base"
} finally {
    ["sanchoreg/app:b1", "sanchoreg/frombase:1"].each { t -> if (reg.docker("image", "inspect", t).code == 0) reg.docker("rmi", t) }
    reg.removeProject(P, [], [])
    [r.image, "${r.image}@${r.digest}".toString()].each { t -> if (reg.docker("image", "inspect", t).code == 0) reg.docker("rmi", t) }
    reg.stop("registry-pull")
    reg.unlockIt("registry-pull")
}
true
