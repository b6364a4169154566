package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** Parameter handling of sancho:ensure-volume, without an engine (every case fails or stops before connecting). */
@MojoTest
class EnsureVolumeMojoTest {
    private static final String POM = """
            <project>
              <build><plugins><plugin>
                <artifactId>sancho-maven-plugin</artifactId>
                <configuration>
                  <project>shop</project>
                  <composeFile>does-not-exist/docker-compose.yml</composeFile>
                  <volumes>
                    <volume>sancho_postgres_data</volume>
                    <volume>shop_uploads</volume>
                  </volumes>
                </configuration>
              </plugin></plugins></build>
            </project>
            """;

    private static final String POM_WITHOUT_VOLUMES = """
            <project>
              <build><plugins><plugin>
                <artifactId>sancho-maven-plugin</artifactId>
                <configuration>
                  <project>shop</project>
                  <composeFile>does-not-exist/docker-compose.yml</composeFile>
                </configuration>
              </plugin></plugins></build>
            </project>
            """;

    private static final String POM_WITH_BAD_VOLUMES = """
            <project>
              <build><plugins><plugin>
                <artifactId>sancho-maven-plugin</artifactId>
                <configuration>
                  <project>shop</project>
                  <composeFile>does-not-exist/docker-compose.yml</composeFile>
                  <volumes>
                    <volume>sancho_postgres_data</volume>
                    <volume>shop uploads</volume>
                    <volume>-shop</volume>
                  </volumes>
                </configuration>
              </plugin></plugins></build>
            </project>
            """;

    @Test
    @InjectMojo(goal = "ensure-volume", pom = POM_WITH_BAD_VOLUMES)
    @MojoParameter(name = "dockerHost", value = "unix:///nope.sock")
    void thePomVolumesAreCheckedInTheirOrderBeforeConnecting(EnsureVolumeMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("parameter volumes (pom <volumes>): 'shop uploads' is not a valid volume"
                + " name"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "ensure-volume", pom = POM_WITH_BAD_VOLUMES)
    @MojoParameter(name = "dockerHost", value = "unix:///nope.sock")
    void aGoalThatFailsBeforeItsResultStillWritesItsJsonWithTheErrorLine(EnsureVolumeMojo mojo) throws Exception {
        java.nio.file.Path json = mojo.basedir().resolve("target/sancho/ensure-volume.json");
        java.nio.file.Files.deleteIfExists(json);
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        String written = java.nio.file.Files.readString(json);
        assertTrue(written.contains("\"goal\": \"ensure-volume\"") && written.contains("\"outcome\": \"failed\"")
                && written.contains("\"project\": \"shop\"") && written.contains("'shop uploads' is not a valid"
                + " volume name"), written);
        assertTrue(e.getMessage().startsWith("parameter volumes (pom <volumes>)"), e.getMessage());
        java.nio.file.Files.delete(json);
    }

    @Test
    @InjectMojo(goal = "ensure-volume", pom = POM)
    @MojoParameter(name = "skip", value = "true")
    @MojoParameter(name = "dockerHost", value = "unix:///nope.sock")
    void skipDoesNothingNotEvenConnect(EnsureVolumeMojo mojo) throws Exception {
        assertTrue(mojo.skip);
        mojo.execute(); // would fail with "Cannot reach Docker" if it connected
    }

    @Test
    @InjectMojo(goal = "ensure-volume", pom = POM)
    @MojoParameter(name = "dockerHost", value = "unix:///nope.sock")
    void anUnreachableEngineIsOneLineWithoutCause(EnsureVolumeMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("Cannot reach Docker at unix:///nope.sock: no such socket. Is dockerd running?"
                + " Set DOCKER_HOST or -Dsancho.dockerHost.", e.getMessage());
        assertNull(e.getCause(), "Maven would append the cause's message to the line");
    }

    @Test
    @InjectMojo(goal = "ensure-volume", pom = POM)
    @MojoParameter(name = "dockerHost", value = "localhost:2375")
    void aDockerHostWithoutSchemeIsAConfigurationError(EnsureVolumeMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("Docker address 'localhost:2375' from parameter sancho.dockerHost has no"
                + " scheme: use tcp://localhost:2375"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "ensure-volume", pom = POM)
    @MojoParameter(name = "volumes", value = "ok_volume,not valid")
    @MojoParameter(name = "dockerHost", value = "unix:///nope.sock")
    void anInvalidVolumeNameIsReportedBeforeConnecting(EnsureVolumeMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals(List.of("ok_volume", "not valid"), mojo.volumes);
        // The engine address is unreachable: the name check must come first or this would say "Cannot reach".
        assertTrue(e.getMessage().startsWith("parameter volumes (pom <volumes>): 'not valid' is not a valid volume name"),
                e.getMessage());
    }

    @Test
    @InjectMojo(goal = "ensure-volume", pom = POM_WITHOUT_VOLUMES)
    void withoutComposeFileAndVolumesThereIsNothingToEnsure(EnsureVolumeMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("nothing to ensure: no compose file at "), e.getMessage());
        assertTrue(e.getMessage().contains("does-not-exist"), e.getMessage());
    }
}
