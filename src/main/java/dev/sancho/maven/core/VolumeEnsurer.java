package dev.sancho.maven.core;

import dev.sancho.maven.common.DockerNames;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.VolumeDef;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.VolumeInfo;
import dev.sancho.maven.plan.Action;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.ProxyStores;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes sure the named volumes and bind-mount directories a deployment needs exist, creating only what is
 * missing. It never removes or changes an existing volume: data lives there. Everything is checked before
 * anything is created, so a bad input leaves the engine untouched.
 *
 * <p>Used by {@code sancho:ensure-volume} and, as its first step, by {@code sancho:deploy}.
 */
public final class VolumeEnsurer {
    private VolumeEnsurer() {}


    /**
     * One volume the deployment needs.
     *
     * @param driver null = any driver is fine for an existing volume, the engine default for a new one
     * @param origin where it was declared, for messages (e.g. {@code pom <volumes>}, {@code docker-compose.yml})
     */
    public record VolumeRequirement(String name, String driver, Map<String, String> driverOpts,
            Map<String, String> labels, String origin, boolean external) {
        public VolumeRequirement {
            driverOpts = driverOpts == null ? Map.of() : Map.copyOf(driverOpts);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }

        public VolumeRequirement(String name, String driver, Map<String, String> driverOpts,
                Map<String, String> labels, String origin) {
            this(name, driver, driverOpts, labels, origin, false);
        }
    }

    /**
     * Whether a missing {@code external: true} volume may be created. The compose file says external for the data
     * that must outlive every container (the database's): on a later deploy a missing one is a typo in its name or
     * lost data, and creating it would start the database EMPTY while the app goes live on it.
     */
    public enum External {
        /** Create it: the project's first deploy on this engine, or the user asked (sancho:ensure-volume on the
         * command line, {@code sancho.createExternalVolumes}). */
        CREATE,
        /** Refuse, in one line and before anything is created, when a service mounts it. */
        REFUSE
    }

    /**
     * The project has never been deployed on this engine: no container (but its deploy lock), no network and no
     * volume carries its {@code sancho.project} label. Only then does a deploy create a missing external volume.
     */
    public static boolean firstDeploy(DockerEngine engine, Stack stack) {
        String project = stack.project();
        boolean containers = engine.listContainerSummaries(Map.of(Labels.PROJECT, project)).stream()
                .anyMatch(c -> !Labels.ROLE_LOCK.equals(c.label(Labels.ROLE)));
        if (containers) {
            return false;
        }
        for (String n : new java.util.LinkedHashSet<>(stack.networkNames().values())) {
            if (engine.findNetwork(n).map(x -> project.equals(x.labels().get(Labels.PROJECT))).orElse(false)) {
                return false;
            }
        }
        for (String v : new java.util.LinkedHashSet<>(stack.volumeNames().values())) {
            if (engine.findVolume(v).map(x -> project.equals(x.labels().get(Labels.PROJECT))).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    /**
     * What was done (or, with dryRun, would be done).
     *
     * @param createdVolumes      names created (dry run: to be created)
     * @param existingVolumes     names that already existed and were left alone
     * @param createdDirectories  bind-mount directories created (dry run: to be created)
     * @param existingDirectories bind-mount sources that already existed
     * @param createdFiles        certificate stores ({@code acme.json}) created empty with mode 600 (dry run: to be)
     */
    public record Result(List<String> createdVolumes, List<String> existingVolumes, List<Path> createdDirectories,
            List<Path> existingDirectories, boolean dryRun, List<Path> createdFiles) {
        public Result {
            createdVolumes = List.copyOf(createdVolumes);
            existingVolumes = List.copyOf(existingVolumes);
            createdDirectories = List.copyOf(createdDirectories);
            existingDirectories = List.copyOf(existingDirectories);
            createdFiles = createdFiles == null ? List.of() : List.copyOf(createdFiles);
        }

        public Result(List<String> createdVolumes, List<String> existingVolumes, List<Path> createdDirectories,
                List<Path> existingDirectories, boolean dryRun) {
            this(createdVolumes, existingVolumes, createdDirectories, existingDirectories, dryRun, List.of());
        }

        /** True when nothing was (or would be) created. */
        public boolean nothingToDo() {
            return createdVolumes.isEmpty() && createdDirectories.isEmpty() && createdFiles.isEmpty();
        }
    }

    /**
     * @param stack      the resolved stack, or null when there is no compose file (pom volumes only)
     * @param pomVolumes the pom's {@code <volumes>}; may be null
     * @param project    the project name written to {@code sancho.project} on created volumes
     * @throws ConfigException for an invalid volume name or a driver that differs from the existing volume's
     */
    public static Result ensure(DockerEngine engine, Stack stack, List<String> pomVolumes, String project,
            boolean dryRun, Log log) {
        return ensure(engine, stack, pomVolumes, project, dryRun, External.CREATE, log);
    }

    /**
     * @param external whether a missing external volume may be created ({@link External}); refused, it is a
     *                 {@link ConfigException} before anything is created (a dry run warns instead, and the plan shows
     *                 the deploy blocked)
     */
    public static Result ensure(DockerEngine engine, Stack stack, List<String> pomVolumes, String project,
            boolean dryRun, External external, Log log) {
        if (project == null || project.isBlank()) {
            throw new ConfigException("no project name: set sancho.project (or the compose file's name:)");
        }
        List<VolumeRequirement> volumes = requirements(stack, pomVolumes);
        List<AcmeStore> stores = acmeStores(stack);
        Set<Path> storePaths = new java.util.HashSet<>();
        stores.forEach(a -> storePaths.add(a.hostPath()));
        // A bind mount of the store file itself is a file to create, not a directory.
        List<BindDir> dirs = bindDirectories(stack).stream().filter(d -> !storePaths.contains(d.path())).toList();

        // Phase 1: look, and refuse before touching anything.
        List<VolumeRequirement> missing = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (VolumeRequirement v : volumes) {
            Optional<VolumeInfo> found = engine.findVolume(v.name());
            if (found.isEmpty()) {
                missing.add(v);
                continue;
            }
            VolumeInfo info = found.get();
            if (v.driver() != null && !v.driver().equals(info.driver())) {
                throw new ConfigException("volume " + v.name() + " exists with driver " + info.driver() + " but "
                        + v.origin() + " asks for driver " + v.driver() + ": sancho never changes an existing volume;"
                        + " declare driver " + info.driver() + " or migrate the data to a new volume yourself");
            }
            existing.add(v.name());
            log.info("volume " + v.name() + " exists, created " + (info.createdAt() == null ? "(unknown)"
                    : info.createdAt()) + ", driver " + info.driver()
                    + (project.equals(info.labels().get(Labels.PROJECT)) ? "" : " (not created by sancho)"));
        }
        if (external == External.REFUSE) {
            Set<String> mounted = mountedVolumes(stack);
            for (VolumeRequirement v : List.copyOf(missing)) {
                if (!v.external()) {
                    continue;
                }
                missing.remove(v);
                String why = "volume " + v.name() + " (" + v.origin() + ", external) does not exist, and project "
                        + project + " has been deployed on this engine before: a missing external volume is a typo"
                        + " or lost data, not a new database, so sancho does not create it";
                if (!mounted.contains(v.name())) {
                    log.info(why + " (no service mounts it)");
                } else if (dryRun) {
                    log.warn(why);
                } else {
                    throw new ConfigException(why + ". Check the name (docker volume ls), restore it from backup, or"
                            + " if it really is new create it: mvn sancho:ensure-volume, or"
                            + " -Dsancho.createExternalVolumes. Nothing was changed.");
                }
            }
        }
        List<BindDir> missingDirs = new ArrayList<>();
        List<Path> existingDirs = new ArrayList<>();
        for (BindDir d : dirs) {
            if (Files.exists(d.path())) {
                existingDirs.add(d.path());
                log.info("bind-mount source " + d.path() + " exists (service " + d.service() + ")");
            } else if (looksLikeFile(d.path())) {
                log.warn("bind-mount source " + d.path() + " of service " + d.service() + " does not exist and looks"
                        + " like a file: not creating a directory in its place; create the file");
            } else {
                missingDirs.add(d);
            }
        }

        List<AcmeStore> missingStores = new ArrayList<>();
        for (AcmeStore a : stores) {
            if (Files.exists(a.hostPath())) {
                log.info("certificate store " + a.hostPath() + " exists, left as it is (service " + a.service() + ")");
            } else {
                missingStores.add(a);
            }
        }

        // Phase 2: what is missing, as actions; a dry run prints them, otherwise the executor creates them.
        List<Action> actions = new ArrayList<>();
        for (VolumeRequirement v : missing) {
            Map<String, String> labels = new LinkedHashMap<>(v.labels());
            labels.put(Labels.MANAGED, "true");
            labels.put(Labels.PROJECT, project);
            if (stack != null && stack.identity() != null) {
                labels.put(Labels.IDENTITY, stack.identity());
            }
            actions.add(new Action.CreateVolume(v.name(), v.driver(), v.driverOpts(), labels, v.origin()));
        }
        missingDirs.forEach(d -> actions.add(new Action.CreateDirectory(d.path(), d.service())));
        missingStores.forEach(a -> actions.add(new Action.CreateCertificateStore(a.hostPath(), a.service(),
                a.containerPath(), a.declaredBy())));
        List<String> created = new ArrayList<>();
        List<Path> createdDirs = new ArrayList<>();
        List<Path> createdFiles = new ArrayList<>();
        for (Action a : actions) {
            if (!dryRun) {
                Executor.create(engine, a);
            }
            log.info((dryRun ? "[dry-run] would create " : "created ") + what(a));
            if (a instanceof Action.CreateVolume v) {
                created.add(v.name());
            } else if (a instanceof Action.CreateDirectory d) {
                createdDirs.add(d.path());
            } else if (a instanceof Action.CreateCertificateStore f) {
                createdFiles.add(f.hostPath());
            }
        }

        Result result = new Result(created, existing, createdDirs, existingDirs, dryRun, createdFiles);
        if (result.nothingToDo()) {
            log.info("nothing to do: " + plural(existing.size(), "volume") + " and "
                    + plural(existingDirs.size(), "bind-mount source") + " already exist");
        } else if (dryRun) {
            log.info("[dry-run] nothing was changed");
        }
        return result;
    }

    private static String what(Action a) {
        return a instanceof Action.CreateVolume v ? v.what() : a instanceof Action.CreateDirectory d ? d.what()
                : ((Action.CreateCertificateStore) a).what();
    }

    /**
     * The volumes to ensure, compose first (it knows drivers), pom after; one entry per engine name. Pure: call it
     * before connecting so that a bad name is reported as such even when the engine is unreachable.
     *
     * @throws ConfigException for an invalid volume name
     */
    public static List<VolumeRequirement> requirements(Stack stack, List<String> pomVolumes) {
        Map<String, VolumeRequirement> byName = new LinkedHashMap<>();
        if (stack != null && stack.compose() != null) {
            String file = stack.compose().path() == null ? "the compose file"
                    : String.valueOf(stack.compose().path().getFileName());
            for (VolumeDef def : stack.compose().volumes().values()) {
                String name = stack.volumeNames().getOrDefault(def.key(), def.name() != null ? def.name() : def.key());
                requireValidName(name, file + " volumes." + def.key());
                byName.putIfAbsent(name, new VolumeRequirement(name, blankToNull(def.driver()), def.driverOpts(),
                        def.labels(), file + " volumes." + def.key(), def.external()));
            }
        }
        if (pomVolumes != null) {
            for (String raw : pomVolumes) {
                String name = raw == null ? "" : raw.trim();
                requireValidName(name, "parameter volumes (pom <volumes>)");
                byName.putIfAbsent(name, new VolumeRequirement(name, null, Map.of(), Map.of(), "pom <volumes>"));
            }
        }
        return List.copyOf(byName.values());
    }

    private static void requireValidName(String name, String where) {
        if (!DockerNames.isValidVolume(name)) {
            throw new ConfigException(where + ": '" + name + "' is not a valid volume name"
                    + " (letters, digits, _ . -; at least 2 characters, starting with a letter or digit),"
                    + " e.g. sancho_postgres_data");
        }
    }

    /** The engine names of the named volumes the stack's services mount. */
    private static Set<String> mountedVolumes(Stack stack) {
        Set<String> out = new java.util.HashSet<>();
        if (stack != null) {
            stack.services().forEach(s -> out.addAll(dev.sancho.maven.plan.Planner.volumesOf(stack, s)));
        }
        return out;
    }

    /**
     * What a service's bind mounts need on the host that runs it, as one engine's deploy creates them: directories
     * (mode 0750) and Traefik certificate stores (empty files, 0600). A source that looks like a file is not here:
     * sancho never creates a directory in its place.
     */
    public record BindSources(List<Path> directories, List<Path> stores) {
        public boolean isEmpty() {
            return directories.isEmpty() && stores.isEmpty();
        }
    }

    /** {@link BindSources} of one stack service (by its compose name). */
    public static BindSources bindSources(Stack stack, String service) {
        List<Path> stores = acmeStores(stack).stream().filter(a -> a.service().equals(service))
                .map(AcmeStore::hostPath).toList();
        Set<Path> all = new java.util.HashSet<>();
        acmeStores(stack).forEach(a -> all.add(a.hostPath()));
        List<Path> dirs = bindDirectories(stack).stream().filter(d -> d.service().equals(service))
                .map(BindDir::path).filter(p -> !all.contains(p) && !looksLikeFile(p)).toList();
        return new BindSources(dirs, stores);
    }

    record BindDir(Path path, String service) {}

    /** Host directories of bind mounts, absolute, each once. */
    static List<BindDir> bindDirectories(Stack stack) {
        List<BindDir> dirs = new ArrayList<>();
        if (stack == null) {
            return dirs;
        }
        Path base = stack.compose() != null && stack.compose().path() != null
                ? stack.compose().path().toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
        Set<Path> seen = new java.util.HashSet<>();
        for (StackService s : stack.services()) {
            for (Service.Mount m : s.service().volumes()) {
                if (!"bind".equals(m.type()) || m.source() == null || m.source().isBlank()) {
                    continue;
                }
                Path p = base.resolve(m.source()).normalize();
                if (seen.add(p)) {
                    dirs.add(new BindDir(p, s.name()));
                }
            }
        }
        return dirs;
    }

    /**
     * A Traefik ACME certificate store the proxy names, on the host.
     *
     * @param containerPath the path inside the container, e.g. {@code /letsencrypt/acme.json}
     * @param hostPath      the same file through the service's bind mount
     * @param declaredBy    where it was named, for the log ({@code command}, {@code label ...}, {@code environment ...})
     */
    record AcmeStore(String service, String containerPath, Path hostPath, String declaredBy) {}

    /**
     * Certificate stores named by a service's command, entrypoint, labels or environment
     * ({@code --certificatesresolvers.le.acme.storage=/letsencrypt/acme.json}), mapped back through that service's
     * bind mounts to the host. A store outside every bind mount lives in the container (or a named volume) and is
     * not ours to create.
     */
    static List<AcmeStore> acmeStores(Stack stack) {
        List<AcmeStore> out = new ArrayList<>();
        if (stack == null) {
            return out;
        }
        Path base = stack.compose() != null && stack.compose().path() != null
                ? stack.compose().path().toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
        Set<Path> seen = new java.util.HashSet<>();
        for (StackService s : stack.services()) {
            Service svc = s.service();
            Map<String, String> named = ProxyStores.traefikStores(svc); // container path -> where
            named.forEach((path, where) -> {
                Path host = hostPath(base, svc, path);
                if (host != null && seen.add(host)) {
                    out.add(new AcmeStore(s.name(), path, host, where));
                }
            });
        }
        return out;
    }

    /** The host path of {@code containerPath} through the longest bind-mount target containing it, else null. */
    private static Path hostPath(Path base, Service svc, String containerPath) {
        Service.Mount best = null;
        for (Service.Mount m : svc.volumes()) {
            if (!"bind".equals(m.type()) || m.source() == null || m.target() == null) {
                continue;
            }
            String t = m.target().endsWith("/") && m.target().length() > 1
                    ? m.target().substring(0, m.target().length() - 1) : m.target();
            boolean inside = containerPath.equals(t) || containerPath.startsWith(t.equals("/") ? "/" : t + "/");
            if (inside && (best == null || t.length() > best.target().length())) {
                best = m;
            }
        }
        if (best == null) {
            return null;
        }
        String t = best.target().endsWith("/") ? best.target().substring(0, best.target().length() - 1) : best.target();
        Path source = base.resolve(best.source()).normalize();
        String rest = containerPath.substring(Math.min(t.length(), containerPath.length())).replaceFirst("^/+", "");
        return rest.isEmpty() ? source : source.resolve(rest).normalize();
    }

    private static boolean looksLikeFile(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && dot < name.length() - 1;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
