package dev.sancho.maven.compose;

import java.util.List;
import java.util.Map;

/**
 * A top-level network; {@code name} follows the same rule as {@link VolumeDef#name()}.
 *
 * @param ipam    its {@code ipam:} (address management), or null for the engine's default
 * @param options {@code internal}, {@code enable_ipv6}, {@code attachable}, {@code driver_opts}
 */
public record NetworkDef(String key, String name, String driver, Map<String, String> labels, boolean external,
        Ipam ipam, Options options) {

    public NetworkDef(String key, String name, String driver, Map<String, String> labels, boolean external) {
        this(key, name, driver, labels, external, null);
    }

    public NetworkDef(String key, String name, String driver, Map<String, String> labels, boolean external,
            Ipam ipam) {
        this(key, name, driver, labels, external, ipam, Options.NONE);
    }

    public NetworkDef {
        labels = Maps.frozen(labels);
        options = options == null ? Options.NONE : options;
    }

    /**
     * @param internal   {@code internal: true}: no route out of the network
     * @param enableIpv6 {@code enable_ipv6}, or null for the engine's default
     * @param attachable {@code attachable: true}
     * @param driverOpts {@code driver_opts}, passed to the driver as written
     */
    public record Options(boolean internal, Boolean enableIpv6, boolean attachable, Map<String, String> driverOpts) {
        public static final Options NONE = new Options(false, null, false, Map.of());

        public Options {
            driverOpts = Maps.frozen(driverOpts);
        }
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
