package dev.sancho.maven.plan;

import static dev.sancho.maven.plan.SeedStack.DB;
import static dev.sancho.maven.plan.SeedStack.DB_IMAGE;
import static dev.sancho.maven.plan.SeedStack.NETWORK;
import static dev.sancho.maven.plan.SeedStack.PROJECT;
import static dev.sancho.maven.plan.SeedStack.PROXY;
import static dev.sancho.maven.plan.SeedStack.PROXY_IMAGE;
import static dev.sancho.maven.plan.SeedStack.SECRET;
import static dev.sancho.maven.plan.SeedStack.VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.core.StateReader;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.ContainerSpec;
import dev.sancho.maven.docker.FakeDockerEngine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
    static final Instant NOW = Instant.parse("2026-02-01T10:00:00Z");
    @TempDir
    Path dir;
    SeedStack seed;
    FakeDockerEngine engine;

    @BeforeEach
    void engineWithImagesAndVolume() {
        seed = SeedStack.in(dir);
        engine = new FakeDockerEngine();
        List.of(DB_IMAGE, PROXY_IMAGE, "sancho-it/app:1", "sancho-it/app:2").forEach(engine::addImage);
        engine.createVolume(VOLUME, null, Map.of(), Map.of());
        engine.calls.clear();
    }

    Plan plan(Stack stack) {
        return plan(stack, DeployOptions.defaults(NOW));
    }

    Plan plan(Stack stack, DeployOptions opts) {
        return Planner.plan(stack, StateReader.observe(engine, stack), opts).assertSafe();
    }

    /** The usual redeploy: both infrastructure containers made by an earlier deploy and running. */
    void infraRunning(Stack stack) {
        ownInfra(stack, "db", "running");
        ownInfra(stack, "traefik", "running");
    }

    /** What an earlier deploy or sancho itself left: infra created from the same compose definition. */
    ContainerInfo ownInfra(Stack stack, String service, String state) {
        ContainerSpec spec = ContainerSpecs.forService(stack, stack.service(service).orElseThrow());
        return engine.add(spec.name(), spec.image(), state, spec.labels());
    }

    ContainerInfo app(String project, String service, String deployId, String deployedAt, String state) {
        Map<String, String> labels = new HashMap<>();
        labels.put(Labels.PROJECT, project);
        labels.put(Labels.ROLE, "app");
        labels.put(Labels.SERVICE, service);
        labels.put(Labels.DEPLOY_ID, deployId);
        labels.put(Labels.DEPLOYED_AT, deployedAt);
        return engine.add(project + "_" + service + "_" + deployId, "sancho-it/app:1", state, labels);
    }

    static Set<String> touched(Plan plan) {
        Set<String> names = plan.actions(Action.RemoveContainer.class).stream().map(Action.RemoveContainer::name)
                .collect(Collectors.toSet());
        plan.actions(Action.Cutover.class).forEach(c -> c.stop().forEach(o -> names.add(o.name())));
        return names;
    }

    /** Who deployed and from which commit (issue 26): on the new app containers, outside the digest; never on infra. */
    @Test
    void deployLabelsGoOnTheNewAppContainersOnlyAndOutsideTheConfigHash() {
        Stack stack = seed.stack("d1");
        Map<String, String> who = Map.of("sancho.deployed-by", "alice@laptop", "sancho.git-commit",
                "0123456789abcdef0123456789abcdef01234567");
        Plan labelled = plan(stack, DeployOptions.defaults(NOW).withDeployLabels(who));
        Plan plain = plan(stack, DeployOptions.defaults(NOW));
        List<Action.CreateContainer> created = labelled.actions(Action.CreateContainer.class);
        assertTrue(created.stream().anyMatch(c -> !c.infra()) && created.stream().anyMatch(Action.CreateContainer::infra));
        for (Action.CreateContainer c : created) {
            Map<String, String> labels = c.spec().labels();
            if (c.infra()) {
                assertFalse(labels.containsKey("sancho.deployed-by"), c.spec().name());
            } else {
                assertEquals("alice@laptop", labels.get("sancho.deployed-by"), c.spec().name());
                assertEquals(who.get("sancho.git-commit"), labels.get("sancho.git-commit"));
            }
            String hash = plain.actions(Action.CreateContainer.class).stream()
                    .filter(p -> p.spec().name().equals(c.spec().name())).findFirst().orElseThrow()
                    .spec().labels().get(Labels.CONFIG_HASH);
            assertEquals(hash, labels.get(Labels.CONFIG_HASH), "the same config hash with or without: " + c.spec().name());
        }
    }

    @Test
    void firstDeployOnEmptyEngineCreatesInfraThenAppsInDependsOnWaves() {
        Plan plan = plan(seed.stack("d1"));
        assertEquals(List.of(), plan.blockers());
        List<String> lines = plan.actions().stream().map(Action::describe).toList();
        assertTrue(plan.actions().get(0) instanceof Action.CreateNetwork n && n.name().equals(NETWORK), lines::toString);
        List<Action.CreateContainer> creates = plan.actions(Action.CreateContainer.class);
        assertEquals(List.of(PROXY, DB, "sancho_backend_d1", "sancho_frontend_d1"),
                creates.stream().map(Action.CreateContainer::name).toList());
        assertTrue(creates.get(0).infra() && creates.get(1).infra() && !creates.get(2).infra());
        assertEquals("unless-stopped", creates.get(1).spec().restartPolicy());
        List<List<String>> waves = plan.actions(Action.AwaitHealthy.class).stream().map(Action.AwaitHealthy::names)
                .toList();
        // infrastructure is awaited before any app starts; frontend (depends_on: [backend], i.e. service_started)
        // starts right after backend has started, and the new deploy is awaited as a whole before the cutover
        assertEquals(List.of(List.of(PROXY, DB), List.of("sancho_backend_d1", "sancho_frontend_d1")), waves);
        assertEquals(List.of("sancho_backend_d1:0", "sancho_frontend_d1:1"), appStarts(plan));
        assertEquals(List.of(), plan.actions(Action.Cutover.class).get(0).stop());
        assertEquals(List.of(), plan.actions(Action.RemoveContainer.class));
        assertEquals(NOW.toString(), creates.get(2).spec().labels().get(Labels.DEPLOYED_AT));
        assertEquals("d1", creates.get(2).spec().labels().get(Labels.DEPLOY_ID));
    }

    /** Deploys d1..dN of backend + frontend, a day apart; dN runs, the others are stopped. */
    void pastDeploys(int n) {
        for (int i = 1; i <= n; i++) {
            String state = i == n ? "running" : "exited";
            app(PROJECT, "backend", "d" + i, "2026-01-0" + i + "T00:00:00Z", state);
            app(PROJECT, "frontend", "d" + i, "2026-01-0" + i + "T00:00:00Z", state);
        }
    }

    static List<String> appStarts(Plan plan) {
        return plan.actions(Action.StartContainer.class).stream().filter(s -> !s.infra())
                .map(s -> s.name() + ":" + s.wave()).toList();
    }

    @Test
    void aServiceHealthyDependencyIsAwaitedBeforeItsDependentStarts() {
        Stack stack = seed.with("frontend", "depends_on", "{backend: {condition: service_healthy}}").stack("d1");
        infraRunning(stack);
        Plan plan = plan(stack);
        List<String> order = plan.actions().stream()
                .filter(a -> a instanceof Action.StartContainer || a instanceof Action.AwaitHealthy)
                .map(a -> a instanceof Action.StartContainer s ? "start " + s.name()
                        : "await " + ((Action.AwaitHealthy) a).names())
                .toList();
        assertEquals(List.of("start sancho_backend_d1", "await [sancho_backend_d1]", "start sancho_frontend_d1",
                "await [sancho_frontend_d1]"), order);
    }

    @Test
    void aOneShotJobMustCompleteBeforeItsDependentStartsAndIsNotAwaitedAsRunning() {
        Stack stack = seed.withJob("migrate", "backend").stack("d1");
        infraRunning(stack);
        Plan plan = plan(stack);
        List<String> order = plan.actions().stream().filter(a -> a instanceof Action.StartContainer
                || a instanceof Action.AwaitHealthy || a instanceof Action.AwaitCompleted).map(Action::describe)
                .map(String::trim).toList();
        assertEquals(List.of("start    sancho_migrate_d1",
                "await    sancho_migrate_d1 completed (exit code 0; timeout 60 s)",
                "start    sancho_backend_d1 (after what it depends on)",
                "start    sancho_frontend_d1 (after what it depends on)",
                "await    sancho_backend_d1, sancho_frontend_d1 ready (healthcheck, else running 2 s; timeout 60 s)"),
                order);
        Map<String, String> labels = plan.actions(Action.CreateContainer.class).stream()
                .filter(c -> c.name().equals("sancho_migrate_d1")).findFirst().orElseThrow().spec().labels();
        assertEquals("true", labels.get(Labels.JOB));
        assertEquals("backend,frontend,migrate", labels.get(Labels.DEPLOY_SERVICES));
    }

    @Test
    void independentAppServicesStartInOneWave() {
        Stack stack = seed.without("frontend", "depends_on").stack("d1");
        infraRunning(stack);
        Plan plan = plan(stack);
        assertEquals(List.of("sancho_backend_d1:0", "sancho_frontend_d1:0"), appStarts(plan));
        assertEquals(List.of(List.of("sancho_backend_d1", "sancho_frontend_d1")),
                plan.actions(Action.AwaitHealthy.class).stream().map(Action.AwaitHealthy::names).toList());
    }

    @Test
    void runningInfrastructureIsAdoptedAndNeverCreatedStartedStoppedOrRemoved() {
        Stack stack = seed.stack("d2");
        infraRunning(stack);
        Plan plan = plan(stack);
        assertEquals(Set.of(PROXY, DB), plan.actions(Action.AdoptContainer.class).stream()
                .map(Action.AdoptContainer::name).collect(Collectors.toSet()));
        assertTrue(plan.actions(Action.CreateContainer.class).stream().noneMatch(Action.CreateContainer::infra));
        assertTrue(plan.actions(Action.StartContainer.class).stream().noneMatch(Action.StartContainer::infra));
        assertEquals(List.of(), plan.actions(Action.DriftReport.class));
        assertFalse(touched(plan).contains(DB));
    }

    @Test
    void stoppedInfrastructureIsStartedAsItIsNotRecreated() {
        Stack stack = seed.stack("d2");
        ContainerInfo db = ownInfra(stack, "db", "exited");
        ownInfra(stack, "traefik", "running");
        Plan plan = plan(stack);
        Action.StartContainer start = plan.actions(Action.StartContainer.class).get(0);
        assertEquals(DB, start.name());
        assertEquals(db.id(), start.id());
        assertTrue(start.infra());
        assertTrue(plan.actions(Action.CreateContainer.class).stream().noneMatch(c -> c.name().equals(DB)));
    }

    @Test
    void infraWithTheFixedNameButWithoutOurLabelsIsAdoptedWithANoteAndNeverTouched() {
        engine.add(DB, DB_IMAGE, "running", Map.of("com.docker.compose.project", "sancho")); // the runbook's own
        engine.add(PROXY, PROXY_IMAGE, "running", Map.of());
        Plan plan = plan(seed.stack("d1"));
        assertEquals(List.of(), plan.blockers());
        Action.AdoptContainer adopt = plan.actions(Action.AdoptContainer.class).stream()
                .filter(a -> a.name().equals(DB)).findFirst().orElseThrow();
        assertTrue(adopt.describe().contains("not created by sancho"), adopt.describe());
        assertTrue(plan.actions(Action.CreateContainer.class).stream().noneMatch(Action.CreateContainer::infra));
        assertTrue(plan.actions(Action.StartContainer.class).stream().noneMatch(Action.StartContainer::infra));
        assertFalse(touched(plan).contains(DB));
    }

    @Test
    void infraOfAnotherOwnerThatIsStoppedBlocksInsteadOfBeingStarted() {
        engine.add(DB, DB_IMAGE, "exited", Map.of());
        Plan plan = plan(seed.stack("d1"));
        assertEquals(1, plan.blockers().size());
        assertTrue(plan.blockers().get(0).contains("docker start " + DB), plan.blockers().get(0));
    }

    @Test
    void driftIsReportedByFieldAndVariableNameWithoutValuesAndNeverApplied() {
        Stack before = seed.stack("d1");
        ContainerInfo db = ownInfra(before, "db", "running");
        ownInfra(before, "traefik", "running");
        Stack after = seed.withDbPassword("another-" + SECRET).withDbImage("sancho-it/postgres:16").stack("d2");
        engine.addImage("sancho-it/postgres:16");
        Plan plan = plan(after);
        List<Action.DriftReport> drift = plan.actions(Action.DriftReport.class);
        assertEquals(1, drift.size());
        String text = drift.get(0).describe();
        assertTrue(text.contains("image " + DB_IMAGE + " -> sancho-it/postgres:16"), text);
        assertTrue(text.contains("environment (POSTGRES_PASSWORD changed)"), text);
        assertTrue(text.contains("To apply: mvn sancho:upgrade -Dsancho.services=db in a maintenance window"), text);
        assertFalse(String.join("\n", plan.lines()).contains(SECRET));
        assertTrue(plan.actions(Action.CreateContainer.class).stream().noneMatch(c -> c.name().equals(DB)));
        assertFalse(touched(plan).contains(DB));
        assertTrue(plan.actions(Action.StartContainer.class).stream().noneMatch(s -> db.id().equals(s.id())));
    }

    @Test
    void missingExternalVolumeBlocksCreatingTheDatabaseUnlessEnsureVolumeCreatedIt() {
        engine.volumes.clear();
        Plan plan = plan(seed.stack("d1"));
        assertEquals(1, plan.blockers().size(), plan.blockers()::toString);
        assertTrue(plan.blockers().get(0).contains(VOLUME) && plan.blockers().get(0).contains(DB));
        assertTrue(plan.actions(Action.CreateVolume.class).isEmpty(), "external volumes are never created here");

        Plan ensured = plan(seed.stack("d1"), DeployOptions.defaults(NOW).withEnsuredVolumes(Set.of(VOLUME)));
        assertEquals(List.of(), ensured.blockers());
    }

    @Test
    void missingExternalVolumeDoesNotMatterWhileTheDatabaseRuns() {
        engine.volumes.clear();
        Stack stack = seed.stack("d1");
        ownInfra(stack, "db", "running");
        assertEquals(List.of(), plan(stack).blockers());
    }

    @Test
    void nonExternalVolumesAndNetworksAreCreatedWithTheProjectLabel() {
        Plan plan = plan(seed.withOwnVolume("cache").stack("d1"));
        Action.CreateVolume v = plan.actions(Action.CreateVolume.class).get(0);
        assertEquals("sancho_cache", v.name());
        assertEquals(PROJECT, v.labels().get(Labels.PROJECT));
        assertEquals(PROJECT, plan.actions(Action.CreateNetwork.class).get(0).labels().get(Labels.PROJECT));
        engine.createNetwork(NETWORK, null, Map.of());
        assertTrue(plan(seed.stack("d1")).actions(Action.CreateNetwork.class).isEmpty());
    }

    @Test
    void cutoverStopsTheRunningDeployAndRetentionRemovesOnlyDeploysBeyondKeep() {
        Stack stack = seed.stack("d5");
        infraRunning(stack);
        pastDeploys(4);
        Plan plan = plan(stack);
        Action.Cutover cut = plan.actions(Action.Cutover.class).get(0);
        assertEquals(Set.of("sancho_backend_d4", "sancho_frontend_d4"),
                cut.stop().stream().map(Action.OldContainer::name).collect(Collectors.toSet()));
        assertEquals(java.time.Duration.ofSeconds(3), cut.stop().get(0).grace(), "service stop_grace_period");
        // after the cutover d4, d3 are the 2 kept; d2 and d1 go
        assertEquals(Set.of("sancho_backend_d2", "sancho_frontend_d2", "sancho_backend_d1", "sancho_frontend_d1"),
                plan.actions(Action.RemoveContainer.class).stream().map(Action.RemoveContainer::name)
                        .collect(Collectors.toSet()));
        int cutIndex = plan.actions().indexOf(cut);
        List<Action.AwaitHealthy> awaits = plan.actions(Action.AwaitHealthy.class);
        int lastAwait = plan.actions().lastIndexOf(awaits.get(awaits.size() - 1));
        assertTrue(lastAwait < cutIndex, "cut over only after the new deploy is ready");
    }

    @Test
    void anInterruptedDeployIsRemovedAndDoesNotTakeAKeptSlot() {
        Stack stack = seed.stack("d5");
        infraRunning(stack);
        pastDeploys(3);
        // d4 was killed after its backend started: it has no frontend container
        ContainerInfo d4 = app(PROJECT, "backend", "d4", "2026-01-04T00:00:00Z", "running");
        Map<String, String> labels = new HashMap<>(d4.labels());
        labels.put(Labels.DEPLOY_SERVICES, "backend,frontend");
        engine.containers.put(d4.id(), new ContainerInfo(d4.id(), d4.name(), d4.image(), d4.imageId(), d4.state(),
                null, null, labels, d4.created(), List.of(), Map.of()));

        Plan plan = plan(stack); // keep = 2

        assertTrue(touched(plan).contains("sancho_backend_d4"));
        assertEquals(Set.of("sancho_backend_d4", "sancho_backend_d1", "sancho_frontend_d1"),
                plan.actions(Action.RemoveContainer.class).stream().map(Action.RemoveContainer::name)
                        .collect(Collectors.toSet()), "d4 goes, d3 and d2 are the two kept");
        assertTrue(plan.actions(Action.RemoveContainer.class).stream().anyMatch(r -> r.reason().equals(
                "deploy d4 was interrupted (no frontend container): not a rollback target")));
        assertEquals(List.of("sancho_backend_d5", "sancho_frontend_d5"), plan.actions(Action.CreateContainer.class)
                .stream().map(Action.CreateContainer::name).toList());
        assertEquals("backend,frontend", plan.actions(Action.CreateContainer.class).get(0).spec().labels()
                .get(Labels.DEPLOY_SERVICES));
    }

    @Test
    void decoysAreNeverStoppedOrRemoved() {
        Stack stack = seed.stack("d9");
        infraRunning(stack);
        engine.add("sancho_db_v2_old", DB_IMAGE, "exited", Map.of());
        engine.add("xsancho_db_v2", DB_IMAGE, "running", Map.of());
        engine.add("sancho_backend_manual", "sancho-it/app:1", "running", Map.of());
        for (int i = 1; i <= 6; i++) {
            app("sanchodep_other", "backend", "d" + i, "2026-01-0" + i + "T00:00:00Z", i == 6 ? "running" : "exited");
        }
        // an app-labelled container carrying an infrastructure name: a hand-edit; still never removed
        engine.add("sancho_traefik_persistent_x", PROXY_IMAGE, "exited", Map.of(Labels.PROJECT, PROJECT));
        for (int i = 1; i <= 5; i++) {
            app(PROJECT, "backend", "d" + i, "2026-01-0" + i + "T00:00:00Z", i == 5 ? "running" : "exited");
        }
        Plan plan = plan(stack, new DeployOptions(0, java.time.Duration.ofSeconds(60), java.time.Duration.ZERO,
                java.time.Duration.ZERO, NOW, Set.of()));
        Set<String> touched = touched(plan);
        assertEquals(5, touched.size(), touched::toString);
        assertTrue(touched.stream().allMatch(n -> n.startsWith("sancho_backend_d")), touched::toString);
        for (String decoy : List.of(DB, PROXY, "sancho_db_v2_old", "xsancho_db_v2", "sancho_backend_manual",
                "sanchodep_other_backend_d1", "sanchodep_other_backend_d6", "sancho_traefik_persistent_x")) {
            assertFalse(touched.contains(decoy), decoy);
        }
    }

    @Test
    void aContainerLabelledAppButNamedLikeInfrastructureIsNeverRemoved() {
        Stack stack = seed.stack("d3");
        engine.add(DB, DB_IMAGE, "exited", Map.of(Labels.PROJECT, PROJECT, Labels.ROLE, "app",
                Labels.DEPLOY_ID, "d0", Labels.DEPLOYED_AT, "2020-01-01T00:00:00Z"));
        Plan plan = Planner.plan(stack, StateReader.observe(engine, stack), new DeployOptions(0,
                java.time.Duration.ofSeconds(5), java.time.Duration.ZERO, java.time.Duration.ZERO, NOW, Set.of()));
        assertFalse(touched(plan).contains(DB));
        assertTrue(plan.notes().stream().anyMatch(n -> n.contains(DB)), plan.notes()::toString);
    }

    @Test
    void missingImagesArePulledFirstBeforeAnyOtherAction() {
        Plan plan = plan(seed.withAppImage("sancho-it/app:3").stack("d1"));
        assertEquals(new Action.PullImage("sancho-it/app:3"), plan.actions().get(0));
        assertEquals(1, plan.actions(Action.PullImage.class).size());
    }

    @Test
    void imagesThisDeployBuildsAreNeverPulledAlsoWhenADryRunHasNotBuiltThemYet() {
        Stack stack = seed.withAppImage("sancho/backend:d7").stack("d7");
        ObservedState observed = StateReader.observe(engine, stack);
        Plan plan = Planner.plan(stack, observed.withImages(Set.of("sancho/backend:d7")), DeployOptions.defaults(NOW))
                .assertSafe();
        assertEquals(List.of(), plan.actions(Action.PullImage.class), "the per-deploy tag does not exist yet");
        assertEquals(List.of("sancho_backend_d7", "sancho_frontend_d7"), plan.actions(Action.CreateContainer.class)
                .stream().filter(c -> !c.infra()).map(Action.CreateContainer::name).toList());

        Plan unbuilt = Planner.plan(stack, observed, DeployOptions.defaults(NOW));
        assertEquals(List.of(new Action.PullImage("sancho/backend:d7")), unbuilt.actions(Action.PullImage.class),
                "an image nobody builds is still pulled (and, offline, fails before any change)");
    }

    @Test
    void reusingADeployIdBlocks() {
        app(PROJECT, "backend", "d1", "2026-01-01T00:00:00Z", "exited");
        Plan plan = plan(seed.stack("d1"));
        assertTrue(plan.blockers().get(0).contains("sancho_backend_d1 already exists"), plan.blockers()::toString);
    }

    @Test
    void safetyNetRejectsAPlanThatWouldRemoveInfrastructureOrForeignContainers() {
        ContainerInfo foreign = engine.add("sancho_backend_manual", "sancho-it/app:1", "exited", Map.of());
        ContainerInfo infraNamed = engine.add(DB, DB_IMAGE, "exited", Map.of(Labels.PROJECT, PROJECT,
                Labels.ROLE, "app"));
        ContainerInfo other = app("sanchodep_other", "backend", "x", "2026-01-01T00:00:00Z", "exited");
        for (ContainerInfo c : List.of(foreign, infraNamed, other)) {
            Plan bad = new Plan(PROJECT, "d1", Set.of(DB, PROXY), List.of(new Action.RemoveContainer(c, "bug")),
                    List.of(), List.of());
            assertThrows(IllegalStateException.class, bad::assertSafe, c.name());
            Plan badStop = new Plan(PROJECT, "d1", Set.of(DB, PROXY), List.of(new Action.Cutover(
                    List.of(new Action.OldContainer(c, null, java.time.Duration.ZERO)), java.time.Duration.ZERO)),
                    List.of(), List.of());
            assertThrows(IllegalStateException.class, badStop::assertSafe, c.name());
        }
    }

    @Test
    void safetyNetRejectsStoppingOrRemovingAnAppContainerOfAnotherIdentityOfTheSameName() {
        ContainerInfo theirs = engine.add("sancho_backend_x", "sancho-it/app:1", "running", Map.of(Labels.PROJECT,
                PROJECT, Labels.ROLE, "app", Labels.IDENTITY, "org.other:inventario:docker-compose.yml"));
        ContainerInfo legacy = engine.add("sancho_backend_y", "sancho-it/app:1", "running", Map.of(Labels.PROJECT,
                PROJECT, Labels.ROLE, "app"));
        String mine = "com.acme:inventario:docker-compose.yml";
        Plan stop = new Plan(PROJECT, "d1", Set.of(DB, PROXY), List.of(new Action.Cutover(
                List.of(new Action.OldContainer(theirs, null, java.time.Duration.ZERO)), java.time.Duration.ZERO)),
                List.of(), List.of(), mine);
        assertThrows(IllegalStateException.class, stop::assertSafe);
        Plan remove = new Plan(PROJECT, "d1", Set.of(DB, PROXY), List.of(new Action.RemoveContainer(theirs, "bug")),
                List.of(), List.of(), mine);
        assertThrows(IllegalStateException.class, remove::assertSafe);
        // one without an identity (an earlier version's) is the project's once nothing carries another identity
        new Plan(PROJECT, "d1", Set.of(DB, PROXY), List.of(new Action.RemoveContainer(legacy, "kept too long")),
                List.of(), List.of(), mine).assertSafe();
        assertTrue(Safety.removable(theirs, PROJECT, "org.other:inventario:docker-compose.yml", Set.of()));
        assertFalse(Safety.removable(theirs, PROJECT, null, Set.of()));
    }

    @Test
    void thePlannerNeverStopsAnAppContainerOfAnotherIdentity() {
        app(PROJECT, "backend", "d1", "2026-01-01T00:00:00Z", "running");
        ContainerInfo theirs = engine.add("sancho_web_x", "sancho-it/app:1", "running", Map.of(Labels.PROJECT,
                PROJECT, Labels.ROLE, "app", Labels.SERVICE, "web", Labels.DEPLOY_ID, "x",
                Labels.IDENTITY, "org.other:inventario:docker-compose.yml"));
        Plan plan = plan(seed.stack("d2", "com.acme:inventario:docker-compose.yml"));
        List<String> stopped = plan.actions(Action.Cutover.class).get(0).stop().stream()
                .map(Action.OldContainer::name).toList();
        assertEquals(List.of("sancho_backend_d1"), stopped);
        assertFalse(stopped.contains(theirs.name()));
    }

    @Test
    void printedPlanNeverShowsEnvironmentValues() {
        Plan plan = plan(seed.stack("d1"));
        String text = String.join("\n", plan.lines());
        assertFalse(text.contains(SECRET), text);
        assertTrue(text.startsWith("Plan for project sancho, deploy d1:"), text);
    }

    @Test
    void aServiceWithAFixedHostPortStopsItsPreviousContainerFirstAndOnlyThatOne() {
        Stack stack = seed.with("backend", "ports", "['127.0.0.1:28490:8080']").stack("d2");
        infraRunning(stack);
        app(PROJECT, "backend", "d1", "2026-01-01T00:00:00Z", "running");
        app(PROJECT, "frontend", "d1", "2026-01-01T00:00:00Z", "running");
        Plan plan = plan(stack);

        Action.StopFirst first = plan.actions(Action.StopFirst.class).get(0);
        assertEquals(1, plan.actions(Action.StopFirst.class).size());
        assertEquals(List.of("sancho_backend_d1"), first.stop().stream().map(Action.OldContainer::name).toList());
        assertEquals(java.time.Duration.ofSeconds(3), first.stop().get(0).grace(), "service stop_grace_period");
        assertEquals(List.of("28490"), first.hostPorts());
        int stopAt = plan.actions().indexOf(first);
        Action next = plan.actions().get(stopAt + 1);
        assertTrue(next instanceof Action.StartContainer s && s.name().equals("sancho_backend_d2"),
                plan.lines()::toString);
        assertTrue(plan.actions().get(stopAt - 1) instanceof Action.CreateContainer, "after the creates, before the"
                + " backend's wave: " + plan.lines());
        assertEquals(List.of("sancho_frontend_d1"), plan.actions(Action.Cutover.class).get(0).stop().stream()
                .map(Action.OldContainer::name).toList());
        assertTrue(plan.lines().contains("  stop     sancho_backend_d1 first, then start sancho_backend_d2 (backend"
                + " publishes host port 28490: it cannot run beside the new one; a short outage; started again if"
                + " the deploy fails)"), plan.lines()::toString);
        assertEquals(1, plan.warnings().size());
        assertTrue(plan.warnings().get(0).startsWith("backend publishes host port 28490: the previous deploy's"
                + " backend must stop before the new one starts"), plan.warnings()::toString);
        // the deploy with the early-stopped backend is still counted as kept
        assertTrue(plan.notes().contains("kept for rollback (stopped): deploy d1"), plan.notes()::toString);
    }

    @Test
    void withoutARunningPreviousDeployAFixedHostPortChangesNothing() {
        Stack stack = seed.with("backend", "ports", "['127.0.0.1:28490:8080']").stack("d1");
        Plan plan = plan(stack);
        assertEquals(List.of(), plan.actions(Action.StopFirst.class));
        assertEquals(List.of(), plan.warnings());
    }
}
