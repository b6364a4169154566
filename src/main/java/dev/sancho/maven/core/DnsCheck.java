package dev.sancho.maven.core;

import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.ExecResult;
import dev.sancho.maven.docker.NetworkEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client sees: which addresses a service name resolves to on a network. Asked the way a client asks, from
 * inside a container running on that network (Docker's DNS answers per network), with {@code getent ahostsv4} or
 * {@code nslookup}, whichever the image has; when no container there has either (a distroless image), the engine's own
 * record of the network's endpoints and their aliases stands in, and the check says so. Read-only.
 */
final class DnsCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern IPV4 = Pattern.compile("\\b(\\d{1,3}(?:\\.\\d{1,3}){3})\\b");
    /** The resolver commands tried, in this order; {@code NAME} is replaced. */
    private static final List<List<String>> COMMANDS = List.of(List.of("getent", "ahostsv4", "NAME"),
            List.of("nslookup", "NAME"));

    private final DockerEngine engine;
    private final Map<String, List<NetworkEndpoint>> endpoints = new HashMap<>();
    /** Per network: the container and command that resolved last time (so each network is probed once). */
    private final Map<String, Resolver> resolvers = new HashMap<>();
    private final Set<String> preferred;

    /**
     * @param preferred container names to ask first, in this order (the stack's infrastructure first: a proxy is the
     *                  client that matters)
     */
    DnsCheck(DockerEngine engine, Set<String> preferred) {
        this.engine = engine;
        this.preferred = preferred;
    }

    private record Resolver(String containerId, String containerName, List<String> command) {}

    /**
     * @param addresses the IPv4 addresses the name resolves to (empty: it does not resolve)
     * @param via       how it was asked, for the table: {@code from inside X}, or the engine's aliases
     */
    record Answer(Set<String> addresses, String via) {}

    /** The containers attached to the network (running ones: only they have an endpoint), read once. */
    List<NetworkEndpoint> endpoints(String network) {
        return endpoints.computeIfAbsent(network, engine::networkEndpoints);
    }

    /** The address of a container on the network, or empty when it is not attached (or not running). */
    Optional<String> address(String network, String containerId) {
        return endpoints(network).stream().filter(e -> e.containerId().equals(containerId)).map(NetworkEndpoint::ipv4)
                .filter(java.util.Objects::nonNull).findFirst();
    }

    /** Name of the container at an address on the network, or null. */
    String at(String network, String ip) {
        return endpoints(network).stream().filter(e -> ip.equals(e.ipv4())).map(NetworkEndpoint::containerName)
                .findFirst().orElse(null);
    }

    /** What {@code name} resolves to on {@code network}. */
    Answer resolve(String network, String name) {
        Resolver known = resolvers.get(network);
        if (known != null) {
            Set<String> got = ask(known, name);
            if (got != null) {
                return new Answer(onNetwork(network, known, got), "from inside " + known.containerName());
            }
        }
        for (NetworkEndpoint e : candidates(network)) {
            for (List<String> command : COMMANDS) {
                Resolver r = new Resolver(e.containerId(), e.containerName(), command);
                Set<String> got = ask(r, name);
                if (got != null) {
                    resolvers.put(network, r);
                    return new Answer(onNetwork(network, r, got), "from inside " + e.containerName());
                }
            }
        }
        return new Answer(fromAliases(network, name), "the engine's aliases: no container on " + network
                + " has getent or nslookup");
    }

    /**
     * Containers to ask from: the stack's own first, those attached to this network only first (Docker's DNS may
     * answer a container on several networks from another one); at most three are tried.
     */
    private List<NetworkEndpoint> candidates(String network) {
        List<NetworkEndpoint> all = new ArrayList<>(endpoints(network));
        Map<String, Integer> networksOf = new HashMap<>();
        for (NetworkEndpoint e : all) {
            networksOf.put(e.containerId(), engine.inspectContainer(e.containerId())
                    .map(c -> c.networkAliases().size()).orElse(99));
        }
        List<String> order = List.copyOf(preferred);
        all.sort(Comparator.comparing((NetworkEndpoint e) -> networksOf.get(e.containerId()) > 1)
                .thenComparing(e -> order.contains(e.containerName()) ? order.indexOf(e.containerName())
                        : Integer.MAX_VALUE).thenComparing(NetworkEndpoint::containerName));
        return all.subList(0, Math.min(3, all.size()));
    }

    /**
     * The answer in {@code network}'s addresses. A resolver attached to several networks gets its answer from
     * whichever of them Docker's DNS looks at first, so an address may be the same container's on another network: it
     * is replaced by that container's address here when it has one. Anything else stays as it is and shows as unknown.
     */
    private Set<String> onNetwork(String network, Resolver r, Set<String> got) {
        if (got.stream().allMatch(ip -> at(network, ip) != null)) {
            return got; // the usual case: no need to ask the engine which other networks the resolver is on
        }
        Set<String> own = new TreeSet<>();
        List<String> others = engine.inspectContainer(r.containerId())
                .map(c -> c.networkAliases().keySet().stream().filter(n -> !n.equals(network)).sorted().toList())
                .orElse(List.of());
        for (String ip : got) {
            String translated = ip;
            if (at(network, ip) == null) {
                for (String other : others) {
                    Optional<String> same = endpoints(other).stream().filter(e -> ip.equals(e.ipv4())).findFirst()
                            .flatMap(e -> address(network, e.containerId()));
                    if (same.isPresent()) {
                        translated = same.get();
                        break;
                    }
                }
            }
            own.add(translated);
        }
        return own;
    }

    /** The addresses, or null when this container cannot resolve with this command (missing tool, not running). */
    private Set<String> ask(Resolver r, String name) {
        List<String> command = r.command().stream().map(w -> w.equals("NAME") ? name : w).toList();
        ExecResult result;
        try {
            result = engine.exec(r.containerId(), command, TIMEOUT);
        } catch (DockerOperationException e) {
            return null; // no such executable, or the container stopped meanwhile
        }
        String out = result.output() == null ? "" : result.output();
        if (command.get(0).equals("getent")) {
            if (result.exitCode() == 2) {
                return Set.of(); // not found
            }
            return result.exitCode() == 0 ? firstColumn(out) : null;
        }
        if (result.exitCode() == 0) {
            return afterName(out);
        }
        return out.contains("can't find") || out.contains("NXDOMAIN") ? Set.of() : null;
    }

    /** getent: one address per line, first column. */
    static Set<String> firstColumn(String out) {
        Set<String> got = new TreeSet<>();
        out.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> {
            Matcher m = IPV4.matcher(l.split("\\s+")[0]);
            if (m.matches()) {
                got.add(m.group(1));
            }
        });
        return got;
    }

    /** nslookup (busybox, old and new output): the addresses after the first {@code Name:} line. */
    static Set<String> afterName(String out) {
        Set<String> got = new TreeSet<>();
        boolean answer = false;
        for (String line : out.lines().toList()) {
            if (line.startsWith("Name:")) {
                answer = true;
                continue;
            }
            if (answer && line.startsWith("Address")) {
                String value = line.substring(line.indexOf(':') + 1).strip();
                Matcher m = IPV4.matcher(value);
                if (m.find()) {
                    got.add(m.group(1));
                }
            }
        }
        return got;
    }

    /** The engine's view: running containers on the network whose alias (or name) is {@code name}. */
    private Set<String> fromAliases(String network, String name) {
        Set<String> got = new LinkedHashSet<>();
        for (NetworkEndpoint e : endpoints(network)) {
            Optional<ContainerInfo> c = engine.inspectContainer(e.containerId());
            boolean answers = name.equals(e.containerName())
                    || c.map(x -> x.networkAliases().getOrDefault(network, List.of()).contains(name)).orElse(false);
            if (answers && e.ipv4() != null) {
                got.add(e.ipv4());
            }
        }
        return got;
    }

    /** {@code 172.18.0.3 (sancho_backend_42)}, for a set of addresses on a network. */
    String describe(String network, Set<String> ips) {
        Map<String, String> out = new LinkedHashMap<>();
        new TreeSet<>(ips).forEach(ip -> out.put(ip, at(network, ip)));
        return String.join(", ", out.entrySet().stream().map(e -> (e.getValue() == null ? "an unknown container"
                : e.getValue()) + " (" + e.getKey() + ")").toList());
    }
}
