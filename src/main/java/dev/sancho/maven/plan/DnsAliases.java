package dev.sancho.maven.plan;

import dev.sancho.maven.docker.ContainerInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DNS names an app container answers to on its networks (its service name, and the compose file's
 * {@code aliases:}), as data: a new container is created without them and gets them once it is ready
 * ({@link Action.JoinDns}), so no request reaches a container that has not passed its readiness; a stopped container
 * keeps them, so it is whole for a rollback. Which aliases a container should have is recorded on it
 * ({@link Labels#DNS_ALIASES}); a container made before that label existed answers to its service name.
 */
public final class DnsAliases {
    /** Networks on which the engine keeps no aliases. */
    private static final Set<String> NO_ALIASES = Set.of("bridge", "host", "none");

    private DnsAliases() {}

    /** {@code net=a,b;net2=a}: network and alias names hold neither {@code ;} nor {@code =} nor {@code ,}. */
    public static String label(Map<String, List<String>> aliases) {
        List<String> parts = new ArrayList<>();
        aliases.forEach((network, names) -> {
            if (!names.isEmpty()) {
                parts.add(network + "=" + String.join(",", names));
            }
        });
        return String.join(";", parts);
    }

    /** The label's value read back; empty for null or blank. */
    public static Map<String, List<String>> parse(String label) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (label == null || label.isBlank()) {
            return out;
        }
        for (String part : label.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && eq < part.length() - 1) {
                out.put(part.substring(0, eq), List.of(part.substring(eq + 1).split(",")));
            }
        }
        return out;
    }

    /** The same networks without any alias: how a new container is created when it must not serve yet. */
    public static Map<String, List<String>> withoutAliases(Map<String, List<String>> networks) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        networks.keySet().forEach(n -> out.put(n, List.of()));
        return out;
    }

    /**
     * The aliases the container answers to when it serves, per network: its label, every network it names whether or
     * not the container is attached there now (a re-alias is a disconnect then a connect, and a kill between the two
     * leaves it detached), else its service name on each user-defined network it is attached to.
     */
    public static Map<String, List<String>> expected(ContainerInfo c) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (c.label(Labels.DNS_ALIASES) != null) {
            parse(c.label(Labels.DNS_ALIASES)).forEach((network, aliases) -> {
                if (!NO_ALIASES.contains(network)) {
                    out.put(network, aliases);
                }
            });
            return out;
        }
        String service = c.label(Labels.SERVICE);
        for (String network : c.networkAliases().keySet()) {
            if (!NO_ALIASES.contains(network) && service != null) {
                out.put(network, List.of(service));
            }
        }
        return out;
    }

    /**
     * The aliases the container has now, per network, without the short id Docker adds itself (which routes to this
     * container only and is no service name).
     */
    public static Map<String, List<String>> current(ContainerInfo c) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        c.networkAliases().forEach((network, aliases) -> out.put(network,
                aliases.stream().filter(a -> c.id() == null || !c.id().startsWith(a)).toList()));
        return out;
    }

    /** Per network, the expected aliases the container lacks now (empty: it has all). */
    public static Map<String, List<String>> missing(ContainerInfo c) {
        Map<String, List<String>> now = current(c);
        Map<String, List<String>> out = new LinkedHashMap<>();
        expected(c).forEach((network, aliases) -> {
            List<String> has = now.getOrDefault(network, List.of());
            if (!has.containsAll(aliases)) {
                out.put(network, aliases);
            }
        });
        return out;
    }

    /** True when the container answers to a service alias on some network (it is in DNS, not just attached). */
    public static boolean inDns(ContainerInfo c) {
        return current(c).entrySet().stream().anyMatch(e -> !NO_ALIASES.contains(e.getKey()) && !e.getValue().isEmpty());
    }

    /** True when the container is attached to a network where it could carry an alias at all. */
    public static boolean canBeInDns(ContainerInfo c) {
        return c.networkAliases().keySet().stream().anyMatch(n -> !NO_ALIASES.contains(n));
    }
}
