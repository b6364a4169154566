package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.SecretScrubber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** target/sancho/<goal>.json: the fields CI reads, and no secret value in any of them. */
class ResultFileTest {
    private static final String SECRET = "s3cr3t-Pw-81";

    @TempDir
    Path dir;

    @Test
    void aDeployResultHasItsIdTargetActionsAndTimeline() throws Exception {
        Map<String, Double> steps = new LinkedHashMap<>();
        steps.put("build", 1.25);
        steps.put("lock", 0.1);
        DeployRun.Result r = new DeployRun.Result("42", null, List.of(new DeployRun.Taken("create", "shop_backend_42"),
                new DeployRun.Taken("stop", "shop_backend_41")), steps);
        Path file = ResultFile.write(dir, ResultFile.deploy("engine", "shop", "42", "deployed", r, null),
                SecretScrubber.of(List.of(SECRET))::scrub);
        assertEquals(dir.resolve("deploy.json"), file);
        assertEquals("""
                {
                  "goal": "deploy",
                  "target": "engine",
                  "project": "shop",
                  "outcome": "deployed",
                  "deployId": "42",
                  "actions": [
                    {
                      "action": "create",
                      "subject": "shop_backend_42"
                    },
                    {
                      "action": "stop",
                      "subject": "shop_backend_41"
                    }
                  ],
                  "timeline": {
                    "build": 1.25,
                    "lock": 0.1
                  },
                  "error": null
                }
                """, Files.readString(file));
    }

    @Test
    void everyStringIsScrubbedAndEscaped() throws Exception {
        Verifier.Report report = new Verifier.Report("shop", List.of(
                new Verifier.Check(true, "infrastructure", "shop_db", "running"),
                new Verifier.Check(false, "probe", "env", "exit 1: PASSWORD=" + SECRET + " \"quoted\"\n")));
        Path file = ResultFile.write(dir, ResultFile.verify("swarm", "shop", null, report),
                SecretScrubber.of(List.of(SECRET))::scrub);
        String json = Files.readString(file);
        assertFalse(json.contains(SECRET), json);
        assertTrue(json.contains("\"outcome\": \"failed\""), json);
        assertTrue(json.contains("\\\"quoted\\\"\\n"), json);
        assertTrue(json.contains("\"ok\": true") && json.contains("\"subject\": \"shop_db\""), json);
        assertTrue(json.contains("\"expectedDeployId\": null"), json);
    }

    @Test
    void aSkippedGoalSaysWhy() throws Exception {
        Path file = ResultFile.write(dir, ResultFile.skipped("verify", "engine", "shop", "the deploy was a dry run"),
                SecretScrubber.of(List.of(SECRET))::scrub);
        assertEquals(dir.resolve("verify.json"), file);
        String json = Files.readString(file);
        assertTrue(json.contains("\"outcome\": \"skipped\"") && json.contains("\"reason\": \"the deploy was a dry run\""),
                json);
    }

    @Test
    void rollbackAndRecoverResultsSayFromWhereToWhereAndWhatWasRecreated() throws Exception {
        String rollback = Files.readString(ResultFile.write(dir, ResultFile.rollback("swarm", "shop", "rolled-back",
                "43", "42", null), s -> s));
        assertTrue(rollback.contains("\"goal\": \"rollback\"") && rollback.contains("\"from\": \"43\"")
                && rollback.contains("\"to\": \"42\"") && rollback.contains("\"error\": null"), rollback);
        String failed = Files.readString(ResultFile.write(dir, ResultFile.recover("engine", "shop", "failed", List.of(),
                "refusing to start shop_db: password " + SECRET), SecretScrubber.of(List.of(SECRET))::scrub));
        assertTrue(failed.contains("\"recreated\": []") && failed.contains("\"outcome\": \"failed\""), failed);
        assertFalse(failed.contains(SECRET), failed);
    }

    @Test
    void theOtherGoalsResultsSayWhatTheyDidAndAFailureItsErrorLine() throws Exception {
        java.util.function.UnaryOperator<String> scrub = SecretScrubber.of(List.of(SECRET))::scrub;
        String failed = Files.readString(ResultFile.write(dir, ResultFile.failed("status", "engine", "shop",
                "cannot read docker-compose.yml:3: password " + SECRET), scrub));
        assertTrue(failed.contains("\"goal\": \"status\"") && failed.contains("\"outcome\": \"failed\"")
                && failed.contains("docker-compose.yml:3") && !failed.contains(SECRET), failed);

        String unlock = Files.readString(ResultFile.write(dir, ResultFile.unlock("engine", "shop", "released",
                "ci@runner-7 since 3 min"), scrub));
        assertTrue(unlock.contains("\"outcome\": \"released\"") && unlock.contains("\"holder\": \"ci@runner-7"),
                unlock);

        String volumes = Files.readString(ResultFile.write(dir, ResultFile.ensureVolume("engine", "shop",
                new VolumeEnsurer.Result(List.of("shop_pgdata"), List.of("shop_uploads"), List.of(Path.of("/srv/le")),
                        List.of(), false, List.of(Path.of("/srv/le/acme.json")))), scrub));
        assertTrue(volumes.contains("\"outcome\": \"ensured\"") && volumes.contains("\"createdVolumes\": [\n    \"shop_pgdata\"")
                && volumes.contains("\"createdFiles\": [\n    \"/srv/le/acme.json\""), volumes);

        String cleanup = Files.readString(ResultFile.write(dir, ResultFile.preDeployCleanup("engine", "shop", true,
                new PreDeployCleanup.Result(new Cleanup.Result(List.of("shop_backend_1"), "3", List.of("2"),
                        java.util.Set.of("1")), new ImageCleanup.Result(List.of("shop/backend:1"), List.of()))), scrub));
        assertTrue(cleanup.contains("\"goal\": \"pre-deploy-cleanup\"") && cleanup.contains("\"outcome\": \"dry-run\"")
                && cleanup.contains("\"removedContainers\": [\n    \"shop_backend_1\"")
                && cleanup.contains("\"currentDeploy\": \"3\"") && cleanup.contains("\"removedImages\": [\n    \"shop/backend:1\""),
                cleanup);

        String push = Files.readString(ResultFile.write(dir, ResultFile.build("push", "engine", "shop", "pushed", "7",
                Map.of("backend", "registry.local:5000/shop/backend:7")), scrub));
        assertTrue(push.contains("\"goal\": \"push\"") && push.contains("\"backend\": \"registry.local:5000/shop/backend:7\""),
                push);
    }
}
