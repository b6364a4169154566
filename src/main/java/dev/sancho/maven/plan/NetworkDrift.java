package dev.sancho.maven.plan;

import dev.sancho.maven.compose.NetworkDef;
import dev.sancho.maven.docker.NetworkInfo;
import dev.sancho.maven.docker.NetworkOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * How an existing network differs from its compose definition, in the settings that are fixed when a network is
 * created: driver, {@code internal}, {@code enable_ipv6}, {@code attachable}, {@code driver_opts}, {@code labels}.
 * The engine may add options and labels of its own; only what the file asks for is compared.
 */
final class NetworkDrift {
    private NetworkDrift() {}

    static List<String> differences(NetworkDef def, NetworkInfo existing) {
        List<String> out = new ArrayList<>();
        String driver = def.driver() == null || def.driver().isBlank() ? "bridge" : def.driver();
        if (existing.driver() != null && !driver.equals(existing.driver())) {
            out.add("driver " + existing.driver() + " -> " + driver);
        }
        NetworkDef.Options want = def.options();
        NetworkOptions has = existing.options();
        if (want.internal() != has.internal()) {
            out.add("internal " + has.internal() + " -> " + want.internal());
        }
        if (want.enableIpv6() != null && want.enableIpv6() != has.enableIpv6()) {
            out.add("enable_ipv6 " + has.enableIpv6() + " -> " + want.enableIpv6());
        }
        if (want.attachable() && !has.attachable()) {
            out.add("attachable false -> true");
        }
        want.driverOpts().forEach((k, v) -> {
            String now = has.driverOpts().get(k);
            if (!v.equals(now)) {
                out.add("driver_opts." + k + " " + (now == null ? "unset" : now) + " -> " + v);
            }
        });
        def.labels().forEach((k, v) -> {
            String now = existing.labels().get(k);
            if (!v.equals(now)) {
                out.add("labels." + k + " " + (now == null ? "unset" : now) + " -> " + v);
            }
        });
        return out;
    }
}
