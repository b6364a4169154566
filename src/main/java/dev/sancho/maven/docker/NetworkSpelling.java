package dev.sancho.maven.docker;

import com.github.dockerjava.api.command.CreateNetworkCmd;

/** {@link NetworkOptions} as the network create call's {@code Internal}, {@code EnableIPv6}, {@code Attachable}, {@code Options}. */
final class NetworkSpelling {
    private NetworkSpelling() {}

    static CreateNetworkCmd apply(CreateNetworkCmd cmd, NetworkOptions o) {
        if (o == null) {
            return cmd;
        }
        if (o.internal()) {
            cmd.withInternal(true);
        }
        if (o.enableIpv6() != null) {
            cmd.withEnableIpv6(o.enableIpv6());
        }
        if (o.attachable()) {
            cmd.withAttachable(true);
        }
        if (!o.driverOpts().isEmpty()) {
            cmd.withOptions(o.driverOpts());
        }
        return cmd;
    }
}
