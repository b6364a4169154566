package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
        assertEquals(Duration.ofSeconds(60), DurationParameter.parse("healthTimeout", mojo.healthTimeout, Duration.ZERO));
        assertEquals(Duration.ofSeconds(2), DurationParameter.parse("minReadySeconds", mojo.minReadySeconds, Duration.ZERO));
        assertEquals(Duration.ofMinutes(5), mojo.lockTimeoutDuration());
        assertEquals(Duration.ofMinutes(30), mojo.staleLockAfterDuration());
        assertEquals(Duration.ofSeconds(2), DurationParameter.parse("drainSeconds", mojo.drainSeconds, Duration.ZERO));
        assertFalse(mojo.deployOnly);
        assertFalse(mojo.dryRun);
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    @MojoParameter(name = "healthTimeout", value = "30x")
    void aDurationThatIsNoneIsOneLineNamingTheParameterAndTheForms(DeployMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("parameter healthTimeout (sancho.healthTimeout): '30x' is not a duration; write seconds (30)"
                + " or a duration like 500ms, 30s, 2m, 1m30s", e.getMessage());
    }

    @Test
    @InjectMojo(goal = "rollback", pom = POM)
    @MojoParameter(name = "lockTimeout", value = "1m30s")
    @MojoParameter(name = "staleLockAfter", value = "45")
    void lockDurationsAcceptGoDurationsAndPlainSeconds(RollbackMojo mojo) {
        assertEquals(Duration.ofSeconds(90), mojo.lockTimeoutDuration());
        assertEquals(Duration.ofSeconds(45), mojo.staleLockAfterDuration());
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
        assertEquals("parameter healthTimeout (sancho.healthTimeout) must be at least 1s, was 0", e.getMessage());
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
        assertEquals("parameter staleLockAfter (sancho.staleLockAfter) must be at least 1s, was 0", e.getMessage());
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
