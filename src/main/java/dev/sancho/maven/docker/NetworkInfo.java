package dev.sancho.maven.docker;

import java.util.Map;

/** An existing network, as the engine describes it: what a drift report compares with the compose file. */
public record NetworkInfo(String id, String name, String driver, Map<String, String> labels, NetworkOptions options) {
    public NetworkInfo(String id, String name, String driver, Map<String, String> labels) {
        this(id, name, driver, labels, NetworkOptions.NONE);
    }

    public NetworkInfo {
        options = options == null ? NetworkOptions.NONE : options;
    }
}
