package dev.sancho.maven.docker;

import java.util.Map;

/**
 * A network's settings besides driver, labels and address management, in the engine's terms.
 *
 * @param enableIpv6 null leaves the engine's default
 * @param driverOpts the driver's options ({@code Options} of the create call)
 */
public record NetworkOptions(boolean internal, Boolean enableIpv6, boolean attachable, Map<String, String> driverOpts) {
    public static final NetworkOptions NONE = new NetworkOptions(false, null, false, Map.of());

    public NetworkOptions {
        driverOpts = driverOpts == null ? Map.of() : Map.copyOf(driverOpts);
    }
}
