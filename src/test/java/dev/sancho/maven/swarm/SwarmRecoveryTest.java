package dev.sancho.maven.swarm;

import dev.sancho.maven.core.Recovery;
import dev.sancho.maven.core.VirtualTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.docker.FakeDockerEngine;
import dev.sancho.maven.docker.SwarmEngine;
import dev.sancho.maven.docker.SwarmServiceSpec;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * sancho:recover on a swarm, against a fake swarm: an absent infrastructure service is created as a first deploy
 * would (pinned, on its volume), an existing one is never touched, and a missing data volume refuses before any change.
 */
class SwarmRecoveryTest {
    private static final String STACK = """
            services:
              db:
                image: postgres:15
                container_name: shop_db
                volumes:
                  - pgdata:/var/lib/postgresql/data
              cache:
                image: redis:7
                container_name: shop_cache
                volumes:
                  - cachedata:/data
              backend:
                image: shop/app:1
            volumes:
              pgdata:
                external: true
                name: shop_pgdata
              cachedata: {}
            """;

    @TempDir
    Path dir;

    @RegisterExtension
    final VirtualTime time = new VirtualTime();

    private final FakeSwarm swarm = new FakeSwarm();
    private final FakeDockerEngine engine = new FakeDockerEngine() {
        @Override
        public SwarmEngine swarm() {
            return swarm;
        }
    };

    private Stack stack() {
        return StackResolver.resolve(Fixtures.inline(dir, STACK), new StackConfig("shop", "shop", "r1",
                Set.of("db", "cache"), null, true));
    }

    private static Recovery.Options options(boolean allowEmpty, boolean dryRun) {
        return new Recovery.Options(allowEmpty, dryRun, Duration.ofSeconds(30), Duration.ZERO);
    }

    private void existing(String name) {
        swarm.createService(new SwarmServiceSpec(name, Map.of(), "img", null, null, List.of(), Map.of(), List.of(),
                List.of(), null, null, null, null, null, 1, List.of(), null, null, null, "vip", List.of(), null, null, null));
        swarm.createdServices.clear();
    }

    @Test
    void anAbsentDatabaseServiceIsCreatedPinnedToTheManagerOnItsVolumeTheOthersAreNotTouched() {
        engine.createVolume("shop_pgdata", null, Map.of(), Map.of());
        existing("shop_cache");
        List<String> done = SwarmRecovery.recover(engine, stack(), options(false, false), Log.NONE);
        assertEquals(List.of("shop_db"), done);
        assertEquals(1, swarm.createdServices.size());
        SwarmServiceSpec db = swarm.createdServices.get(0);
        assertEquals("shop_db", db.name());
        assertEquals(1, db.replicas());
        assertEquals(List.of("node.id==n1"), db.constraints());
        assertEquals(List.of(new SwarmServiceSpec.Mount("volume", "shop_pgdata", "/var/lib/postgresql/data", false)),
                db.mounts());
    }

    @Test
    void nothingToRecoverWhenEveryInfrastructureServiceExists() {
        existing("shop_db");
        existing("shop_cache");
        assertEquals(List.of(), SwarmRecovery.recover(engine, stack(), options(false, false), Log.NONE));
        assertEquals(List.of(), swarm.createdServices);
        assertEquals(List.of(), swarm.createdNetworks);
    }

    @Test
    void aMissingDataVolumeRefusesBeforeAnyChangeUnlessAnEmptyOneIsAllowed() {
        engine.createVolume("shop_pgdata", null, Map.of(), Map.of());
        String msg = assertThrows(CheckFailedException.class, () -> SwarmRecovery.recover(engine, stack(),
                options(false, false), Log.NONE)).getMessage();
        assertTrue(msg.startsWith("refusing to recover: infrastructure service shop_cache: its data volume"
                + " shop_cachedata does not exist on node n1"), msg);
        assertTrue(msg.endsWith("EMPTY volume; restore the volume there, or -Dsancho.allowEmptyVolume (nothing was"
                + " changed)"), msg);
        assertEquals(List.of(), swarm.createdServices);
        assertEquals(List.of(), swarm.createdNetworks);
        assertEquals(List.of("shop_db", "shop_cache"),
                SwarmRecovery.recover(engine, stack(), options(true, false), Log.NONE));
    }

    @Test
    void aMissingExternalVolumeIsRefusedEvenWithAllowEmptyVolume() {
        engine.createVolume("shop_cachedata", null, Map.of(), Map.of());
        String msg = assertThrows(CheckFailedException.class, () -> SwarmRecovery.recover(engine, stack(),
                options(true, false), Log.NONE)).getMessage();
        assertTrue(msg.contains("its external volume shop_pgdata does not exist on node n1"), msg);
        assertEquals(List.of(), swarm.createdServices);
    }

    @Test
    void aDryRunChangesNothing() {
        engine.createVolume("shop_pgdata", null, Map.of(), Map.of());
        engine.createVolume("shop_cachedata", null, Map.of(), Map.of());
        assertEquals(List.of(), SwarmRecovery.recover(engine, stack(), options(false, true), Log.NONE));
        assertEquals(List.of(), swarm.createdServices);
        assertEquals(List.of(), swarm.createdNetworks);
    }
}
