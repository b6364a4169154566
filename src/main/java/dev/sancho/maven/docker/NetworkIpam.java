package dev.sancho.maven.docker;

import java.util.List;
import java.util.Map;

/** Address management of a network to create, in the engine's terms; a null driver is the engine's default. */
public record NetworkIpam(String driver, List<Pool> pools, Map<String, String> options) {
    public NetworkIpam {
        pools = pools == null ? List.of() : List.copyOf(pools);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public record Pool(String subnet, String ipRange, String gateway, Map<String, String> auxAddresses) {
        public Pool {
            auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
        }
    }
}
