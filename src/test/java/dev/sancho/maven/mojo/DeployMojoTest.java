package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** Parameters of sancho:deploy and sancho:pre-deploy-cleanup, without an engine. */
@MojoTest
class DeployMojoTest {
    private static final String POM = """
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

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void defaultsAreTheDocumentedOnes(DeployMojo mojo) {
        assertEquals(2, mojo.keep);
        assertEquals(60, mojo.healthTimeout);
        assertEquals(2, mojo.minReadySeconds);
        assertEquals(300, mojo.lockTimeout);
        assertEquals(1800, mojo.staleLockAfter);
        assertEquals(2, mojo.drainSeconds);
        assertFalse(mojo.deployOnly);
        assertFalse(mojo.dryRun);
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    @MojoParameter(name = "keep", value = "-1")
    void aNegativeKeepIsOneLineNamingTheParameter(DeployMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("parameter keep (sancho.keep) must be 0 or more, was -1", e.getMessage());
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    @MojoParameter(name = "healthTimeout", value = "0")
    void aZeroHealthTimeoutIsRefused(DeployMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("parameter healthTimeout (sancho.healthTimeout) must be at least 1, was 0", e.getMessage());
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    @MojoParameter(name = "drainSeconds", value = "-2")
    void aNegativeDrainIsRefusedNotSilentlyZero(DeployMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("parameter drainSeconds (sancho.drainSeconds) must be 0 or more, was -2", e.getMessage());
    }

    @Test
    @InjectMojo(goal = "rollback", pom = POM)
    @MojoParameter(name = "staleLockAfter", value = "0")
    void aZeroStaleLockAfterIsRefused(RollbackMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("parameter staleLockAfter (sancho.staleLockAfter) must be at least 1, was 0", e.getMessage());
    }

    @Test
    @InjectMojo(goal = "pre-deploy-cleanup", pom = POM)
    @MojoParameter(name = "skip", value = "true")
    @MojoParameter(name = "dockerHost", value = "unix:///nope.sock")
    void cleanupSkipDoesNothing(PreDeployCleanupMojo mojo) throws Exception {
        mojo.execute();
        assertEquals(2, mojo.keep);
    }
}
