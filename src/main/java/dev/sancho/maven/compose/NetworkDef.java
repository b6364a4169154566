package dev.sancho.maven.compose;

import java.util.List;
import java.util.Map;

/**
 * A top-level network; {@code name} follows the same rule as {@link VolumeDef#name()}.
 *
 * @param ipam its {@code ipam:} (address management), or null for the engine's default
 */
public record NetworkDef(String key, String name, String driver, Map<String, String> labels, boolean external,
        Ipam ipam) {

    public NetworkDef(String key, String name, String driver, Map<String, String> labels, boolean external) {
        this(key, name, driver, labels, external, null);
    }

    /** {@code ipam:}: a driver (null: default), its pools and options. */
    public record Ipam(String driver, List<Pool> config, Map<String, String> options) {
        public Ipam {
            config = config == null ? List.of() : List.copyOf(config);
            options = Maps.frozen(options);
        }
    }

    /** One {@code ipam.config} entry; {@code auxAddresses} maps a host name to an address the engine must not give. */
    public record Pool(String subnet, String ipRange, String gateway, Map<String, String> auxAddresses) {
        public Pool {
            auxAddresses = Maps.frozen(auxAddresses);
        }
    }
}
