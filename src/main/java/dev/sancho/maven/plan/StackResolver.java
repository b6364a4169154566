package dev.sancho.maven.plan;

import dev.sancho.maven.common.DockerNames;
import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ProxyExtension;
import dev.sancho.maven.compose.Interpolator;
import dev.sancho.maven.compose.NetworkDef;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.VolumeDef;
import dev.sancho.maven.common.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies services and names everything the engine will hold. Pure: the same compose file and configuration
 * always give the same stack.
 *
 * <ul>
 *   <li>Project: {@code sancho.project}, else the compose {@code name:}, else the artifactId.</li>
 *   <li>Infrastructure (listed in {@code <infrastructure>}): the service's fixed {@code container_name}, else
 *       {@code <project>_<service>}. A name that depends on {@code DEPLOY_ID} is refused: it would change every
 *       deploy, and infrastructure is never recreated.</li>
 *   <li>Application (all other services): {@code container_name} when it refers to {@code DEPLOY_ID}, else
 *       {@code sancho.appNamePattern}.</li>
 *   <li>Volumes and networks: external ones keep {@code name:} or their key; others get {@code name:} or
 *       {@code <project>_<key>}, like Compose.</li>
 * </ul>
 */
public final class StackResolver {
    private StackResolver() {}

    public static final String DEFAULT_APP_NAME_PATTERN = "{project}_{service}_{deployId}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Set<String> PLACEHOLDERS = Set.of("project", "service", "deployId");

    /**
     * @throws ConfigException  when a pom parameter is wrong (deploy id, project, infrastructure, pattern)
     * @throws ComposeException when the compose file and the configuration do not fit together
     */
    public static Stack resolve(ComposeFile compose, StackConfig config) {
        String file = compose.file();
        String deployId = deployId(config.deployId());
        String project = project(config, compose, file);
        String pattern = appNamePattern(config.appNamePattern());
        List<String> warnings = new ArrayList<>();
        checkInfrastructure(config.infrastructure(), compose, file, warnings);

        List<StackService> services = new ArrayList<>();
        Map<String, String> taken = new LinkedHashMap<>();
        for (Service s : startOrder(compose, file)) {
            checkJobs(compose, s, config.infrastructure(), file);
            boolean infra = config.infrastructure().contains(s.name());
            String name = infra ? infraName(s, project, compose) : appName(s, project, deployId, pattern, compose, warnings);
            if (infra) {
                checkInfraReferences(s, config.infrastructure(), compose);
            }
            int replicas = replicas(s, infra, compose, config.swarm());
            StackService resolved = new StackService(s, infra ? Role.INFRA : Role.APP, name, replicas);
            for (String replicaName : resolved.containerNames()) {
                String other = taken.putIfAbsent(checkedName(replicaName, s, compose), s.name());
                if (other != null) {
                    throw new ComposeException(compose.file(s), s.line(), "services." + s.name(), "gets the container name "
                            + replicaName + ", which service " + other + " already has; container names must be unique");
                }
            }
            if (!infra) {
                warnAboutNamedVolumes(s, compose, warnings);
            }
            services.add(resolved);
        }
        checkProxyExtensions(compose, config, warnings);
        return new Stack(project, deployId, compose, services, volumeNames(compose, project, file),
                networkNames(compose, project, file), warnings, config.identity());
    }

    /**
     * {@code x-sancho-proxy} belongs on the proxy, which must be infrastructure: its reload runs in the one long-lived
     * container that serves across deploys (an app service's containers are replaced by the very deploy that would
     * reload them).
     */
    private static void checkProxyExtensions(ComposeFile compose, StackConfig config, List<String> warnings) {
        compose.proxies().forEach((service, ext) -> {
            String path = "services." + service + "." + ProxyExtension.KEY;
            if (!config.infrastructure().contains(service)) {
                throw new ComposeException(ext.file(), ext.line(), path, service + " is not infrastructure: the reload"
                        + " runs in the proxy's one long-lived container with a fixed name; list " + service
                        + " under <infrastructure>, or move x-sancho-proxy to the proxy service");
            }
            if (config.swarm()) {
                warnings.add(new ComposeException(ext.file(), ext.line(), path, "not applied with <target>swarm"
                        + "</target>: the swarm's rolling update replaces the tasks, sancho runs no cutover of its"
                        + " own there").getMessage());
            }
        });
    }

    /** Docker's name rule, so every goal can validate names the same way. */
    public static boolean isValidName(String name) {
        return DockerNames.isValid(name);
    }

    private static String deployId(String deployId) {
        if (deployId == null || deployId.isBlank()) {
            throw new ConfigException("sancho.deployId is empty; leave it unset for a timestamp, or give an id like 42");
        }
        if (!isValidName(deployId)) {
            throw new ConfigException("sancho.deployId \"" + deployId + "\" cannot be part of a container name: use"
                    + " letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return deployId;
    }

    private static String project(StackConfig config, ComposeFile compose, String file) {
        String project;
        String source;
        if (notBlank(config.project())) {
            project = config.project();
            source = "sancho.project";
        } else if (notBlank(compose.name())) {
            project = compose.name();
            source = file + ": name:";
        } else if (notBlank(config.artifactId())) {
            project = config.artifactId();
            source = "the artifactId";
        } else {
            throw new ConfigException("no project name: set <project> (-Dsancho.project) or name: in " + file);
        }
        if (!isValidName(project)) {
            throw new ConfigException(source + " \"" + project + "\" is not a valid project name: use letters, digits,"
                    + " '_', '.' and '-', starting with a letter or digit");
        }
        return project;
    }

    private static String appNamePattern(String pattern) {
        if (!notBlank(pattern)) {
            return DEFAULT_APP_NAME_PATTERN;
        }
        Matcher m = PLACEHOLDER.matcher(pattern);
        Set<String> used = new LinkedHashSet<>();
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw new ConfigException("sancho.appNamePattern \"" + pattern + "\": unknown placeholder {" + m.group(1)
                        + "}; use {project}, {service} and {deployId}");
            }
            used.add(m.group(1));
        }
        if (!used.contains("service") || !used.contains("deployId")) {
            throw new ConfigException("sancho.appNamePattern \"" + pattern + "\" must contain {service} and {deployId},"
                    + " or two services or two deploys would get the same container name");
        }
        return pattern;
    }

    private static void checkInfrastructure(Set<String> infrastructure, ComposeFile compose, String file,
            List<String> warnings) {
        Set<String> unknown = new TreeSet<>(infrastructure);
        unknown.removeAll(compose.services().keySet());
        Map<String, List<String>> disabled = compose.provenance().disabledServices();
        for (String name : new ArrayList<>(unknown)) {
            if (disabled.containsKey(name)) { // not deployed this time: the profiles say so, not a typo
                unknown.remove(name);
                warnings.add("<infrastructure> names " + name + ", which is not deployed: its profiles ("
                        + String.join(", ", disabled.get(name)) + ") are not active (activate one with"
                        + " -Dsancho.profiles=" + disabled.get(name).get(0) + " or COMPOSE_PROFILES)");
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("<infrastructure> names " + (unknown.size() == 1 ? "a service" : "services")
                    + " not in " + file + ": " + String.join(", ", unknown) + " (services: "
                    + String.join(", ", compose.services().keySet()) + ")");
        }
    }

    private static String infraName(Service s, String project, ComposeFile compose) {
        String template = s.containerNameTemplate();
        if (template != null && refersToDeployId(template)) {
            throw new ComposeException(compose.file(s, "container_name"), s.line("container_name"), "services." + s.name() + ".container_name", "\"" + template
                    + "\" depends on DEPLOY_ID, but " + s.name() + " is infrastructure and must keep its name across"
                    + " deploys; give it a fixed container_name, or remove it from <infrastructure>");
        }
        String name = notBlank(s.containerName()) ? s.containerName() : project + "_" + s.name();
        return checkedName(name, s, compose);
    }

    private static String appName(Service s, String project, String deployId, String pattern, ComposeFile compose,
            List<String> warnings) {
        String template = s.containerNameTemplate();
        String where = "services." + s.name() + ".container_name";
        if (template != null && refersToDeployId(template)) {
            if (!s.containerName().contains(deployId)) {
                throw new ComposeException(compose.file(s, "container_name"), s.line("container_name"), where, "\"" + template + "\" refers to DEPLOY_ID but gives \""
                        + s.containerName() + "\", which does not contain the deploy id " + deployId
                        + "; an application container needs a new name every deploy");
            }
            return checkedName(s.containerName(), s, compose);
        }
        String name = pattern.replace("{project}", project).replace("{service}", s.name())
                .replace("{deployId}", deployId);
        if (notBlank(s.containerName())) {
            warnings.add(new ComposeException(compose.file(s, "container_name"), s.line("container_name"), where, "\"" + s.containerName() + "\" is fixed, but "
                    + s.name() + " is an application service and gets a new container every deploy; it is named "
                    + name + " and answers to " + s.containerName() + " as a network alias (add ${DEPLOY_ID} to"
                    + " container_name, or list " + s.name() + " under <infrastructure> to keep the fixed name)")
                    .getMessage());
        }
        return checkedName(name, s, compose);
    }

    /**
     * {@code deploy.replicas}/{@code scale}: app services get that many containers per deploy. Infrastructure has one
     * fixed name and is never recreated, so more than one replica is refused, as is a fixed host port that only one
     * replica could bind.
     */
    private static int replicas(Service s, boolean infra, ComposeFile compose, boolean swarm) {
        Integer replicas = s.options().replicas();
        if (replicas == null || replicas == 1) {
            return 1;
        }
        String key = s.keyLines().containsKey("scale") ? "scale" : "deploy.replicas";
        if (infra) {
            throw new ComposeException(compose.file(s, key), s.line(key), "services." + s.name() + "." + key,
                    replicas + " replicas, but " + s.name() + " is infrastructure: one container with a fixed name,"
                            + " never recreated; remove " + key + ", or remove " + s.name() + " from <infrastructure>");
        }
        for (Service.PortMapping p : swarm ? List.<Service.PortMapping>of() : s.ports()) {
            if (p.hostPort() != null && !p.hostPort().isBlank() && !"0".equals(p.hostPort().trim())) {
                throw new ComposeException(compose.file(s, "ports"), s.line("ports"), "services." + s.name() + ".ports",
                        "host port " + p.hostPort() + " is fixed, so only one of " + replicas + " replicas could bind"
                                + " it; publish the container port only (\"" + p.containerPort() + "\") or put a"
                                + " proxy in front");
            }
        }
        return replicas;
    }

    /**
     * Infrastructure is created once and never recreated, so it cannot share a namespace with, link to or take
     * volumes from an application service, whose container is a new one every deploy.
     */
    private static void checkInfraReferences(Service s, Set<String> infrastructure, ComposeFile compose) {
        dev.sancho.maven.compose.ServiceOptions o = s.options();
        Map<String, String> refs = new LinkedHashMap<>(); // key -> service it names
        for (String key : List.of("network_mode", "pid", "ipc")) {
            String mode = switch (key) {
                case "network_mode" -> o.networkMode();
                case "pid" -> o.pid();
                default -> o.ipc();
            };
            if (mode != null && mode.startsWith("service:")) {
                refs.put(key, mode.substring("service:".length()));
            }
        }
        o.links().forEach(l -> refs.putIfAbsent("links", l.contains(":") ? l.substring(0, l.indexOf(':')) : l));
        o.volumesFrom().stream().filter(v -> v.service()).forEach(v -> refs.putIfAbsent("volumes_from", v.name()));
        refs.forEach((key, other) -> {
            if (!infrastructure.contains(other)) {
                throw new ComposeException(compose.file(s, key), s.line(key), "services." + s.name() + "." + key,
                        "refers to the application service " + other + ", whose container is replaced every deploy,"
                                + " but " + s.name() + " is infrastructure (never recreated): list " + other
                                + " under <infrastructure> too, or remove " + s.name() + " from it");
            }
        });
    }

    private static boolean refersToDeployId(String template) {
        return Interpolator.variablesIn(template).contains("DEPLOY_ID");
    }

    private static String checkedName(String name, Service s, ComposeFile compose) {
        if (!isValidName(name)) {
            throw new ComposeException(compose.file(s), s.line(), "services." + s.name(), "container name \"" + name
                    + "\" is not valid for Docker: use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return name;
    }

    private static void warnAboutNamedVolumes(Service s, ComposeFile compose, List<String> warnings) {
        for (Service.Mount mount : s.volumes()) {
            if ("volume".equals(mount.type()) && mount.source() != null) {
                warnings.add(new ComposeException(compose.file(s, "volumes"), s.line("volumes"), "services." + s.name() + ".volumes", "mounts the named volume "
                        + mount.source() + " at " + mount.target() + " but is an application service: its data would"
                        + " be mounted into throw-away containers, one per deploy; if it holds data, list "
                        + s.name() + " under <infrastructure>").getMessage());
            }
        }
    }

    /**
     * A one-shot job ({@code service_completed_successfully}) runs once per deploy, so it must be an application
     * service: infrastructure is never recreated, and waiting for it to exit would stop the database.
     */
    private static void checkJobs(ComposeFile compose, Service s, Set<String> infrastructure, String file) {
        s.dependsOn().forEach((dep, condition) -> {
            if (!Labels.CONDITION_COMPLETED.equals(condition)) {
                return;
            }
            if (infrastructure.contains(dep)) {
                throw new ComposeException(compose.file(s, "depends_on." + dep), s.line("depends_on." + dep), "services." + s.name() + ".depends_on." + dep,
                        "condition service_completed_successfully makes " + dep + " a one-shot job, run once per"
                                + " deploy, but " + dep + " is infrastructure (never recreated): remove it from"
                                + " <infrastructure> or use service_healthy");
            }
            Service job = compose.services().get(dep);
            String restart = job == null ? null : job.restart();
            if ("always".equals(restart) || "unless-stopped".equals(restart)) {
                throw new ComposeException(compose.file(job, "restart"), job.line("restart"), "services." + dep + ".restart", "\"" + restart + "\""
                        + " restarts the one-shot job " + dep + " (services." + s.name() + " waits for it to complete)"
                        + " whenever it exits, so it never completes: use \"no\" or \"on-failure\"");
            }
        });
    }

    /** Services in file order, moved only as far as depends_on requires. */
    static List<Service> startOrder(ComposeFile compose, String file) {
        List<Service> remaining = new ArrayList<>(compose.services().values());
        List<Service> ordered = new ArrayList<>();
        Set<String> started = new LinkedHashSet<>();
        while (!remaining.isEmpty()) {
            Service next = remaining.stream().filter(s -> started.containsAll(s.dependsOn().keySet())).findFirst()
                    .orElseThrow(() -> cycle(compose, remaining, file));
            remaining.remove(next);
            ordered.add(next);
            started.add(next.name());
        }
        return ordered;
    }

    private static ComposeException cycle(ComposeFile compose, List<Service> remaining, String file) {
        // Every remaining service waits for another remaining one, so following the first such edge must loop.
        List<String> path = new ArrayList<>();
        Set<String> rest = new LinkedHashSet<>();
        remaining.forEach(s -> rest.add(s.name()));
        String current = remaining.get(0).name();
        while (!path.contains(current)) {
            path.add(current);
            current = compose.services().get(current).dependsOn().keySet().stream().filter(rest::contains)
                    .findFirst().orElseThrow();
        }
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(current), path.size()));
        loop.add(current);
        Service first = compose.services().get(loop.get(0));
        return new ComposeException(compose.file(first, "depends_on"), first.line("depends_on"), "services." + first.name() + ".depends_on",
                "services wait for each other in a cycle: " + String.join(" -> ", loop));
    }

    private static Map<String, String> volumeNames(ComposeFile compose, String project, String file) {
        Map<String, String> names = new LinkedHashMap<>();
        for (VolumeDef v : compose.volumes().values()) {
            names.put(v.key(), engineName("volumes." + v.key(), v.name(), v.key(), v.external(), project, file));
        }
        return names;
    }

    private static Map<String, String> networkNames(ComposeFile compose, String project, String file) {
        Map<String, String> names = new LinkedHashMap<>();
        for (NetworkDef n : compose.networks().values()) {
            names.put(n.key(), engineName("networks." + n.key(), n.name(), n.key(), n.external(), project, file));
        }
        boolean defaultUsed = compose.services().values().stream()
                .anyMatch(s -> s.networks().isEmpty() || s.networks().containsKey("default"));
        if (defaultUsed) {
            names.putIfAbsent("default", project + "_default");
        }
        return names;
    }

    private static String engineName(String path, String name, String key, boolean external, String project,
            String file) {
        String result = notBlank(name) ? name : external ? key : project + "_" + key;
        if (!isValidName(result)) {
            throw new ComposeException(file, 0, path, "\"" + result + "\" is not a valid Docker name: use letters,"
                    + " digits, '_', '.' and '-', starting with a letter or digit");
        }
        return result;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
