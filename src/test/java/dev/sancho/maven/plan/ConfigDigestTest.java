package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sancho.maven.docker.ContainerSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two digests of a container's configuration. Their values are stored in labels on containers that live for
 * years (infrastructure), so they are pinned: a change would report drift on every database already deployed.
 */
class ConfigDigestTest {

    static ContainerSpec spec(Map<String, String> env) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.PROJECT, "shop");
        labels.put(Labels.DEPLOY_ID, "42"); // volatile: never part of a digest
        return new ContainerSpec("shop_db", "postgres:15", List.of("docker-entrypoint.sh"), List.of("postgres"), env,
                labels, List.of(new ContainerSpec.PortBinding("127.0.0.1", "5432", 5432, "tcp")),
                List.of(new ContainerSpec.Mount("volume", "pgdata", "/var/lib/postgresql/data", false)),
                Map.of("shop_default", List.of("db")), "unless-stopped",
                new ContainerSpec.HealthSpec(List.of("CMD", "pg_isready"), Duration.ofSeconds(1), Duration.ofSeconds(3),
                        5, Duration.ZERO),
                "postgres", "/", "db", List.of("host.docker.internal:host-gateway"), "SIGINT", Duration.ofSeconds(30));
    }

    static final Map<String, String> ENV = Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "s3cret");

    @Test
    void theConfigHashIsPinned() {
        assertEquals("655e207c3acb", ContainerSpecs.configHash(spec(ENV)));
    }

    @Test
    void theFieldDigestsArePinned() {
        assertEquals("command=76745da0,entrypoint=e3bbf988,env.POSTGRES_PASSWORD=b671831b,env.POSTGRES_USER=e1743193,"
                + "extra_hosts=852f66e2,healthcheck=c4672401,hostname=7bdc25d1,image=67ebd6b7,labels=e9de35a8,"
                + "mounts=a47c0236,networks=ae3b8766,ports=a79e2100,restart=b24d9799,stop_grace_period=892df98d,"
                + "stop_signal=71757acb,user=a942b37c,working_dir=8a5edab2", ContainerSpecs.fieldDigests(spec(ENV)));
    }

    @Test
    void aChangedVariableChangesTheHashAndOnlyItsOwnFieldDigest() {
        Map<String, String> before = ContainerSpecs.parseFieldDigests(ContainerSpecs.fieldDigests(spec(ENV)));
        Map<String, String> after = ContainerSpecs.parseFieldDigests(ContainerSpecs.fieldDigests(
                spec(Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "other"))));
        assertNotEquals(ContainerSpecs.configHash(spec(ENV)),
                ContainerSpecs.configHash(spec(Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "other"))));
        before.keySet().forEach(k -> {
            if (k.equals("env.POSTGRES_PASSWORD")) {
                assertNotEquals(before.get(k), after.get(k), k);
            } else {
                assertEquals(before.get(k), after.get(k), k);
            }
        });
    }
}
