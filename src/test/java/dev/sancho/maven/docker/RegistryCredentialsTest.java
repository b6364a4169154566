package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCredentialsTest {
    private static final String REG = "127.0.0.1:5000";

    @TempDir
    Path dir;

    private final List<String> helperCalls = new ArrayList<>();

    /** Helpers answering from a table: name -> answer; a name not in the table is "not on PATH". */
    private RegistryCredentials.Helpers helpers(Map<String, RegistryCredentials.HelperAnswer> answers) {
        return (name, url) -> {
            helperCalls.add(name + " " + url);
            RegistryCredentials.HelperAnswer a = answers.get(name);
            if (a == null) {
                throw new RegistryCredentials.HelperMissing("docker-credential-" + name);
            }
            return a;
        };
    }

    private static RegistryCredentials.HelperAnswer ok(String user, String secret) {
        return new RegistryCredentials.HelperAnswer(0, "{\"ServerURL\":\"x\",\"Username\":\"" + user
                + "\",\"Secret\":\"" + secret + "\"}", "");
    }

    private void config(String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private RegistryCredentials creds(ServerLogins servers, Map<String, RegistryCredentials.HelperAnswer> answers) {
        return new RegistryCredentials(servers, dir, helpers(answers));
    }

    private static ServerLogins server(String id, String user, String password) {
        return wanted -> wanted.equals(id) ? Optional.of(new ServerLogins.Login(user, password)) : Optional.empty();
    }

    private static final String ALL_SOURCES = "{\"credHelpers\":{\"" + REG + "\":\"pass\"},\"credsStore\":\"desktop\","
            + "\"auths\":{\"" + REG + "\":{\"auth\":\"" + b64("fileuser:filepw") + "\"}}}";

    @Test
    void theRegistryOfAnImageIsItsFirstComponentWhenThatIsAHostElseDockerHub() {
        assertEquals("docker.io", RegistryCredentials.registryOf("postgres:16"));
        assertEquals("docker.io", RegistryCredentials.registryOf("library/postgres"));
        assertEquals("docker.io", RegistryCredentials.registryOf("user/app:1"));
        assertEquals("docker.io", RegistryCredentials.registryOf("docker.io/user/app"));
        assertEquals("docker.io", RegistryCredentials.registryOf("index.docker.io/user/app"));
        assertEquals(REG, RegistryCredentials.registryOf(REG + "/team/app:1@sha256:abc"));
        assertEquals("localhost", RegistryCredentials.registryOf("localhost/app"));
        assertEquals("ghcr.io", RegistryCredentials.registryOf("ghcr.io/o/app"));
        assertFalse(RegistryCredentials.namesRegistry("user/app"));
        assertTrue(RegistryCredentials.namesRegistry("ghcr.io/o/app"));
    }

    @Test
    void settingsXmlServerComesFirstAndNoHelperRuns() throws IOException {
        config(ALL_SOURCES);
        RegistryAuth a = creds(server(REG, "mvnuser", "mvnpw"), Map.of("pass", ok("h", "hpw"))).forRegistry(REG)
                .orElseThrow();
        assertEquals(List.of("mvnuser", "mvnpw", "settings.xml server '" + REG + "'"),
                List.of(a.username(), a.secret(), a.source()));
        assertEquals(List.of(), helperCalls);
    }

    @Test
    void dockerHubServerIdsAreTheHostNamesJibAccepts() {
        for (String id : List.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com")) {
            RegistryAuth a = creds(server(id, "u", "p"), Map.of()).forImage("user/app:1").orElseThrow(() ->
                    new AssertionError(id));
            assertEquals("docker.io", a.registry());
        }
    }

    @Test
    void credHelpersComeBeforeCredsStoreAndAuths() throws IOException {
        config(ALL_SOURCES);
        RegistryAuth a = creds(ServerLogins.NONE, Map.of("pass", ok("h", "hpw"), "desktop", ok("d", "dpw")))
                .forRegistry(REG).orElseThrow();
        assertEquals(List.of("h", "hpw"), List.of(a.username(), a.secret()));
        assertEquals("credential helper docker-credential-pass (credHelpers)", a.source());
        assertEquals(List.of("pass " + REG), helperCalls, "the helper gets the registry host on stdin");
    }

    @Test
    void credsStoreComesBeforeAuthsAndGetsDockerHubsServerUrl() throws IOException {
        config("{\"credsStore\":\"desktop\",\"auths\":{\"https://index.docker.io/v1/\":{}}}");
        RegistryAuth a = creds(ServerLogins.NONE, Map.of("desktop", ok("d", "dpw"))).forImage("user/app")
                .orElseThrow();
        assertEquals(List.of("d", "dpw"), List.of(a.username(), a.secret()));
        assertEquals(List.of("desktop https://index.docker.io/v1/"), helperCalls);
    }

    @Test
    void aHelperWithNothingStoredPassesOnToTheNextSource() throws IOException {
        config(ALL_SOURCES);
        var notFound = new RegistryCredentials.HelperAnswer(1, "credentials not found in native keychain\n", "");
        RegistryAuth a = creds(ServerLogins.NONE, Map.of("pass", notFound, "desktop", notFound)).forRegistry(REG)
                .orElseThrow();
        assertEquals(List.of("fileuser", "filepw"), List.of(a.username(), a.secret()));
        assertTrue(a.source().startsWith("auths[\"" + REG + "\"] of "), a.source());
    }

    @Test
    void authsWithUsernamePasswordOrIdentityTokenAndAnyUrlFormOfTheKey() throws IOException {
        config("{\"auths\":{\"https://" + REG + "/v2/\":{\"username\":\"u\",\"password\":\"p\"},"
                + "\"ghcr.io\":{\"auth\":\"\",\"identitytoken\":\"tok-123\"}}}");
        RegistryCredentials c = creds(ServerLogins.NONE, Map.of());
        RegistryAuth a = c.forRegistry(REG).orElseThrow();
        assertEquals(List.of("u", "p"), List.of(a.username(), a.secret()));
        RegistryAuth t = c.forRegistry("ghcr.io").orElseThrow();
        assertTrue(t.identityToken());
        assertEquals("tok-123", t.secret());
        assertEquals(Optional.empty(), c.forRegistry("other.example.com"));
    }

    @Test
    void tokenUsernameFromAHelperIsAnIdentityToken() throws IOException {
        config("{\"credHelpers\":{\"" + REG + "\":\"ecr\"}}");
        RegistryAuth a = creds(ServerLogins.NONE, Map.of("ecr", ok("<token>", "refresh-tok"))).forRegistry(REG)
                .orElseThrow();
        assertTrue(a.identityToken());
        assertEquals(null, a.username());
        assertEquals("refresh-tok", a.secret());
    }

    @Test
    void noConfigFileAndNoServerIsAnAnonymousPull() {
        assertEquals(Optional.empty(), creds(ServerLogins.NONE, Map.of()).forRegistry(REG));
    }

    @Test
    void aFailingHelperIsOneLineNamingHelperAndRegistry() throws IOException {
        config("{\"credHelpers\":{\"" + REG + "\":\"pass\"}}");
        var failing = new RegistryCredentials.HelperAnswer(2, "", "gpg: decryption failed: No secret key\nmore\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> creds(ServerLogins.NONE, Map.of("pass", failing)).forRegistry(REG));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("docker-credential-pass"), e.getMessage());
        assertTrue(e.getMessage().contains("registry " + REG), e.getMessage());
        assertTrue(e.getMessage().contains("gpg: decryption failed"), e.getMessage());
    }

    @Test
    void aMissingHelperBinaryIsOneLine() throws IOException {
        config("{\"credsStore\":\"osxkeychain\"}");
        ConfigException e = assertThrows(ConfigException.class,
                () -> creds(ServerLogins.NONE, Map.of()).forRegistry(REG));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("docker-credential-osxkeychain (credsStore"), e.getMessage());
        assertTrue(e.getMessage().contains("is not on PATH"), e.getMessage());
        assertTrue(e.getMessage().contains(REG), e.getMessage());
    }

    @Test
    void aRealHelperProcessIsFoundOnPathAndReadsTheServerUrlOnStdin() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve("docker-credential-sanchounit");
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = get ] || exit 3\nread url\n"
                + "printf '{\"Username\":\"u-%s\",\"Secret\":\"s\"}' \"$url\"\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        var answer = new RegistryCredentials.ProcessHelpers("/nonexistent:" + bin).get("sanchounit", REG);
        assertEquals(0, answer.exitCode());
        assertEquals("{\"Username\":\"u-" + REG + "\",\"Secret\":\"s\"}", answer.stdout());
        assertThrows(RegistryCredentials.HelperMissing.class,
                () -> new RegistryCredentials.ProcessHelpers(bin.toString()).get("absent", REG));
    }

    @Test
    void secretsNeverAppearInMessagesOrToString() throws IOException {
        config("{\"auths\":{\"" + REG + "\":{\"auth\":\"" + b64("user-without-colon") + "\"}}}");
        ConfigException e = assertThrows(ConfigException.class,
                () -> creds(ServerLogins.NONE, Map.of()).forRegistry(REG));
        assertFalse(e.getMessage().contains("user-without-colon"), e.getMessage());
        config("{\"auths\": {\"" + REG + "\": {\"auth\": \"s3cret-b64\",, }}");
        ConfigException bad = assertThrows(ConfigException.class,
                () -> creds(ServerLogins.NONE, Map.of()).forRegistry(REG));
        assertFalse(bad.getMessage().contains("s3cret"), bad.getMessage());
        RegistryAuth a = new RegistryAuth(REG, "u", "topsecret", false, "src");
        assertFalse(a.toString().contains("topsecret"));
        assertFalse(new ServerLogins.Login("u", "topsecret").toString().contains("topsecret"));
    }

    @Test
    void aHelperRunsOncePerRegistry() throws IOException {
        config("{\"credHelpers\":{\"" + REG + "\":\"pass\"}}");
        RegistryCredentials c = creds(ServerLogins.NONE, Map.of("pass", ok("h", "p")));
        c.forRegistry(REG);
        c.forImage(REG + "/a:1");
        assertEquals(1, helperCalls.size());
    }

    @Test
    void aMalformedConfigNamesTheFileAndPlaceButNoCredential() throws IOException {
        String auth = b64("deployer:Gr8-Secret-Pw");
        // an unquoted auth value: Jackson's own message would be "Unrecognized token '<auth>'"
        config("{\n  \"auths\": {\n    \"" + REG + "\": {\"auth\": " + auth + "}\n  }\n}\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> creds(ServerLogins.NONE, Map.of()).forRegistry(REG));
        assertTrue(e.getMessage().startsWith("Docker config file " + dir.resolve("config.json") + " cannot be read as"
                + " JSON (registry credentials): error at line 3, column"), e.getMessage());
        assertFalse(e.getMessage().contains(auth.substring(0, 8)), e.getMessage());
        assertEquals(null, e.getCause(), "no cause whose message -X would print");
    }
}
