package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.SecretScrubber;
import dev.sancho.maven.docker.DockerOperationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23: values are secret by where they come from and are scrubbed at the plugin's boundary, from every line it
 * logs (any level), every error and its causes, and the output file: whatever name and place they end up in.
 */
class SecretBoundaryTest {
    @TempDir
    Path dir;

    static final String MASKED = "Msk-value-1234"; // sancho.maskedVariables, from .env under a plain name
    static final String PASS = "SmtpP-value-5678"; // a *_PASS name
    static final String FILE = "File-value-9012"; // a secret file
    static final String ENV_SECRET = "JwtS-value-3456"; // an environment: secret source with a plain name
    static final List<String> VALUES = List.of(MASKED, PASS, FILE, ENV_SECRET);

    private final List<String> lines = new ArrayList<>();
    private final List<Throwable> thrown = new ArrayList<>();
    private boolean debug;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  backend:
                    image: app:1
                    build:
                      context: .
                      args:
                        URL_ARG: "postgres://app:${DB_CRED}@db?s=${SMTP_PASS}"
                    command: ["--cred=${DB_CRED}", "--smtp=${SMTP_PASS}", "--jwt=${JWT_SIGNING}"]
                    environment:
                      DATABASE_URL: "postgres://app:${DB_CRED}@db/app?s=${SMTP_PASS}&j=${JWT_SIGNING}"
                      PGPASS: "db:5432:app:app:${DB_CRED}"
                    labels:
                      auth: "Bearer ${DB_CRED} ${SMTP_PASS} ${JWT_SIGNING}"
                    logging:
                      driver: json-file
                      options:
                        labels: "x-${DB_CRED}-${SMTP_PASS}-${JWT_SIGNING}"
                    healthcheck:
                      test: ["CMD-SHELL", "check ${DB_CRED} ${SMTP_PASS} ${JWT_SIGNING}"]
                    secrets: [api_key, jwt]
                    volumes: [scratch:/scratch]
                volumes:
                  scratch:
                    driver_opts:
                      o: "password=${DB_CRED}-${SMTP_PASS}-${JWT_SIGNING}"
                secrets:
                  api_key:
                    file: ./api.key
                  jwt:
                    environment: JWT_SIGNING
                """);
        Files.writeString(dir.resolve(".env"), "DB_CRED=" + MASKED + "\nSMTP_PASS=" + PASS + "\nJWT_SIGNING="
                + ENV_SECRET + "\n");
        Files.writeString(dir.resolve("api.key"), FILE + "\n");
    }

    private <M extends AbstractSanchoMojo> M configured(M mojo) {
        mojo.composeFile = dir.resolve("docker-compose.yml").toFile();
        mojo.project = "shop";
        mojo.deployId = "42";
        mojo.appNamePattern = "{project}_{service}_{deployId}";
        mojo.maskedVariables = List.of("DB_CRED");
        MavenProject project = new MavenProject();
        project.setArtifactId("shop");
        mojo.mavenProject = project;
        mojo.setLog(new SystemStreamLog() {
            @Override
            public boolean isDebugEnabled() {
                return debug;
            }

            @Override
            public void debug(CharSequence content) {
                lines.add(content.toString());
            }

            @Override
            public void debug(CharSequence content, Throwable error) {
                lines.add(content.toString());
                thrown.add(error);
            }

            @Override
            public void info(CharSequence content) {
                lines.add(content.toString());
            }

            @Override
            public void warn(CharSequence content) {
                lines.add(content.toString());
            }
        });
        return mojo;
    }

    private static void noValueIn(String text) {
        for (String v : VALUES) {
            assertFalse(text.contains(v), () -> v + " in:\n" + text);
        }
    }

    @Test
    void configPrintsNoValueOfAnySourceInAnyPlace() throws Exception {
        configured(new ConfigMojo()).execute();
        String out = String.join("\n", lines);
        noValueIn(out);
        assertTrue(out.contains("DATABASE_URL: postgres://app:******@db/app?s=******&j=******"), out);
        assertTrue(out.contains("auth: Bearer ****** ****** ******"), out);
        assertTrue(out.contains("--jwt=******"), out);
        assertTrue(out.contains("URL_ARG: postgres://app:******@db?s=******"), out);
        assertTrue(out.contains("labels: x-******-******-******"), out);
        assertTrue(out.contains("o: password=******-******-******"), out);
    }

    @Test
    void theOutputFileIsScrubbedAndReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("out/stack.yml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "an older, world-readable one");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigMojo mojo = configured(new ConfigMojo());
        mojo.output = file.toFile();
        mojo.execute();
        String written = Files.readString(file);
        noValueIn(written);
        assertTrue(written.contains("DATABASE_URL: postgres://app:******@db"), written);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    /** A goal that fails the way an engine does: its message echoes what it was given. */
    static class Failing extends AbstractSanchoMojo {
        RuntimeException failure;
        String logged;

        @Override
        protected void run() {
            loadStack();
            if (logged != null) {
                log().debug(logged);
                getLog().info(logged);
            }
            throw failure;
        }
    }

    @Test
    void anEngineErrorIsScrubbedAndItsCauseChainToo() {
        Failing mojo = configured(new Failing());
        RuntimeException inner = new IllegalStateException("Status 500: {\"message\":\"mount data: password="
                + MASKED + "\"}");
        mojo.failure = new DockerOperationException("exec: \"/opt/app --pw=" + PASS + "\": no such file", inner);
        mojo.logged = "plan: DATABASE_URL=postgres://app:" + MASKED + "@db " + FILE + " " + ENV_SECRET;

        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("Docker at the engine: exec: \"/opt/app --pw=******\": no such file", e.getMessage());
        assertNull(e.getCause(), "no cause unless -e or -X");
        noValueIn(String.join("\n", lines));
        assertTrue(lines.contains("plan: DATABASE_URL=postgres://app:******@db ****** ******"), lines.toString());

        debug = true; // -X: the cause chain is printed, scrubbed
        lines.clear();
        e = assertThrows(MojoExecutionException.class, configured(mojo)::execute);
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        noValueIn(trace.toString());
        assertTrue(trace.toString().contains("[java.lang.IllegalStateException] Status 500: {\"message\":\"mount data:"
                + " password=******\"}"), trace.toString());
        assertTrue(lines.contains("plan: DATABASE_URL=postgres://app:******@db ****** ******"), "debug lines too");
    }

    @Test
    void anUnexpectedExceptionIsRethrownScrubbedWithItsStackTrace() {
        Failing mojo = configured(new Failing());
        NullPointerException npe = new NullPointerException("while reading " + ENV_SECRET);
        mojo.failure = npe;
        RuntimeException e = assertThrows(RuntimeException.class, mojo::execute);
        assertEquals("[java.lang.NullPointerException] while reading ******", e.getMessage());
        assertEquals(npe.getStackTrace()[0], e.getStackTrace()[0]);
    }

    @Test
    void aCopyKeepsTheChainSuppressedOnesAndSurvivesACycle() {
        SecretScrubber s = SecretScrubber.of(List.of("Top-Secret-1"));
        IllegalStateException a = new IllegalStateException("a Top-Secret-1");
        IllegalArgumentException b = new IllegalArgumentException("b Top-Secret-1", a);
        b.addSuppressed(new RuntimeException("suppressed Top-Secret-1"));
        a.initCause(new RuntimeException("c", b)); // a -> c -> b -> a
        ScrubbedException copy = ScrubbedException.copy(b, s);
        StringWriter trace = new StringWriter();
        copy.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains("Top-Secret-1"), trace.toString());
        assertEquals("[java.lang.IllegalArgumentException] b ******", copy.getMessage());
        assertEquals("[java.lang.IllegalStateException] a ******", copy.getCause().getMessage());
        assertEquals("[java.lang.RuntimeException] suppressed ******", copy.getSuppressed()[0].getMessage());
        assertNull(ScrubbedException.copy(null, s));
    }

    @Test
    void aRegistryPasswordFromSettingsXmlJoinsTheScrubberWhenItIsHandedOut() {
        org.apache.maven.settings.Settings settings = new org.apache.maven.settings.Settings();
        org.apache.maven.settings.Server server = new org.apache.maven.settings.Server();
        server.setId("registry.example.com");
        server.setUsername("ci");
        server.setPassword("Reg-Pw-24680");
        settings.addServer(server);
        SecretScrubber scrubber = new SecretScrubber();
        var logins = RegistryServers.of(settings, null, scrubber::add);
        assertEquals("denied for ci:Reg-Pw-24680", scrubber.scrub("denied for ci:Reg-Pw-24680"), "not before use");
        assertEquals("Reg-Pw-24680", logins.find("registry.example.com").orElseThrow().password());
        assertEquals("denied for ci:******", scrubber.scrub("denied for ci:Reg-Pw-24680"));
    }
}
