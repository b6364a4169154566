package dev.sancho.maven.compose;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Compose file after parsing and interpolation. Immutable; maps keep the file's order.
 *
 * @param path       absolute path of the file read (the first one when several were merged)
 * @param name       top-level {@code name:}, or null
 * @param warnings   things the user should know (unknown keys with file:line, keys we cannot honour), in file
 *                   order; {@link ComposeLoader#load} has already logged them
 * @param provenance the files the model was merged from, the active profiles and where each service key was
 *                   written
 * @param notApplied the warnings about keys sancho does not apply (a subset of {@code warnings}, same text), which
 *                   {@link #requireAllApplied()} turns into an error
 * @param swarmDeploy per service, the {@code deploy:} keys only a swarm honours ({@code <target>swarm</target>})
 * @param secrets     the top-level {@code secrets:} as declared (what a service uses is in its options)
 * @param configs     the top-level {@code configs:} as declared
 * @param proxies     per service, sancho's {@code x-sancho-proxy:} extension ({@link ProxyExtension}), where written
 */
public record ComposeFile(
        Path path,
        String name,
        Map<String, Service> services,
        Map<String, VolumeDef> volumes,
        Map<String, NetworkDef> networks,
        List<String> warnings,
        Provenance provenance,
        List<String> notApplied,
        Map<String, SwarmDeploy> swarmDeploy,
        Map<String, Definition> secrets,
        Map<String, Definition> configs,
        Map<String, ProxyExtension> proxies) {

    public ComposeFile(Path path, String name, Map<String, Service> services, Map<String, VolumeDef> volumes,
            Map<String, NetworkDef> networks, List<String> warnings, Provenance provenance, List<String> notApplied,
            Map<String, SwarmDeploy> swarmDeploy, Map<String, Definition> secrets, Map<String, Definition> configs) {
        this(path, name, services, volumes, networks, warnings, provenance, notApplied, swarmDeploy, secrets, configs,
                Map.of());
    }

    public ComposeFile(Path path, String name, Map<String, Service> services, Map<String, VolumeDef> volumes,
            Map<String, NetworkDef> networks, List<String> warnings, Provenance provenance, List<String> notApplied,
            Map<String, SwarmDeploy> swarmDeploy) {
        this(path, name, services, volumes, networks, warnings, provenance, notApplied, swarmDeploy, Map.of(),
                Map.of());
    }

    /**
     * One top-level secret or config as declared, one source set.
     *
     * @param file     the host file, absolute (it may be missing when no service uses it)
     * @param variable the {@code environment:} variable; its value is never kept here
     * @param content  a config's {@code content:}
     * @param external the existing object's name for {@code external: true}
     */
    public record Definition(String name, String file, String variable, String content, String external) {
        @Override
        public String toString() {
            return "Definition[" + name + (external != null ? ", external=" + external : file != null ? ", file="
                    + file : variable != null ? ", environment=" + variable : ", content") + "]";
        }
    }

    /** One file, or a model built in code. */
    public ComposeFile(Path path, String name, Map<String, Service> services, Map<String, VolumeDef> volumes,
            Map<String, NetworkDef> networks, List<String> warnings) {
        this(path, name, services, volumes, networks, warnings, null, List.of(), null);
    }

    /** Everything written is applied (a model built in code). */
    public ComposeFile(Path path, String name, Map<String, Service> services, Map<String, VolumeDef> volumes,
            Map<String, NetworkDef> networks, List<String> warnings, Provenance provenance) {
        this(path, name, services, volumes, networks, warnings, provenance, List.of(), null);
    }

    /**
     * {@code sancho.strict}: refuses a file that has a key sancho does not apply, with the first such warning's
     * {@code file:line} text; the others were logged as warnings.
     *
     * @throws ComposeException naming the first key not applied
     */
    public void requireAllApplied() {
        if (notApplied.isEmpty()) {
            return;
        }
        int more = notApplied.size() - 1;
        throw new ComposeException(null, 0, null, notApplied.get(0) + " (sancho.strict: every key must be applied"
                + (more == 0 ? ")" : "; " + more + " more key" + (more == 1 ? " is" : "s are") + " listed above)"));
    }

    public ComposeFile {
        services = Maps.frozen(services);
        volumes = Maps.frozen(volumes);
        networks = Maps.frozen(networks);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        notApplied = notApplied == null ? List.of() : List.copyOf(notApplied);
        provenance = provenance == null ? Provenance.of(path) : provenance;
        swarmDeploy = Maps.frozen(swarmDeploy);
        secrets = Maps.frozen(secrets);
        configs = Maps.frozen(configs);
        proxies = Maps.frozen(proxies);
    }

    /** The service's {@code x-sancho-proxy:}, if it has one. */
    public java.util.Optional<ProxyExtension> proxy(String service) {
        return java.util.Optional.ofNullable(proxies.get(service));
    }

    /**
     * Where the model came from.
     *
     * @param files            every file read, the main one first: override files, {@code -f} files, included
     *                         files, files {@code extends} reads from
     * @param profiles         the active profiles ({@code sancho.profiles}, else {@code COMPOSE_PROFILES})
     * @param disabledServices services not deployed because none of their profiles is active, with their profiles
     * @param keyFiles         per service, the file (as messages name it) of the service itself (key {@code ""})
     *                         and of each of the keys {@link Service#keyLines()} has a line for, where it is not
     *                         the main file
     */
    public record Provenance(List<Path> files, List<String> profiles, Map<String, List<String>> disabledServices,
            Map<String, Map<String, String>> keyFiles) {
        public Provenance {
            files = files == null ? List.of() : List.copyOf(files);
            profiles = profiles == null ? List.of() : List.copyOf(profiles);
            Map<String, List<String>> disabled = new LinkedHashMap<>();
            if (disabledServices != null) {
                disabledServices.forEach((k, v) -> disabled.put(k, List.copyOf(v)));
            }
            disabledServices = Maps.frozen(disabled);
            Map<String, Map<String, String>> keys = new LinkedHashMap<>();
            if (keyFiles != null) {
                keyFiles.forEach((k, v) -> keys.put(k, Maps.frozen(v)));
            }
            keyFiles = Maps.frozen(keys);
        }

        static Provenance of(Path path) {
            return new Provenance(path == null ? List.of() : List.of(path), List.of(), Map.of(), Map.of());
        }
    }

    /** The swarm-only {@code deploy:} keys of one service ({@link SwarmDeploy#NONE} when it has none). */
    public SwarmDeploy swarmDeploy(String service) {
        return swarmDeploy.getOrDefault(service, SwarmDeploy.NONE);
    }

    /** The main file as messages name it. */
    public String file() {
        return path == null ? "docker-compose.yml" : path.getFileName().toString();
    }

    /** The file a service is defined in (its first definition), as messages name it; see {@link Service#line()}. */
    public String file(Service service) {
        return file(service, "");
    }

    /**
     * The file {@code key} of the service was written in, as messages name it, matching {@link Service#line(String)}:
     * for a key without a line of its own, the service's file.
     */
    public String file(Service service, String key) {
        Map<String, String> keys = provenance.keyFiles().get(service.name());
        if (keys == null) {
            return file();
        }
        String f = keys.get(key);
        if (f == null && !service.keyLines().containsKey(key)) {
            f = keys.get("");
        }
        return f == null ? file() : f;
    }
}
