package dev.sancho.maven.compose;

import dev.sancho.maven.common.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a compose file the way Docker Compose does: the keys listed in {@link ServiceParser#SUPPORTED}, Compose
 * Spec interpolation ({@link Interpolator}), a {@code .env} file next to the compose file, anchors and merge keys.
 * Several files (an override file, a list of files, {@code include}, {@code extends}) are merged first into one
 * model with Compose's merge rules, and {@code profiles} decide which services are part of it
 * ({@link ComposeModel}). Unknown keys and keys sancho does not apply become warnings naming {@code file:line};
 * anything that would make the stack differ from what the user wrote is a {@link ComposeException} with one line
 * saying where and why.
 */
public final class ComposeLoader {
    private ComposeLoader() {}

    /** Compose files are small; a larger file is a mistake (or an attack), not a stack. */
    static final long MAX_BYTES = 2L * 1024 * 1024;

    private static final Set<String> TOP_LEVEL = Set.of("version", "name", "services", "volumes", "networks",
            "include", "secrets", "configs");
    private static final Set<String> TOP_LEVEL_NOT_HONOURED = Set.of("models");

    /**
     * Compose's own variable: the project's name. Set like {@code SANCHO_PROJECT}; when the caller gives neither
     * it, nor {@code sancho.project}, the compose file's {@code name:} decides both, as the project name does.
     */
    public static final String PROJECT_NAME = "COMPOSE_PROJECT_NAME";

    /**
     * The variables the plugin itself supplies: DEPLOY_ID and SANCHO_PROJECT; {@code COMPOSE_PROJECT_NAME} is
     * added by {@link #load} from them (or the file's {@code name:}) unless the caller put it in (a project fixed by
     * {@code sancho.project}).
     */
    public static Map<String, String> builtins(String deployId, String project) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("DEPLOY_ID", deployId);
        if (project != null) {
            m.put("SANCHO_PROJECT", project);
        }
        return m;
    }

    /**
     * Reads, interpolates and checks a compose file. Variables resolve in this order, first match wins:
     * {@code builtins} (the plugin decides the deploy id), {@code processEnv}, the {@code .env} file next to the
     * compose file, {@code pomEnv}. Dotted names ({@code ${project.version}}) come from {@code pomProperties}.
     * Warnings are logged once here and kept in {@link ComposeFile#warnings()}. Profiles come from
     * {@code COMPOSE_PROFILES}; no override file is added (see {@link ComposeFiles#discover}).
     *
     * @param processEnv    the process environment (highest precedence among user sources)
     * @param pomEnv        the pom's {@code <environment>} (lowest precedence)
     * @param builtins      DEPLOY_ID, SANCHO_PROJECT
     * @param pomProperties project.version etc., for {@code ${project.version}}
     * @throws ComposeException when the file is missing, unreadable, malformed or inconsistent
     */
    public static ComposeFile load(Path file, Map<String, String> processEnv, Map<String, String> pomEnv,
            Map<String, String> builtins, Map<String, String> pomProperties, Log log) {
        return load(List.of(file), null, processEnv, pomEnv, builtins, pomProperties, log);
    }

    /**
     * Reads several compose files and merges them in order, like {@code docker compose -f a.yml -f b.yml}: each
     * later file overrides and extends the earlier ones. The first file is the project's: the {@code .env} next to
     * it gives variables, and relative paths in all the files resolve against its directory, as in Compose.
     *
     * @param files    the files, the main one first (for the override file next to it, pass what
     *                 {@link ComposeFiles#discover} found)
     * @param profiles the active profiles; null or empty for {@code COMPOSE_PROFILES} (environment, {@code .env}),
     *                 {@code *} for all
     * @see #load(Path, Map, Map, Map, Map, Log)
     */
    public static ComposeFile load(List<Path> files, List<String> profiles, Map<String, String> processEnv,
            Map<String, String> pomEnv, Map<String, String> builtins, Map<String, String> pomProperties, Log log) {
        return load(files, profiles, processEnv, pomEnv, builtins, pomProperties, false, log);
    }

    /**
     * @param swarm {@code <target>swarm</target>}: the {@code deploy:} keys a swarm deploy maps (placement,
     *              update_config, rollback_config, endpoint_mode, mode) are applied, so not warned about
     * @see #load(List, List, Map, Map, Map, Map, Log)
     */
    public static ComposeFile load(List<Path> files, List<String> profiles, Map<String, String> processEnv,
            Map<String, String> pomEnv, Map<String, String> builtins, Map<String, String> pomProperties,
            boolean swarm, Log log) {
        if (files == null || files.isEmpty()) {
            throw new ComposeException(null, 0, null, "no compose file given (set <composeFile> or"
                    + " -Dsancho.composeFile to the file describing the stack)");
        }
        List<Path> paths = files.stream().map(f -> f.toAbsolutePath().normalize()).toList();
        Path path = paths.get(0);
        Path dir = path.getParent();
        String name = path.getFileName().toString();
        if (!Files.exists(path)) {
            read(path, name); // the message for a missing compose file
        }
        // sancho's own variables; COMPOSE_PROJECT_NAME, when not given, follows name: once the files are read
        Map<String, String> own = new LinkedHashMap<>(orEmpty(builtins));
        boolean projectFromName = !own.containsKey(PROJECT_NAME) && own.containsKey("SANCHO_PROJECT");
        if (projectFromName) {
            own.put(PROJECT_NAME, own.get("SANCHO_PROJECT"));
        }
        Map<String, String> dotEnv = dotEnv(dir, own, orEmpty(processEnv));
        List<Map<String, String>> layers = List.of(own, orEmpty(processEnv), dotEnv, orEmpty(pomEnv));
        Function<String, String> variables = firstOf(own, orEmpty(processEnv), dotEnv, orEmpty(pomEnv));
        Source src = new Source(name, dir, variables, orEmpty(pomProperties), new Origins());

        ComposeModel model = new ComposeModel(src, path, own);
        ComposeModel.Result merged = model.load(paths, layers, profiles);
        if (projectFromName && merged.root() != null) {
            String declared = src.text(merged.root().get("name"), "name");
            if (declared != null && !declared.isBlank()) {
                own.put(PROJECT_NAME, declared);
                own.put("SANCHO_PROJECT", declared);
            }
        }
        ComposeFile compose = parse(merged, src, path, swarm);
        compose.warnings().forEach(log::warn);
        return compose;
    }

    private static ComposeFile parse(ComposeModel.Result merged, Source src, Path path, boolean swarm) {
        YamlNode root = merged.root();
        if (root == null) {
            throw src.error(0, null, "the file is empty; it must define services:");
        }
        YamlNode.Mapping top = src.mapping(root, "(top level)");
        src.checkKeys(top, "", TOP_LEVEL, TOP_LEVEL_NOT_HONOURED);
        YamlNode servicesNode = top.get("services");
        if (Source.isNull(servicesNode)) {
            throw src.error(top, null, "no services: defined; sancho deploys the services of this file");
        }
        YamlNode.Mapping services = src.mapping(servicesNode, "services");
        if (services.entries().isEmpty()) {
            throw src.error(services, "services", "is empty; define at least one service");
        }
        Map<String, VolumeDef> volumes = volumes(top.get("volumes"), src);
        Map<String, NetworkDef> networks = networks(top.get("networks"), src);
        Map<String, FileDefs.FileDef> secretDefs = FileDefs.parse(top.get("secrets"), src, "secrets", swarm);
        Map<String, FileDefs.FileDef> configDefs = FileDefs.parse(top.get("configs"), src, "configs", swarm);

        Set<String> serviceNames = new LinkedHashSet<>();
        services.entries().stream().map(YamlNode.Entry::key).filter(k -> !k.startsWith("x-")).forEach(serviceNames::add);
        Map<String, Service> parsed = new LinkedHashMap<>();
        Map<String, Map<String, String>> keyFiles = new LinkedHashMap<>();
        for (YamlNode.Entry e : services.entries()) {
            if (!e.key().startsWith("x-")) {
                String file = src.fileOf(e);
                ServiceParser parser = new ServiceParser(src.as(file), serviceNames, volumes.keySet(), networks.keySet(),
                        secretDefs, configDefs, swarm);
                parsed.put(e.key(), parser.parse(e));
                Map<String, String> files = keyFiles(e, src);
                if (!files.isEmpty()) {
                    keyFiles.put(e.key(), files);
                }
            }
        }
        ComposeFile.Provenance provenance = new ComposeFile.Provenance(merged.files(), merged.profiles(),
                merged.disabled(), keyFiles);
        Map<String, SwarmDeploy> swarmDeploy = new SwarmDeployParser(src).parse(services);
        return new ComposeFile(path, src.text(top.get("name"), "name"), parsed, volumes, networks, src.warnings(),
                provenance, src.notApplied(), swarmDeploy, definitions(secretDefs), definitions(configDefs),
                ProxyExtension.parse(services, src));
    }

    private static Map<String, ComposeFile.Definition> definitions(Map<String, FileDefs.FileDef> defs) {
        Map<String, ComposeFile.Definition> out = new LinkedHashMap<>();
        defs.forEach((k, d) -> out.put(k, d.definition()));
        return out;
    }

    /**
     * The file of the service and of each key {@link ServiceParser} records a line for (the same keys), where it
     * is not the main file; empty when the whole service is in the main file.
     */
    private static Map<String, String> keyFiles(YamlNode.Entry service, Source src) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("", src.fileOf(service));
        if (service.value() instanceof YamlNode.Mapping m) {
            for (YamlNode.Entry e : m.entries()) {
                files.put(e.key(), src.fileOf(e));
                if (e.value() instanceof YamlNode.Mapping sub) {
                    sub.entries().forEach(se -> files.putIfAbsent(e.key() + "." + se.key(), src.fileOf(se)));
                } else if (e.value() instanceof YamlNode.Sequence seq) {
                    seq.items().forEach(item -> {
                        if (item instanceof YamlNode.Scalar sc && sc.value() != null) {
                            files.putIfAbsent(e.key() + "." + sc.value(), src.fileOf(sc));
                        }
                    });
                }
            }
        }
        files.values().removeIf(src.file::equals);
        return files;
    }

    private static Map<String, VolumeDef> volumes(YamlNode node, Source src) {
        Map<String, VolumeDef> result = new LinkedHashMap<>();
        YamlNode.Mapping m = src.optionalMapping(node, "volumes");
        if (m == null) {
            return result;
        }
        for (YamlNode.Entry e : m.entries()) {
            String p = "volumes." + e.key();
            YamlNode.Mapping v = src.optionalMapping(e.value(), p);
            if (v == null) {
                checkName(e, p, null, false, src);
                result.put(e.key(), new VolumeDef(e.key(), null, null, Map.of(), Map.of(), false));
                continue;
            }
            src.checkKeys(v, p, Set.of("driver", "driver_opts", "labels", "external", "name"), Set.of());
            External external = external(v, p + ".external", src);
            String name = src.text(v.get("name"), p + ".name");
            name = name != null ? name : external.name() != null ? external.name() : external.is() ? e.key() : null;
            checkName(e, p, name, external.is(), src);
            result.put(e.key(), new VolumeDef(e.key(), name, src.text(v.get("driver"), p + ".driver"),
                    src.keyValues(v.get("driver_opts"), p + ".driver_opts", k -> ""),
                    src.keyValues(v.get("labels"), p + ".labels", k -> ""), external.is()));
        }
        return result;
    }

    private static Map<String, NetworkDef> networks(YamlNode node, Source src) {
        Map<String, NetworkDef> result = new LinkedHashMap<>();
        YamlNode.Mapping m = src.optionalMapping(node, "networks");
        if (m == null) {
            return result;
        }
        for (YamlNode.Entry e : m.entries()) {
            String p = "networks." + e.key();
            YamlNode.Mapping n = src.optionalMapping(e.value(), p);
            if (n == null) {
                checkName(e, p, null, false, src);
                result.put(e.key(), new NetworkDef(e.key(), null, null, Map.of(), false));
                continue;
            }
            src.checkKeys(n, p, Set.of("driver", "external", "name", "labels", "ipam", "driver_opts", "attachable",
                    "enable_ipv6", "internal"), Set.of("enable_ipv4"));
            External external = external(n, p + ".external", src);
            String name = src.text(n.get("name"), p + ".name");
            name = name != null ? name : external.name() != null ? external.name() : external.is() ? e.key() : null;
            checkName(e, p, name, external.is(), src);
            result.put(e.key(), new NetworkDef(e.key(), name, src.text(n.get("driver"), p + ".driver"),
                    src.keyValues(n.get("labels"), p + ".labels", k -> ""), external.is(),
                    ipam(n.get("ipam"), p + ".ipam", src), new NetworkDef.Options(
                            src.bool(n.get("internal"), p + ".internal", false),
                            Source.isNull(n.get("enable_ipv6")) ? null
                                    : src.bool(n.get("enable_ipv6"), p + ".enable_ipv6", false),
                            src.bool(n.get("attachable"), p + ".attachable", false),
                            src.keyValues(n.get("driver_opts"), p + ".driver_opts", k -> ""))));
        }
        return result;
    }

    private static NetworkDef.Ipam ipam(YamlNode node, String path, Source src) {
        YamlNode.Mapping m = src.optionalMapping(node, path);
        if (m == null) {
            return null;
        }
        src.checkKeys(m, path, Set.of("driver", "config", "options"), Set.of());
        List<NetworkDef.Pool> pools = new java.util.ArrayList<>();
        if (!Source.isNull(m.get("config"))) {
            List<YamlNode> items = src.sequence(m.get("config"), path + ".config", "e.g. - subnet: 172.28.0.0/16")
                    .items();
            for (int i = 0; i < items.size(); i++) {
                String ip = path + ".config[" + i + "]";
                YamlNode.Mapping c = src.mapping(items.get(i), ip);
                src.checkKeys(c, ip, Set.of("subnet", "ip_range", "gateway", "aux_addresses"), Set.of());
                pools.add(new NetworkDef.Pool(src.text(c.get("subnet"), ip + ".subnet"),
                        src.text(c.get("ip_range"), ip + ".ip_range"), src.text(c.get("gateway"), ip + ".gateway"),
                        src.keyValues(c.get("aux_addresses"), ip + ".aux_addresses", k -> "")));
            }
        }
        return new NetworkDef.Ipam(src.text(m.get("driver"), path + ".driver"), pools,
                src.keyValues(m.get("options"), path + ".options", k -> ""));
    }

    /**
     * The engine name a volume or network gets must be one Docker takes: {@code name:} (or an external key) as it is,
     * else {@code <project>_<key>}, whose key part is checked here, where its line is known.
     */
    private static void checkName(YamlNode.Entry e, String path, String name, boolean external, Source src) {
        String engine = name != null && !name.isBlank() ? name : external ? e.key() : "p_" + e.key();
        if (!dev.sancho.maven.common.DockerNames.isValid(engine)) {
            throw src.error(e, name != null ? path + ".name" : path, "\"" + (name != null ? name : e.key())
                    + "\" cannot be part of a Docker name: use letters, digits, '_', '.' and '-', starting with a"
                    + " letter or digit");
        }
    }

    /** {@code external: true}, or the legacy {@code external: {name: x}}. */
    private record External(boolean is, String name) {}

    private static External external(YamlNode.Mapping definition, String path, Source src) {
        YamlNode node = definition.get("external");
        if (node instanceof YamlNode.Mapping m) {
            YamlNode.Entry entry = definition.entries().stream().filter(e -> e.key().equals("external")).findFirst()
                    .orElseThrow();
            src.warn(entry, path, "external: {name: ...} is deprecated; write external: true and name: ...");
            return new External(true, src.text(m.get("name"), path + ".name"));
        }
        return new External(src.bool(node, path, false), null);
    }

    /** The text of one compose file, refused when missing, too large or not UTF-8. */
    static String read(Path path, String name) {
        if (!Files.exists(path)) {
            throw new ComposeException(null, 0, null, "compose file " + path + " does not exist (set"
                    + " <composeFile> or -Dsancho.composeFile to the file describing the stack)");
        }
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new ComposeException(name, 0, null, "refused: the file is " + size + " bytes; compose files over "
                        + MAX_BYTES / (1024 * 1024) + " MiB are not read");
            }
            return decode(Files.readAllBytes(path), name);
        } catch (IOException e) {
            throw new ComposeException(null, 0, null, "cannot read compose file " + path + ": " + e.getMessage());
        }
    }

    /** UTF-8 only, like Compose; a leading byte-order mark is dropped. */
    static String decode(byte[] bytes, String name) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new ComposeException(name, 0, null, "is not UTF-8 text; save it as UTF-8");
        }
    }

    /** The {@code .env} next to the compose file; its own ${VAR} references see builtins and the process env. */
    /**
     * The variables of the {@code .env} file next to the (first) compose file, as {@link #load} reads them; empty
     * when there is none. For the secrets scrubber, which must know them before anything is logged.
     */
    public static Map<String, String> dotEnvOf(Path composeFile, Map<String, String> builtins,
            Map<String, String> processEnv) {
        return dotEnv(composeFile.toAbsolutePath().normalize().getParent(), orEmpty(builtins), orEmpty(processEnv));
    }

    private static Map<String, String> dotEnv(Path dir, Map<String, String> builtins, Map<String, String> processEnv) {
        Path env = dir.resolve(".env");
        if (!Files.isRegularFile(env)) {
            return Map.of();
        }
        try {
            String text = decode(Files.readAllBytes(env), ".env");
            return DotEnv.parse(text, ".env", firstOf(builtins, processEnv));
        } catch (IOException e) {
            throw new ComposeException(null, 0, null, "cannot read " + env + ": " + e.getMessage());
        }
    }

    @SafeVarargs
    private static Function<String, String> firstOf(Map<String, String>... sources) {
        List<Map<String, String>> list = List.of(sources);
        return name -> {
            for (Map<String, String> source : list) {
                String value = source.get(name);
                if (value != null) {
                    return value;
                }
            }
            return null;
        };
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
