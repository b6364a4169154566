package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.core.DockerClientConfig;
import dev.sancho.maven.common.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConnectTest {
    @TempDir
    Path dockerConfig;

    private Map<String, String> env;

    @BeforeEach
    void isolateFromTheRealDockerConfig() {
        env = new HashMap<>();
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        env.put("HOME", dockerConfig.resolve("home").toString());
    }

    private void context(String name, String host) throws IOException {
        Path dir = dockerConfig.resolve("contexts/meta").resolve(DockerConnect.sha256Hex(name));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("meta.json"), "{\"Name\":\"" + name + "\",\"Metadata\":{},"
                + "\"Endpoints\":{\"docker\":{\"Host\":\"" + host + "\",\"SkipTLSVerify\":false}}}");
    }

    private void currentContext(String name) throws IOException {
        Files.writeString(dockerConfig.resolve("config.json"),
                "{\"auths\":{},\"currentContext\":\"" + name + "\"}");
    }

    @Test
    void withNothingConfiguredItIsTheLocalSocket() {
        assertEquals(new DockerConnect.Address("unix:///var/run/docker.sock", "default"),
                DockerConnect.resolve(null, env));
    }

    @Test
    void theParameterWinsOverEverything() throws IOException {
        env.put("DOCKER_HOST", "tcp://from-env:2375");
        context("remote", "tcp://from-context:2375");
        currentContext("remote");
        assertEquals(new DockerConnect.Address("unix:///run/param.sock", "parameter sancho.dockerHost"),
                DockerConnect.resolve(" unix:///run/param.sock ", env));
    }

    @Test
    void aBlankParameterFallsBackToDockerHost() {
        env.put("DOCKER_HOST", "tcp://from-env:2375");
        assertEquals(new DockerConnect.Address("tcp://from-env:2375", "DOCKER_HOST"), DockerConnect.resolve("  ", env));
    }

    @Test
    void dockerHostWinsOverTheContext() throws IOException {
        env.put("DOCKER_HOST", "tcp://from-env:2375");
        context("remote", "tcp://from-context:2375");
        currentContext("remote");
        assertEquals("tcp://from-env:2375", DockerConnect.resolveAddress(null, env));
    }

    @Test
    void theCurrentContextOfConfigJsonIsFollowedToItsEndpoint() throws IOException {
        context("remote", "tcp://from-context:2375");
        currentContext("remote");
        assertEquals(new DockerConnect.Address("tcp://from-context:2375", "Docker context remote", "remote"),
                DockerConnect.resolve(null, env));
    }

    @Test
    void anSshContextOrDockerHostIsAcceptedAndNeedsNoTls() throws IOException {
        context("vps", "ssh://deploy@vps.example.com:2222");
        currentContext("vps");
        env.put("DOCKER_TLS_VERIFY", "1"); // applies to tcp:// only
        DockerConnect.Address a = DockerConnect.resolve(null, env);
        assertEquals(new DockerConnect.Address("ssh://deploy@vps.example.com:2222", "Docker context vps", "vps"), a);
        assertNull(TlsConfig.files(a, env));
        env.put("DOCKER_HOST", "ssh://vps/run/docker.sock");
        assertEquals("DOCKER_HOST", DockerConnect.resolve(null, env).source());
        try (DockerEngine engine = DockerConnect.connect(null, env, List.of("-F", "/dev/null"))) {
            assertEquals("ssh://vps/run/docker.sock", engine.address()); // no ssh started before the first call
        }
    }

    @Test
    void dockerContextOverridesConfigJson() throws IOException {
        context("remote", "tcp://from-context:2375");
        context("other", "unix:///run/other.sock");
        currentContext("remote");
        env.put("DOCKER_CONTEXT", "other");
        assertEquals("unix:///run/other.sock", DockerConnect.resolveAddress(null, env));
    }

    @Test
    void theDefaultContextMeansTheLocalSocket() throws IOException {
        currentContext("default");
        assertEquals(DockerConnect.DEFAULT_ADDRESS, DockerConnect.resolveAddress(null, env));
        env.put("DOCKER_CONTEXT", "default");
        assertEquals(DockerConnect.DEFAULT_ADDRESS, DockerConnect.resolveAddress(null, env));
    }

    @Test
    void aConfigJsonWithoutCurrentContextMeansTheLocalSocket() throws IOException {
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{}}");
        assertEquals(DockerConnect.DEFAULT_ADDRESS, DockerConnect.resolveAddress(null, env));
    }

    @Test
    void aContextThatDoesNotExistIsAConfigurationError() {
        env.put("DOCKER_CONTEXT", "gone");
        ConfigException e = assertThrows(ConfigException.class, () -> DockerConnect.resolve(null, env));
        assertTrue(e.getMessage().contains("Docker context 'gone' (from DOCKER_CONTEXT) does not exist"),
                e.getMessage());
    }

    @Test
    void contextMetadataLivesUnderTheSha256OfTheName() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", DockerConnect.sha256Hex("abc"));
    }

    @Test
    void aPathWithoutSchemeNamesItsSourceAndTheFix() {
        env.put("DOCKER_HOST", "/var/run/docker.sock");
        ConfigException e = assertThrows(ConfigException.class, () -> DockerConnect.resolve(null, env));
        assertEquals("Docker address '/var/run/docker.sock' from DOCKER_HOST has no scheme: use"
                + " unix:///var/run/docker.sock (unix:///path/to/docker.sock or tcp://HOST:PORT)", e.getMessage());
    }

    @Test
    void aHostPortWithoutSchemeSuggestsTcp() {
        ConfigException e = assertThrows(ConfigException.class, () -> DockerConnect.resolve("localhost:2375", env));
        assertTrue(e.getMessage().contains("from parameter sancho.dockerHost"), e.getMessage());
        assertTrue(e.getMessage().contains("use tcp://localhost:2375"), e.getMessage());
    }

    @Test
    void aBadContextEndpointNamesTheContext() throws IOException {
        context("broken", "localhost:2375");
        currentContext("broken");
        ConfigException e = assertThrows(ConfigException.class, () -> DockerConnect.resolve(null, env));
        assertTrue(e.getMessage().contains("from Docker context broken has no scheme"), e.getMessage());
    }

    @Test
    void unsupportedSchemesAreRefused() {
        for (String bad : new String[] {"ssh://me:pw@host", "ssh:///docker.sock", "http://localhost:2375", "npipe:////./pipe/docker_engine",
                "unix://relative.sock", "tcp://:2375"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> DockerConnect.resolve(bad, env), bad);
            assertTrue(e.getMessage().startsWith("Docker address '" + bad + "' from parameter sancho.dockerHost"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void connectingWithABadValueIsAConfigErrorNotANullPointer() {
        env.put("DOCKER_HOST", "/var/run/docker.sock");
        assertThrows(ConfigException.class, () -> DockerConnect.connect(null, env));
    }

    @Test
    void connectDoesNotTouchTheEngineYet() {
        try (DockerEngine engine = DockerConnect.connect("unix:///nope.sock", env)) {
            assertEquals("unix:///nope.sock", engine.address());
        }
    }

    @Test
    void tlsWithoutCertificatesIsAConfigurationError() {
        env.put("DOCKER_TLS_VERIFY", "1");
        env.put("DOCKER_CERT_PATH", dockerConfig.resolve("no-certs").toString());
        ConfigException e = assertThrows(ConfigException.class, () -> DockerConnect.connect("tcp://h:2376", env));
        assertTrue(e.getMessage().contains("DOCKER_CERT_PATH"), e.getMessage());
    }

    @Test
    void theTransportIsDecidedApartFromTheAdapter() throws IOException {
        env.put("DOCKER_TLS_VERIFY", "1");
        DockerClientConfig unix = DockerConnect.clientConfig(new DockerConnect.Address("unix:///run/d.sock", "test"), env);
        assertEquals(URI.create("unix:///run/d.sock"), unix.getDockerHost());
        assertNull(unix.getSSLConfig(), "docker-java's own TLS (which falls back to plain HTTP) is never used");
        DockerClientConfig tcp = DockerConnect.clientConfig(new DockerConnect.Address("tcp://h:2376", "test"), env);
        assertEquals(URI.create("tcp://h:2376"), tcp.getDockerHost());
        assertNull(tcp.getSSLConfig(), "TLS is built into the transport by TlsConfig");
    }

    @Test
    void aMalformedConfigJsonNamesTheFileAndPlaceButNoCredential() throws IOException {
        String auth = java.util.Base64.getEncoder().encodeToString("deployer:Gr8-Secret-Pw".getBytes());
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\": {\"r\": {\"auth\": " + auth + "}}}");
        ConfigException e = assertThrows(ConfigException.class, () -> DockerConnect.resolve(null, env));
        assertEquals("Docker config file " + dockerConfig.resolve("config.json") + " is not valid JSON at line 1,"
                + " column " + e.getMessage().replaceAll(".*column (\\d+).*", "$1") + ": fix it, or remove it",
                e.getMessage());
        assertFalse(e.getMessage().contains(auth.substring(0, 8)), e.getMessage());
        assertNull(e.getCause());
    }
}
