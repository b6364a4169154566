package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** sancho:config prints what will be deployed, and never a secret. */
class ConfigMojoTest {

    @TempDir
    Path dir;

    private final List<String> info = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private ConfigMojo mojo;

    @BeforeEach
    void stack() throws IOException {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  db:
                    image: postgres:15
                    container_name: sancho_db_v2
                    environment:
                      POSTGRES_USER: maestro
                      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it in .env}
                    volumes:
                      - pgdata:/var/lib/postgresql/data
                  backend:
                    image: sancho/backend:${project.version}
                    container_name: sancho_backend_${DEPLOY_ID:-$(date +%s)}
                    environment:
                      - SPRING_DATASOURCE_PASSWORD=${DB_PASSWORD}
                      - STRIPE_API_KEY=sk_live_abcdefgh
                      - github_token=ghp_0123456789
                      - SMTP_PASS=mail-pass-value
                      - JWT_Secret=jwt-signing-value
                      - SERVER_PORT=8080
                    depends_on: [db]
                volumes:
                  pgdata:
                    external: true
                    name: sancho_postgres_data
                """);
        Files.writeString(dir.resolve(".env"), "DB_PASSWORD=Sup3r-s3cret-pw\n");

        mojo = new ConfigMojo();
        mojo.composeFile = dir.resolve("docker-compose.yml").toFile();
        mojo.project = "sancho";
        mojo.deployId = "42";
        mojo.infrastructure = List.of("db");
        mojo.appNamePattern = "{project}_{service}_{deployId}";
        mojo.maskedVariables = List.of("smtp_pass");
        MavenProject project = new MavenProject();
        project.setGroupId("dev.example");
        project.setArtifactId("inventario");
        project.setVersion("1.4.0");
        mojo.mavenProject = project;
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                info.add(content.toString());
            }

            @Override
            public void warn(CharSequence content) {
                warnings.add(content.toString());
            }
        });
    }

    @Test
    void printsTheResolvedStackWithRolesAndFinalNamesAndMasksEverySecret() throws Exception {
        mojo.execute();
        String out = String.join("\n", info);

        for (String secret : List.of("Sup3r-s3cret-pw", "sk_live_abcdefgh", "ghp_0123456789", "mail-pass-value",
                "jwt-signing-value")) {
            assertFalse(out.contains(secret), () -> "secret printed: " + secret + "\n" + out);
        }
        Map<String, Object> yaml = new Yaml().load(out);
        Map<String, Map<String, Object>> services = get(yaml, "services");
        assertEquals(List.of("db", "backend"), List.copyOf(services.keySet()));
        assertEquals("infra", services.get("db").get("x-sancho-role"));
        assertEquals("sancho_db_v2", services.get("db").get("container_name"));
        assertEquals("app", services.get("backend").get("x-sancho-role"));
        assertEquals("sancho_backend_42", services.get("backend").get("x-sancho-container-name"));
        assertEquals("sancho_backend_${DEPLOY_ID}", services.get("backend").get("container_name"),
                "an application's name keeps the deploy id as a reference: the print deploys again");
        assertEquals("sancho/backend:1.4.0", services.get("backend").get("image"));
        assertEquals(Map.of("POSTGRES_USER", "maestro", "POSTGRES_PASSWORD", "******"),
                services.get("db").get("environment"));
        assertEquals(Map.of("SPRING_DATASOURCE_PASSWORD", "******", "STRIPE_API_KEY", "******",
                "github_token", "******", "SMTP_PASS", "******", "JWT_Secret", "******", "SERVER_PORT", "8080"),
                services.get("backend").get("environment"));
        assertEquals(Map.of("name", "sancho_postgres_data", "external", true), get(get(yaml, "volumes"), "pgdata"));
        assertEquals(Map.of("name", "sancho_default"), get(get(yaml, "networks"), "default"));
        assertEquals(List.of(), warnings);
    }

    @Test
    void writesToTheOutputFileInsteadOfTheLog() throws Exception {
        Path file = dir.resolve("target/sancho/stack.yml");
        mojo.output = file.toFile();
        mojo.execute();

        String written = Files.readString(file);
        assertTrue(written.contains("x-sancho-container-name: sancho_backend_42"), written);
        assertFalse(written.contains("Sup3r-s3cret-pw"), written);
        assertEquals(List.of("sancho: resolved stack written to " + file), info);
    }

    @Test
    void aComposeErrorIsOneLineForMaven() throws IOException {
        Files.writeString(dir.resolve(".env"), "");
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("docker-compose.yml:7: services.db.environment.POSTGRES_PASSWORD: required variable DB_PASSWORD is"
                + " missing a value: set it in .env", e.getMessage());
    }

    /** Issue 23: config reads the file with the target's rules, as deploy does (it ignored sancho.target). */
    @Test
    void readsTheFileWithTheTargetsRules() throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  api:
                    image: app:1
                    secrets: [token]
                secrets:
                  token:
                    external: true
                """);
        mojo.infrastructure = List.of();
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("docker-compose.yml:7: secrets.token.external: external secrets live in a"
                + " swarm"), e.getMessage());

        mojo.target = "swarm";
        mojo.execute();
        Map<String, Object> yaml = new Yaml().load(String.join("\n", info));
        Map<String, Object> token = get(get(yaml, "secrets"), "token");
        assertEquals(true, token.get("external"), String.join("\n", info));
    }

    // ------------------------------------------------------------------------------- several files, profiles

    private static final String OVERRIDE = """
            services:
              backend:
                environment:
                  - SERVER_PORT=9090
                  - DEBUG=true
                ports:
                  - "127.0.0.1:5005:5005"
              adminer:
                image: adminer:4
                profiles: [debug]
                depends_on: [db]
            """;

    private Map<String, Map<String, Object>> printedServices() throws Exception {
        info.clear();
        mojo.execute();
        Map<String, Object> yaml = new Yaml().load(String.join("\n", info));
        return get(yaml, "services");
    }

    private void inTheProjectDirectory() {
        mojo.composeFile = null;
        mojo.mavenProject.setFile(dir.resolve("pom.xml").toFile());
    }

    @Test
    void withoutComposeFileTheOverrideNextToTheComposeFileIsMergedLikeCompose() throws Exception {
        Files.writeString(dir.resolve("docker-compose.override.yml"), OVERRIDE);
        inTheProjectDirectory();
        Map<String, Map<String, Object>> services = printedServices();

        assertEquals(List.of("db", "backend"), List.copyOf(services.keySet()), "adminer needs the debug profile");
        Map<String, Object> env = get(services.get("backend"), "environment");
        assertEquals("9090", env.get("SERVER_PORT"), "the override's value wins");
        assertEquals("true", env.get("DEBUG"));
        assertEquals("******", env.get("STRIPE_API_KEY"), "merged values are masked too");
        assertEquals(List.of("127.0.0.1:5005:5005/tcp"), services.get("backend").get("ports"));
        assertTrue(info.contains("# merged from docker-compose.yml, docker-compose.override.yml"), info.toString());
        assertTrue(info.contains("# profiles: none active; not deployed: adminer (debug)"), info.toString());
    }

    @Test
    void theProfilesParameterAddsTheServicesOfItsProfiles() throws Exception {
        Files.writeString(dir.resolve("docker-compose.override.yml"), OVERRIDE);
        inTheProjectDirectory();
        mojo.profiles = List.of("debug");
        Map<String, Map<String, Object>> services = printedServices();
        assertEquals(List.of("db", "backend", "adminer"), List.copyOf(services.keySet()));
        assertEquals("sancho_adminer_42", services.get("adminer").get("x-sancho-container-name"));
        assertTrue(info.contains("# profiles: debug"), info.toString());
    }

    @Test
    void aComposeFileGivenAloneIsTakenWithoutOverrideLikeComposeF() throws Exception {
        Files.writeString(dir.resolve("docker-compose.override.yml"), OVERRIDE);
        Map<String, Map<String, Object>> services = printedServices();
        assertEquals("8080", this.<Map<String, Object>>get(services.get("backend"), "environment").get("SERVER_PORT"));
        assertFalse(info.stream().anyMatch(l -> l.startsWith("# merged from")), info.toString());
    }

    @Test
    void aCommaSeparatedComposeFileOrAComposeFilesListIsMergedInOrder() throws Exception {
        Files.writeString(dir.resolve("prod.yml"), "services:\n  backend:\n    environment:\n      - SERVER_PORT=80\n");
        // what Maven makes of -Dsancho.composeFile=docker-compose.yml,prod.yml for a File parameter
        mojo.mavenProject.setFile(dir.resolve("pom.xml").toFile());
        mojo.composeFile = dir.resolve("docker-compose.yml,prod.yml").toFile();
        assertEquals("80", this.<Map<String, Object>>get(printedServices().get("backend"), "environment")
                .get("SERVER_PORT"));

        mojo.composeFile = null;
        mojo.composeFiles = List.of(dir.resolve("docker-compose.yml").toFile(), new File("prod.yml"));
        assertEquals("80", this.<Map<String, Object>>get(printedServices().get("backend"), "environment")
                .get("SERVER_PORT"));
        assertTrue(info.contains("# merged from docker-compose.yml, prod.yml"), info.toString());
    }

    @Test
    void composeFileAndComposeFilesTogetherAreRefused() {
        mojo.composeFiles = List.of(dir.resolve("docker-compose.yml").toFile());
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("set composeFile (sancho.composeFile) or composeFiles"
                + " (sancho.composeFiles), not both"), e.getMessage());
    }

    @Test
    void aProjectDirectoryWithoutComposeFileIsOneLine() throws IOException {
        Files.delete(dir.resolve("docker-compose.yml"));
        inTheProjectDirectory();
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("no compose file in " + dir + ": looked for compose.yaml, compose.yml, docker-compose.yml,"
                + " docker-compose.yaml (set <composeFile> or -Dsancho.composeFile to the file describing the stack)",
                e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Map<String, ?> map, String key) {
        return (T) map.get(key);
    }
}
