package dev.sancho.maven.docker;

/**
 * A host port a running container publishes, as the engine's container list reports it.
 *
 * @param hostIp   the address it is bound to ({@code 0.0.0.0} or {@code ::} for every address; may be empty)
 * @param protocol tcp, udp or sctp
 */
public record PublishedPort(String containerId, String containerName, String hostIp, int hostPort, String protocol) {

    /** True when a binding to {@code ip:port/protocol} would be refused because of this one. */
    public boolean blocks(String ip, int port, String proto) {
        if (port != hostPort || !normal(protocol).equals(normal(proto))) {
            return false;
        }
        return any(hostIp) || any(ip) || hostIp.equals(ip);
    }

    private static boolean any(String ip) {
        return ip == null || ip.isBlank() || "0.0.0.0".equals(ip) || "::".equals(ip);
    }

    private static String normal(String p) {
        return p == null || p.isBlank() ? "tcp" : p;
    }
}
