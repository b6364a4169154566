package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.ContainerOptions;
import dev.sancho.maven.docker.ContainerSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Infrastructure drift: every setting sancho applies to a container enters its field digests, so a change to any
 * applied key is reported by name. Walks {@link ContainerOptions} itself: a setting added later without a digest fails here.
 */
class DriftCoversEveryOptionTest {

    private static ContainerSpec spec(ContainerOptions options) {
        return new ContainerSpec("shop_db", "postgres:15", null, null, Map.of(), Map.of(), List.of(), List.of(),
                Map.of(), "unless-stopped", null, null, null, null, List.of(), null, null, options);
    }

    @Test
    void eachSettingOnItsOwnChangesTheDigestsAndIsNamedInTheDriftReport() throws Exception {
        RecordComponent[] components = ContainerOptions.class.getRecordComponents();
        Class<?>[] types = java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<ContainerOptions> ctor = ContainerOptions.class.getDeclaredConstructor(types);
        String plain = ContainerSpecs.fieldDigests(spec(ContainerOptions.NONE));
        List<String> missing = new ArrayList<>();
        TreeSet<String> named = new TreeSet<>();
        for (int i = 0; i < components.length; i++) {
            Object[] args = new Object[components.length];
            args[i] = sample(components[i]);
            ContainerOptions one = ctor.newInstance(args);
            ContainerSpec before = spec(ContainerOptions.NONE);
            ContainerSpec after = spec(one);
            String digests = ContainerSpecs.fieldDigests(after);
            if (digests.equals(plain) || ContainerSpecs.configHash(after).equals(ContainerSpecs.configHash(before))) {
                missing.add(components[i].getName());
                continue;
            }
            var beforeMap = ContainerSpecs.parseFieldDigests(plain);
            ContainerSpecs.parseFieldDigests(digests).forEach((k, v) -> {
                if (!v.equals(beforeMap.get(k))) {
                    named.add(k);
                }
            });
        }
        assertEquals(List.of(), missing, "settings without a digest");
        assertTrue(named.containsAll(List.of("network_mode", "links", "volumes_from", "blkio_config", "gpus",
                "ipv4_address", "healthcheck.start_interval", "mem_limit", "storage_opt")), named::toString);
        assertNotEquals(0, named.size());
    }

    private static Object sample(RecordComponent c) {
        Class<?> t = c.getType();
        if (t == Long.class) {
            return 7L;
        }
        if (t == Integer.class) {
            return 7;
        }
        if (t == Boolean.class) {
            return true;
        }
        if (t == String.class) {
            return "x";
        }
        if (t == BigDecimal.class) {
            return BigDecimal.ONE;
        }
        if (t == Duration.class) {
            return Duration.ofSeconds(2);
        }
        if (t == ContainerOptions.Blkio.class) {
            return new ContainerOptions.Blkio(300, List.of(), List.of(), List.of(), List.of(), List.of());
        }
        if (t == Map.class) {
            Type v = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[1];
            return Map.of("k", v == String.class ? "v" : new ContainerOptions.Address("10.0.0.2", null));
        }
        if (t == List.class) {
            Type e = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
            if (e == String.class) {
                return List.of("x");
            }
            if (e == ContainerOptions.Ulimit.class) {
                return List.of(new ContainerOptions.Ulimit("nofile", 1, 2));
            }
            if (e == ContainerOptions.Device.class) {
                return List.of(new ContainerOptions.Device("/dev/a", "/dev/a", "rwm"));
            }
            if (e == ContainerOptions.ExposedPort.class) {
                return List.of(new ContainerOptions.ExposedPort(80, "tcp"));
            }
            if (e == dev.sancho.maven.docker.ContainerFile.class) {
                return List.of(dev.sancho.maven.docker.ContainerFile.text("/run/secrets/t", "v", 0444, null, null));
            }
            if (e == ContainerOptions.DeviceRequest.class) {
                return List.of(new ContainerOptions.DeviceRequest("nvidia", 1, List.of(), List.of("gpu"), Map.of()));
            }
        }
        throw new AssertionError("no sample value for " + c + ": add one");
    }
}
