package dev.sancho.maven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * Every default passes the checks a deploy makes of its parameters, which come before the compose file is read
     * (the values themselves are the descriptor's, documented on the goal pages: ParameterContractTest).
     */
    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void theDefaultsPassEveryParameterCheckSoADeployGetsToTheComposeFile(DeployMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("compose file ") && e.getMessage().contains(
                "does-not-exist/docker-compose.yml does not exist"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    @MojoParameter(name = "healthTimeout", value = "30x")
    void aDurationThatIsNoneIsOneLineNamingTheParameterAndTheForms(DeployMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("parameter healthTimeout (sancho.healthTimeout): '30x' is not a duration; write seconds (30)"
                + " or a duration like 500ms, 30s, 2m, 1m30s", e.getMessage());
    }

    /** Two builds started in the same second (two CI jobs, a retry) must not get the same generated deploy id. */
    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    void theGeneratedDeployIdHasMillisecondsAndStaysTheSameWithinTheBuild(DeployMojo mojo) {
        String id = mojo.deployId();
        assertTrue(id.matches("\\d{17}"), id);
        assertEquals(id, mojo.deployId());
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
        java.util.List<String> logged = new java.util.ArrayList<>();
        mojo.setLog(new org.apache.maven.plugin.logging.SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                logged.add(content.toString());
            }

            @Override
            public void warn(CharSequence content) {
                logged.add("WARN " + content);
            }
        });
        mojo.execute(); // neither the missing compose file nor the unreachable engine is looked at
        assertEquals(java.util.List.of("sancho: skipped (sancho.skip=true)"), logged);
    }

    @Test
    @InjectMojo(goal = "rollback", pom = POM)
    void theOldNameOfARenamedParameterStillWorksWithADeprecationWarning(RollbackMojo mojo) {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        mojo.setLog(new org.apache.maven.plugin.logging.SystemStreamLog() {
            @Override
            public void warn(CharSequence content) {
                warnings.add(content.toString());
            }
        });
        assertEquals("d7", mojo.deprecatedAlias("rollbackTo", "d7", "deployId", "d3", "names the deploy to go back to"));
        assertEquals(java.util.List.of(), warnings, "the new name wins, silently");
        assertEquals("d3", mojo.deprecatedAlias("rollbackTo", null, "deployId", " d3 ", "names the deploy to go back to"));
        assertEquals(java.util.List.of("sancho.deployId names the deploy to go back to on this goal; that use is"
                + " deprecated: use sancho.rollbackTo (-Dsancho.rollbackTo=d3)"), warnings);
        assertEquals(null, mojo.deprecatedAlias("rollbackTo", " ", "deployId", null, "x"));
    }

    /** Before: the swarm path of sancho:deploy never read sancho.proxy, so a typo there went unnoticed. */
    @Test
    @InjectMojo(goal = "deploy", pom = POM)
    @MojoParameter(name = "target", value = "swarm")
    @MojoParameter(name = "proxy", value = "traefk")
    void aBadProxyIsRefusedOnASwarmToo(DeployMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("parameter proxy (sancho.proxy) must be dns, labels or none, was traefk"),
                e.getMessage());
    }

    @Test
    @InjectMojo(goal = "status", pom = POM)
    @MojoParameter(name = "target", value = "swarn")
    void aBadTargetIsOneLine(StatusMojo mojo) {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals("parameter target (sancho.target) is \"swarn\": use engine (one Docker engine) or swarm (a Swarm"
                + " manager)", e.getMessage());
    }

    /** A target without sancho's cutover refuses these parameters at any value but the default: the same default. */
    @Test
    void theReadinessDefaultsAreTheOnesTheTargetsKnow() {
        assertEquals(dev.sancho.maven.core.ProxyWaits.DEFAULT, Readiness.waits(Readiness.PROXY,
                Readiness.RESOLVE_INTERVAL, Readiness.DRAIN));
        assertEquals(dev.sancho.maven.core.ProxyWaits.DEFAULT_MIN_READY, Readiness.minReady(Readiness.MIN_READY));
    }
}
