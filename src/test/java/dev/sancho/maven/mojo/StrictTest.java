package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -Dsancho.strict: a key sancho does not apply fails the build with the warning's file:line text. */
class StrictTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private ConfigMojo mojo(String yaml, boolean strict) throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), yaml);
        ConfigMojo mojo = new ConfigMojo();
        mojo.composeFile = dir.resolve("docker-compose.yml").toFile();
        mojo.project = "shop";
        mojo.deployId = "42";
        mojo.infrastructure = List.of();
        mojo.appNamePattern = "{project}_{service}_{deployId}";
        mojo.strict = strict;
        MavenProject project = new MavenProject();
        project.setArtifactId("shop");
        mojo.mavenProject = project;
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
            }

            @Override
            public void warn(CharSequence content) {
                warnings.add(content.toString());
            }
        });
        return mojo;
    }

    private static final String UNAPPLIED = """
            services:
              api:
                image: example/api:1
                isolation: default
                environment:
                  GREETING: ${UNSET_IN_THIS_TEST_9f2}
                healthcheck:
                  test: ["CMD", "true"]
                  intervall: 5s
            """;

    @Test
    void withoutStrictAKeyNotAppliedIsAWarning() throws Exception {
        mojo(UNAPPLIED, false).execute();
        assertTrue(warnings.contains("docker-compose.yml:4: services.api.isolation: not honoured by sancho; ignored"),
                warnings::toString);
    }

    @Test
    void withStrictTheFirstKeyNotAppliedFailsTheBuildInOneLine() throws Exception {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> mojo(UNAPPLIED, true).execute());
        assertEquals("docker-compose.yml:4: services.api.isolation: not honoured by sancho; ignored (sancho.strict:"
                + " every key must be applied; 1 more key is listed above)", e.getMessage());
        // the others, and warnings that are not about keys, are still logged
        assertTrue(warnings.contains("docker-compose.yml:9: services.api.healthcheck.intervall: unknown key; ignored"
                + " (check the spelling)"), warnings::toString);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("variable UNSET_IN_THIS_TEST_9f2 is not set")),
                warnings::toString);
    }

    @Test
    void withStrictAFileWhoseKeysAreAllAppliedPasses() throws Exception {
        mojo("""
                services:
                  api:
                    image: example/api:1
                    environment:
                      GREETING: ${UNSET_IN_THIS_TEST_9f2}
                    deploy: {replicas: 2}
                """, true).execute();
        assertTrue(warnings.stream().anyMatch(w -> w.contains("is not set")), "an unset variable stays a warning");
    }
}
