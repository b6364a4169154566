package dev.sancho.maven.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the one Compose model that sancho deploys from the files the user has, the way Docker Compose does, before
 * any key is interpreted ({@link ServiceParser} reads the result):
 *
 * <ol>
 *   <li>the files are read in order and merged with {@link ComposeMerge}: each later file overrides and extends
 *       the earlier ones; {@code !reset} and {@code !override} clear what earlier files (or an {@code extends}
 *       base) set;</li>
 *   <li>{@code include:} loads another compose application as its own part: its files are interpolated with its
 *       own variables (the including project's, then its {@code env_file}s or the {@code .env} of its project
 *       directory), its relative paths resolve against its project directory (the directory of its first file,
 *       or {@code project_directory}), and its services, volumes, networks, secrets and configs join the including
 *       file; a name defined on both sides is an error unless both define it the same;</li>
 *   <li>{@code extends:} merges a service over a base service of the same file or of {@code file:}, whose
 *       relative paths resolve against that file's directory;</li>
 *   <li>{@code profiles:} disables the services none of whose profiles is active; a service that depends on a
 *       disabled one is an error naming both, unless the dependency is {@code required: false}.</li>
 * </ol>
 *
 * <p>Relative paths of the files given (and of the override file) resolve against the directory of the first
 * one, like Compose's project directory. Every node keeps its file and line ({@link Origins}), so each later
 * message names the file a value was written in.
 */
final class ComposeModel {
    /** Files read for one model (overrides, includes, extends); more is a loop the cycle checks missed, or abuse. */
    static final int MAX_FILES = 100;

    /** Parts of an included project that join the including file. */
    private static final List<String> RESOURCES = List.of("services", "volumes", "networks", "secrets", "configs",
            "models");

    /** The sentinel an eagerly interpolated value keeps for each of sancho's own variables. */
    private static final char MARK = '\u0000';

    /**
     * What was read.
     *
     * @param root     the merged model; services disabled by profiles removed, {@code include}, {@code extends} and
     *                 {@code profiles} consumed
     * @param files    every file read, the first one first
     * @param profiles the active profiles
     * @param disabled services not deployed, each with its profiles
     */
    record Result(YamlNode.Mapping root, List<Path> files, List<String> profiles, Map<String, List<String>> disabled) {}

    /**
     * One compose application being read: the project itself, or an included one.
     *
     * @param src       names files, interpolates; for an included part, with {@link #MARK}ed builtins
     * @param dir       its working directory: relative paths in its files resolve against it
     * @param eager     an included part: values are interpolated when read and then kept as literals
     * @param variables its variables in precedence order (builtins first, the pom's {@code <environment>} last)
     * @param chain     the files including this part, for cycle errors
     */
    private record Part(Source src, Path dir, boolean eager, List<Map<String, String>> variables, List<Path> chain) {
        String variable(String name) {
            for (Map<String, String> m : variables) {
                String v = m.get(name);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
    }

    /** One file as read: its tree (null when empty), its merge tags, the label messages use. */
    private record Loaded(Path path, String label, YamlNode.Mapping root, List<YamlTags.Tagged> tags) {}

    private final Source project;
    private final Path mainFile;
    private final Map<String, String> builtins;
    private final List<Path> read = new ArrayList<>();
    private final Map<Path, Loaded> extendsFiles = new LinkedHashMap<>();
    private int reads;

    /**
     * @param project  the main file's source: its directory, variables, properties and origins
     * @param mainFile the first file, absolute
     * @param builtins sancho's own variables (DEPLOY_ID, SANCHO_PROJECT), the same in every part
     */
    ComposeModel(Source project, Path mainFile, Map<String, String> builtins) {
        this.project = project;
        this.mainFile = mainFile;
        this.builtins = builtins;
    }

    /**
     * @param files     the files to merge, absolute, the main one first
     * @param variables the project's variables in precedence order
     * @param profiles  the active profiles given ({@code sancho.profiles}), or null for {@code COMPOSE_PROFILES}
     */
    Result load(List<Path> files, List<Map<String, String>> variables, List<String> profiles) {
        Part part = new Part(project, project.dir, false, variables, List.of());
        YamlNode.Mapping root = loadPart(files, part);
        if (root == null) {
            return new Result(null, List.copyOf(read), List.of(), Map.of());
        }
        List<String> active = activeProfiles(profiles, part);
        Map<String, List<String>> disabled = new LinkedHashMap<>();
        root = applyProfiles(root, active, disabled);
        return new Result(root, List.copyOf(read), active, disabled);
    }

    /** How a file is named in messages: the main file by its name, others relative to the project directory. */
    String label(Path file) {
        if (file.equals(mainFile)) {
            return mainFile.getFileName().toString();
        }
        try {
            return project.dir.relativize(file).toString();
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }

    // ------------------------------------------------------------------------------------------- files

    private YamlNode.Mapping loadPart(List<Path> files, Part part) {
        ComposeMerge merge = new ComposeMerge(part.src());
        YamlNode.Mapping model = null;
        for (Path file : files) {
            Loaded loaded = read(file, part, null, null);
            YamlNode.Mapping cfg = loaded.root();
            if (cfg == null) {
                continue;
            }
            if (part.eager()) {
                cfg = (YamlNode.Mapping) literal(cfg, "", part);
            }
            cfg = dropResets(cfg, loaded.tags());
            cfg = include(cfg, part, loaded);
            model = clear(model, loaded.tags(), List.of());
            cfg = extend(cfg, loaded, part);
            model = model == null ? cfg : merge.files(model, cfg);
        }
        if (model != null && part.eager()) {
            model = (YamlNode.Mapping) RelativePaths.resolve(model, part.dir(), part.src());
            model = resolveEnvironment(model, part);
        }
        return model;
    }

    /**
     * Reads one file.
     *
     * @param at   the node naming the file (an {@code include} or {@code extends} entry), or null for a file the
     *             user gave, whose absence is reported like a missing compose file
     * @param path the path of {@code at}, for messages
     */
    private Loaded read(Path file, Part part, YamlNode at, String path) {
        Path abs = file.toAbsolutePath().normalize();
        if (++reads > MAX_FILES) {
            throw part.src().error(at, path, "refused: reading " + abs + " would make more than " + MAX_FILES
                    + " compose files for one stack (includes and extends that never end?)");
        }
        String label = label(abs);
        if (at != null && !Files.isRegularFile(abs)) {
            throw part.src().error(at, path, abs + " does not exist");
        }
        String text = ComposeLoader.read(abs, label);
        YamlNode root = YamlReader.read(text, label);
        List<YamlTags.Tagged> tags = YamlTags.read(text);
        for (YamlTags.Tagged t : tags) {
            if (t.path().isEmpty()) {
                throw new ComposeException(label, t.line(), null, (t.reset() ? YamlTags.RESET : YamlTags.OVERRIDE)
                        + " applies to a key of the file, not to the whole file");
            }
        }
        project.origins().record(root, label);
        if (!read.contains(abs)) {
            read.add(abs);
        }
        YamlNode.Mapping top = Source.isNull(root) ? null : part.src().mapping(root, "(top level)");
        return new Loaded(abs, label, top, tags);
    }

    // ------------------------------------------------------------------------------- !reset, !override

    /** {@code !reset} values are not part of their own file. Removed last first, so earlier indexes hold. */
    private YamlNode.Mapping dropResets(YamlNode.Mapping cfg, List<YamlTags.Tagged> tags) {
        YamlNode.Mapping result = cfg;
        for (int i = tags.size() - 1; i >= 0; i--) {
            if (tags.get(i).reset()) {
                result = (YamlNode.Mapping) remove(result, tags.get(i).path(), 0, true);
            }
        }
        return result;
    }

    /**
     * What a tagged value of the next file replaces is removed from what came before ({@code model}, or the base
     * of an extending service when {@code prefix} is {@code [services, name]}). Mapping keys only, like Compose.
     */
    private YamlNode.Mapping clear(YamlNode.Mapping model, List<YamlTags.Tagged> tags, List<String> prefix) {
        YamlNode.Mapping result = model;
        for (YamlTags.Tagged t : tags) {
            if (result == null) {
                return null;
            }
            List<String> path = t.path();
            if (path.size() > prefix.size() && path.subList(0, prefix.size()).equals(prefix)) {
                result = (YamlNode.Mapping) remove(result, path.subList(prefix.size(), path.size()), 0, false);
            } else if (!prefix.isEmpty() && path.equals(prefix)) {
                result = new YamlNode.Mapping(List.of(), result.line());
            }
        }
        return result;
    }

    private YamlNode remove(YamlNode node, List<String> path, int i, boolean items) {
        Origins origins = project.origins();
        String step = path.get(i);
        boolean last = i == path.size() - 1;
        if (node instanceof YamlNode.Mapping m) {
            List<YamlNode.Entry> entries = new ArrayList<>(m.entries());
            for (int k = 0; k < entries.size(); k++) {
                YamlNode.Entry e = entries.get(k);
                if (!e.key().equals(step)) {
                    continue;
                }
                if (last) {
                    entries.remove(k);
                } else {
                    YamlNode value = remove(e.value(), path, i + 1, items);
                    if (value == e.value()) {
                        return node;
                    }
                    entries.set(k, origins.like(new YamlNode.Entry(e.key(), e.line(), value), e));
                }
                return origins.like(new YamlNode.Mapping(entries, m.line()), m);
            }
            return node;
        }
        // a key that is an index of the list here: digits, and few enough to be one (an empty or huge key is none)
        if (items && node instanceof YamlNode.Sequence s && !step.isEmpty() && step.length() <= 9
                && step.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int index = Integer.parseInt(step);
            if (index >= s.items().size()) {
                return node;
            }
            List<YamlNode> list = new ArrayList<>(s.items());
            if (last) {
                list.remove(index);
            } else {
                YamlNode value = remove(list.get(index), path, i + 1, items);
                if (value == list.get(index)) {
                    return node;
                }
                list.set(index, value);
            }
            return origins.like(new YamlNode.Sequence(list, s.line()), s);
        }
        return node;
    }

    // ------------------------------------------------------------------------------------------ include

    /** Loads the {@code include:} entries of one file and adds what they define to it. */
    private YamlNode.Mapping include(YamlNode.Mapping cfg, Part part, Loaded file) {
        YamlNode node = cfg.get("include");
        if (node == null) {
            return cfg;
        }
        Source src = part.src();
        List<YamlNode.Entry> top = new ArrayList<>(cfg.entries());
        top.removeIf(e -> e.key().equals("include"));
        YamlNode.Mapping result = project.origins().like(new YamlNode.Mapping(top, cfg.line()), cfg);
        if (Source.isNull(node)) {
            return result;
        }
        List<YamlNode> items = src.sequence(node, "include", "- path/to/compose.yml").items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String path = "include[" + i + "]";
            YamlNode.Mapping imported = includeOne(item, path, part, file);
            if (imported != null) {
                result = importResources(result, imported, path, item);
            }
        }
        return result;
    }

    private YamlNode.Mapping includeOne(YamlNode item, String path, Part part, Loaded file) {
        Source src = part.src();
        List<YamlNode> files;
        YamlNode projectDirectory = null;
        YamlNode envFile = null;
        YamlNode filesAt = item;
        String filesPath = path;
        if (item instanceof YamlNode.Mapping m) {
            src.checkKeys(m, path, Set.of("path", "project_directory", "env_file"), Set.of());
            filesAt = m.get("path");
            filesPath = path + ".path";
            if (Source.isNull(filesAt)) {
                throw src.error(m, path, "needs path: (the compose file to include)");
            }
            files = filesAt instanceof YamlNode.Sequence s ? s.items() : List.of(filesAt);
            if (files.isEmpty()) {
                throw src.error(filesAt, filesPath, "is empty; name the compose file to include");
            }
            projectDirectory = m.get("project_directory");
            envFile = m.get("env_file");
        } else {
            files = List.of(item);
        }
        List<Path> paths = new ArrayList<>();
        for (int k = 0; k < files.size(); k++) {
            String p = filesAt instanceof YamlNode.Sequence ? filesPath + "[" + k + "]" : filesPath;
            Path resolved = part.dir().resolve(src.required(files.get(k), p)).normalize();
            if (!Files.isRegularFile(resolved)) {
                throw src.error(files.get(k), p, resolved + " does not exist");
            }
            paths.add(resolved);
        }
        Path first = paths.get(0);
        if (first.equals(file.path()) || part.chain().contains(first) || first.equals(mainFile)) {
            List<String> loop = new ArrayList<>();
            part.chain().forEach(c -> loop.add(label(c)));
            loop.add(file.label());
            loop.add(label(first));
            throw src.error(files.get(0), filesPath, "include cycle: " + String.join(" includes ", loop));
        }
        Path dir = Source.isNull(projectDirectory) ? first.getParent()
                : part.dir().resolve(src.required(projectDirectory, path + ".project_directory")).normalize();

        Map<String, String> env = includedEnv(envFile, path + ".env_file", dir, part);
        List<Map<String, String>> variables = new ArrayList<>(part.variables());
        variables.add(variables.size() - 1, env); // before the pom's <environment>, after everything else
        Function<String, String> marked = name -> builtins.containsKey(name) ? MARK + name + MARK
                : firstOf(variables, name);
        List<Path> chain = new ArrayList<>(part.chain());
        chain.add(file.path());
        Part included = new Part(project.part(label(first), dir, marked), dir, true, variables, List.copyOf(chain));
        return loadPart(paths, included);
    }

    /** The included part's own variables: its env_file list, else the .env of its project directory. */
    private Map<String, String> includedEnv(YamlNode envFile, String path, Path dir, Part part) {
        Source src = part.src();
        List<Path> envFiles = new ArrayList<>();
        if (Source.isNull(envFile)) {
            Path dotEnv = dir.resolve(".env");
            if (Files.isRegularFile(dotEnv)) {
                envFiles.add(dotEnv);
            }
        } else {
            List<String> given = src.stringOrList(envFile, path);
            for (int k = 0; k < given.size(); k++) {
                if (given.get(k).equals("/dev/null")) {
                    continue;
                }
                Path f = part.dir().resolve(given.get(k)).normalize();
                if (!Files.isRegularFile(f)) {
                    throw src.error(envFile instanceof YamlNode.Sequence s ? s.items().get(k) : envFile, path,
                            f + " does not exist");
                }
                envFiles.add(f);
            }
        }
        List<Map<String, String>> lookup = part.variables().subList(0, part.variables().size() - 1);
        Map<String, String> env = new LinkedHashMap<>();
        for (Path f : envFiles) {
            try {
                String text = ComposeLoader.decode(Files.readAllBytes(f), label(f));
                Map<String, String> sofar = Map.copyOf(env);
                env.putAll(DotEnv.parse(text, label(f), name -> {
                    String v = firstOf(lookup, name);
                    return v != null ? v : sofar.get(name);
                }));
            } catch (IOException e) {
                throw new ComposeException(null, 0, null, "cannot read " + f + ": " + e.getMessage());
            }
        }
        return env;
    }

    /** Adds the services, volumes, ... of an included part; a name on both sides must mean the same. */
    private YamlNode.Mapping importResources(YamlNode.Mapping cfg, YamlNode.Mapping imported, String path,
            YamlNode at) {
        Origins origins = project.origins();
        List<YamlNode.Entry> top = new ArrayList<>(cfg.entries());
        for (String kind : RESOURCES) {
            if (!(imported.get(kind) instanceof YamlNode.Mapping from)) {
                continue;
            }
            int index = indexOf(top, kind);
            YamlNode.Mapping to = index < 0 ? null : project.optionalMapping(top.get(index).value(), kind);
            List<YamlNode.Entry> own = to == null ? List.of() : to.entries();
            List<YamlNode.Entry> entries = new ArrayList<>();
            for (YamlNode.Entry e : from.entries()) {
                YamlNode.Entry clash = own.stream().filter(o -> o.key().equals(e.key())).findFirst().orElse(null);
                if (clash == null) {
                    entries.add(e);
                } else if (!same(clash.value(), e.value())) {
                    throw project.error(clash, kind + "." + e.key(), "is also defined by the included "
                            + project.fileOf(e) + ":" + e.line() + " (" + path + "); Compose refuses a " + singular(kind)
                            + " defined both in a file and in a file it includes: rename one, or define it once");
                }
            }
            entries.addAll(own);
            YamlNode.Mapping merged = origins.like(new YamlNode.Mapping(entries, to != null ? to.line() : at.line()),
                    to != null ? to : at);
            YamlNode.Entry entry = index < 0 ? origins.like(new YamlNode.Entry(kind, at.line(), merged), at)
                    : origins.like(new YamlNode.Entry(kind, top.get(index).line(), merged), top.get(index));
            if (index < 0) {
                top.add(entry);
            } else {
                top.set(index, entry);
            }
        }
        return origins.like(new YamlNode.Mapping(top, cfg.line()), cfg);
    }

    private static String singular(String kind) {
        return kind.substring(0, kind.length() - 1);
    }

    /** The same definition, value for value after interpolation, whatever the lines. */
    private boolean same(YamlNode a, YamlNode b) {
        if (Source.isNull(a) || Source.isNull(b)) {
            return Source.isNull(a) && Source.isNull(b);
        }
        if (a instanceof YamlNode.Scalar && b instanceof YamlNode.Scalar) {
            ComposeMerge quiet = new ComposeMerge(project);
            return quiet.text(a).equals(quiet.text(b));
        }
        if (a instanceof YamlNode.Sequence x && b instanceof YamlNode.Sequence y) {
            if (x.items().size() != y.items().size()) {
                return false;
            }
            for (int i = 0; i < x.items().size(); i++) {
                if (!same(x.items().get(i), y.items().get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof YamlNode.Mapping x && b instanceof YamlNode.Mapping y) {
            if (x.entries().size() != y.entries().size()) {
                return false;
            }
            for (YamlNode.Entry e : x.entries()) {
                if (!y.entries().stream().anyMatch(o -> o.key().equals(e.key())) || !same(e.value(), y.get(e.key()))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ extends

    /** A service on the way to its merged form, for cycle messages. */
    private record Step(String file, String service) {}

    /** Resolves {@code extends:} of every service of one file. */
    private YamlNode.Mapping extend(YamlNode.Mapping cfg, Loaded file, Part part) {
        if (!(cfg.get("services") instanceof YamlNode.Mapping services)) {
            return cfg;
        }
        boolean any = services.entries().stream()
                .anyMatch(e -> e.value() instanceof YamlNode.Mapping m && m.get("extends") != null);
        if (!any) {
            return cfg;
        }
        Map<String, YamlNode.Entry> byName = new LinkedHashMap<>();
        services.entries().forEach(e -> byName.put(e.key(), e));
        Scope scope = new Scope(file, part.dir(), byName, new LinkedHashMap<>());
        List<YamlNode.Entry> entries = new ArrayList<>();
        for (YamlNode.Entry e : services.entries()) {
            YamlNode value = extended(e.key(), scope, part, List.of());
            entries.add(value == e.value() ? e : project.origins().like(new YamlNode.Entry(e.key(), e.line(), value), e));
        }
        YamlNode.Mapping merged = project.origins().like(new YamlNode.Mapping(entries, services.line()), services);
        List<YamlNode.Entry> top = new ArrayList<>(cfg.entries());
        int at = indexOf(top, "services");
        top.set(at, project.origins().like(new YamlNode.Entry("services", top.get(at).line(), merged), top.get(at)));
        return project.origins().like(new YamlNode.Mapping(top, cfg.line()), cfg);
    }

    /**
     * The services of one file, as the base of {@code extends}.
     *
     * @param dir  what relative {@code extends.file} paths in it resolve against
     * @param done services already merged with their bases
     */
    private record Scope(Loaded file, Path dir, Map<String, YamlNode.Entry> services, Map<String, YamlNode> done) {}

    private YamlNode extended(String name, Scope scope, Part part, List<Step> chain) {
        YamlNode.Entry entry = scope.services().get(name);
        if (scope.done().containsKey(name)) {
            return scope.done().get(name);
        }
        if (!(entry.value() instanceof YamlNode.Mapping service) || service.get("extends") == null) {
            return entry.value();
        }
        Source src = part.src();
        String p = "services." + name + ".extends";
        YamlNode ext = service.get("extends");
        String ref;
        YamlNode fileNode = null;
        YamlNode refNode = ext;
        if (ext instanceof YamlNode.Mapping m) {
            src.checkKeys(m, p, Set.of("service", "file"), Set.of());
            refNode = m.get("service");
            if (Source.isNull(refNode)) {
                throw src.error(m, p, "needs service: (the service to extend)");
            }
            ref = src.required(refNode, p + ".service");
            fileNode = m.get("file");
        } else {
            ref = src.required(ext, p);
        }
        Step step = new Step(scope.file().label(), name);
        if (chain.contains(step)) {
            List<String> loop = new ArrayList<>();
            chain.subList(chain.indexOf(step), chain.size()).forEach(s -> loop.add(s.service() + " (" + s.file() + ")"));
            loop.add(name + " (" + scope.file().label() + ")");
            throw src.error(refNode, p, "extends loops: " + String.join(" extends ", loop));
        }
        List<Step> next = new ArrayList<>(chain);
        next.add(step);

        Scope baseScope = scope;
        if (!Source.isNull(fileNode)) {
            String given = src.required(fileNode, p + ".file");
            Path path = scope.dir().resolve(given).normalize();
            baseScope = extendsScope(path, part, fileNode, p + ".file");
            if (!baseScope.services().containsKey(ref)) {
                throw src.error(refNode, p + (ext instanceof YamlNode.Mapping ? ".service" : ""), "service \"" + ref
                        + "\" is not defined in " + baseScope.file().label() + " (services: "
                        + String.join(", ", baseScope.services().keySet()) + ")");
            }
        } else if (!scope.services().containsKey(ref)) {
            throw src.error(refNode, p + (ext instanceof YamlNode.Mapping ? ".service" : ""), "service \"" + ref
                    + "\" is not defined in " + scope.file().label() + " (services: "
                    + String.join(", ", scope.services().keySet()) + ")");
        }
        YamlNode base = extended(ref, baseScope, part, next);
        YamlNode.Mapping baseMapping = src.optionalMapping(base, "services." + ref);
        YamlNode.Mapping cleared = clear(baseMapping, scope.file().tags(), List.of("services", name));
        YamlNode.Mapping merged = new ComposeMerge(src).service(withoutKey(cleared, "extends"), service, name);
        YamlNode result = withoutKey(merged, "extends");
        scope.done().put(name, result);
        return result;
    }

    /** The services of another file, interpolated and with paths resolved against its directory. */
    private Scope extendsScope(Path file, Part part, YamlNode at, String path) {
        Loaded loaded = extendsFiles.get(file);
        if (loaded == null) {
            loaded = read(file, part, at, path);
            extendsFiles.put(file, loaded);
        }
        Map<String, YamlNode.Entry> services = new LinkedHashMap<>();
        if (loaded.root() != null && loaded.root().get("services") instanceof YamlNode.Mapping) {
            YamlNode.Mapping clean = (YamlNode.Mapping) dropResets(loaded.root(), loaded.tags()).get("services");
            if (clean != null) {
                for (YamlNode.Entry e : clean.entries()) {
                    String p = "services." + e.key();
                    YamlNode value = part.eager() ? literal(e.value(), p, part) : literal(e.value(), p, forFile(part));
                    value = RelativePaths.resolveService(value, file.getParent(), part.src());
                    services.put(e.key(), project.origins().like(new YamlNode.Entry(e.key(), e.line(), value), e));
                }
            }
        }
        return new Scope(loaded, file.getParent(), services, new LinkedHashMap<>());
    }

    /** The project itself as an eager part: the same variables, builtins kept as references. */
    private Part forFile(Part part) {
        Function<String, String> marked = name -> builtins.containsKey(name) ? MARK + name + MARK
                : firstOf(part.variables(), name);
        return new Part(project.part(project.file, part.dir(), marked), part.dir(), true, part.variables(),
                part.chain());
    }

    private YamlNode.Mapping withoutKey(YamlNode.Mapping m, String key) {
        if (m == null || m.get(key) == null) {
            return m;
        }
        List<YamlNode.Entry> entries = new ArrayList<>(m.entries());
        entries.removeIf(e -> e.key().equals(key));
        return project.origins().like(new YamlNode.Mapping(entries, m.line()), m);
    }

    // ------------------------------------------------------------------------------ eager interpolation

    /**
     * {@code node} with every value interpolated with the part's variables, written back as a literal (each
     * {@code $} doubled) so that reading it again gives the same text. sancho's own variables stay references,
     * so a {@code container_name} with {@code ${DEPLOY_ID}} keeps its meaning.
     */
    private YamlNode literal(YamlNode node, String path, Part part) {
        Origins origins = project.origins();
        if (node instanceof YamlNode.Scalar s) {
            if (s.value() == null || s.value().indexOf('$') < 0) {
                return s;
            }
            String value = part.src().text(s, path);
            return origins.like(new YamlNode.Scalar(escape(value), s.line()), s);
        }
        if (node instanceof YamlNode.Sequence s) {
            List<YamlNode> items = new ArrayList<>();
            for (int i = 0; i < s.items().size(); i++) {
                items.add(literal(s.items().get(i), path + "[" + i + "]", part));
            }
            return origins.like(new YamlNode.Sequence(items, s.line()), s);
        }
        if (node instanceof YamlNode.Mapping m) {
            List<YamlNode.Entry> entries = new ArrayList<>();
            for (YamlNode.Entry e : m.entries()) {
                String p = path.isEmpty() ? e.key() : path + "." + e.key();
                YamlNode value = literal(e.value(), p, part);
                entries.add(value == e.value() ? e : origins.like(new YamlNode.Entry(e.key(), e.line(), value), e));
            }
            return origins.like(new YamlNode.Mapping(entries, m.line()), m);
        }
        return node;
    }

    /** {@code $} doubled, except the marked builtins, which become {@code ${NAME}} again. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            int close = c == MARK ? value.indexOf(MARK, i + 1) : -1;
            if (close > i) {
                b.append("${").append(value, i + 1, close).append('}');
                i = close + 1;
                continue;
            }
            b.append(c == '$' ? "$$" : String.valueOf(c));
            i++;
        }
        return b.toString();
    }

    /** Compose resolves {@code environment: [KEY]} of an included project with that project's variables. */
    private YamlNode.Mapping resolveEnvironment(YamlNode.Mapping model, Part part) {
        if (!(model.get("services") instanceof YamlNode.Mapping services)) {
            return model;
        }
        Origins origins = project.origins();
        List<YamlNode.Entry> entries = new ArrayList<>();
        for (YamlNode.Entry e : services.entries()) {
            YamlNode value = e.value();
            if (value instanceof YamlNode.Mapping m && m.get("environment") != null) {
                YamlNode env = m.get("environment");
                YamlNode resolved = env;
                if (env instanceof YamlNode.Sequence s) {
                    List<YamlNode> items = new ArrayList<>();
                    for (YamlNode item : s.items()) {
                        String v = item instanceof YamlNode.Scalar sc && sc.value() != null && !sc.value().contains("=")
                                ? part.variable(sc.value().strip()) : null;
                        items.add(v == null ? item
                                : origins.like(new YamlNode.Scalar(((YamlNode.Scalar) item).value().strip() + "="
                                        + escape(v), item.line()), item));
                    }
                    resolved = origins.like(new YamlNode.Sequence(items, s.line()), s);
                } else if (env instanceof YamlNode.Mapping em) {
                    List<YamlNode.Entry> vars = new ArrayList<>();
                    for (YamlNode.Entry v : em.entries()) {
                        String found = Source.isNull(v.value()) ? part.variable(v.key()) : null;
                        vars.add(found == null ? v : origins.like(new YamlNode.Entry(v.key(), v.line(),
                                origins.like(new YamlNode.Scalar(escape(found), v.line()), v)), v));
                    }
                    resolved = origins.like(new YamlNode.Mapping(vars, em.line()), em);
                }
                List<YamlNode.Entry> keys = new ArrayList<>(m.entries());
                int at = indexOf(keys, "environment");
                keys.set(at, origins.like(new YamlNode.Entry("environment", keys.get(at).line(), resolved), keys.get(at)));
                value = origins.like(new YamlNode.Mapping(keys, m.line()), m);
            }
            entries.add(value == e.value() ? e : origins.like(new YamlNode.Entry(e.key(), e.line(), value), e));
        }
        List<YamlNode.Entry> top = new ArrayList<>(model.entries());
        int at = indexOf(top, "services");
        top.set(at, origins.like(new YamlNode.Entry("services", top.get(at).line(),
                origins.like(new YamlNode.Mapping(entries, services.line()), services)), top.get(at)));
        return origins.like(new YamlNode.Mapping(top, model.line()), model);
    }

    // ----------------------------------------------------------------------------------------- profiles

    private List<String> activeProfiles(List<String> given, Part part) {
        List<String> raw = given;
        if (raw == null || raw.stream().allMatch(s -> s == null || s.isBlank())) {
            String env = part.variable("COMPOSE_PROFILES");
            raw = env == null ? List.of() : List.of(env.split(","));
        }
        Set<String> active = new LinkedHashSet<>();
        for (String p : raw) {
            if (p != null && !p.isBlank()) {
                active.add(p.strip());
            }
        }
        return List.copyOf(active);
    }

    private YamlNode.Mapping applyProfiles(YamlNode.Mapping root, List<String> active,
            Map<String, List<String>> disabled) {
        if (!(root.get("services") instanceof YamlNode.Mapping services)) {
            return root;
        }
        Origins origins = project.origins();
        Map<String, YamlNode.Entry> enabled = new LinkedHashMap<>();
        boolean changed = false;
        for (YamlNode.Entry e : services.entries()) {
            if (!(e.value() instanceof YamlNode.Mapping m) || m.get("profiles") == null) {
                enabled.put(e.key(), e);
                continue;
            }
            String p = "services." + e.key() + ".profiles";
            List<String> profiles = Source.isNull(m.get("profiles")) ? List.of()
                    : project.stringOrList(m.get("profiles"), p);
            YamlNode.Entry without = origins.like(new YamlNode.Entry(e.key(), e.line(), withoutKey(m, "profiles")), e);
            changed = true;
            if (profiles.isEmpty() || active.contains("*") || profiles.stream().anyMatch(active::contains)) {
                enabled.put(e.key(), without);
            } else {
                disabled.put(e.key(), profiles);
            }
        }
        if (!changed) {
            return root;
        }
        if (enabled.isEmpty()) {
            throw project.error(root.entries().get(indexOf(root.entries(), "services")), "services",
                    "every service has profiles: and none of them is active (" + activeText(active) + "): "
                            + describe(disabled) + "; activate one with -Dsancho.profiles=NAME or COMPOSE_PROFILES");
        }
        List<YamlNode.Entry> entries = new ArrayList<>();
        for (YamlNode.Entry e : enabled.values()) {
            entries.add(checkDependencies(e, disabled, active));
        }
        List<YamlNode.Entry> top = new ArrayList<>(root.entries());
        int at = indexOf(top, "services");
        top.set(at, origins.like(new YamlNode.Entry("services", top.get(at).line(),
                origins.like(new YamlNode.Mapping(entries, services.line()), services)), top.get(at)));
        return origins.like(new YamlNode.Mapping(top, root.line()), root);
    }

    /** A dependency on a disabled service is an error, unless it is {@code required: false} (then it is dropped). */
    private YamlNode.Entry checkDependencies(YamlNode.Entry service, Map<String, List<String>> disabled,
            List<String> active) {
        if (!(service.value() instanceof YamlNode.Mapping m) || Source.isNull(m.get("depends_on"))) {
            return service;
        }
        String p = "services." + service.key() + ".depends_on";
        YamlNode deps = m.get("depends_on");
        if (deps instanceof YamlNode.Sequence s) {
            for (int i = 0; i < s.items().size(); i++) {
                String dep = project.text(s.items().get(i), p + "[" + i + "]");
                if (dep != null && disabled.containsKey(dep.strip())) {
                    throw disabledDependency(s.items().get(i), p + "[" + i + "]", service.key(), dep.strip(),
                            disabled, active);
                }
            }
            return service;
        }
        if (!(deps instanceof YamlNode.Mapping dm)) {
            return service;
        }
        List<YamlNode.Entry> kept = new ArrayList<>();
        for (YamlNode.Entry d : dm.entries()) {
            if (!disabled.containsKey(d.key())) {
                kept.add(d);
                continue;
            }
            YamlNode.Mapping options = project.optionalMapping(d.value(), p + "." + d.key());
            boolean required = options == null
                    || project.bool(options.get("required"), p + "." + d.key() + ".required", true);
            if (required) {
                throw new ComposeException(project.fileOf(d), d.line(), p + "." + d.key(), disabledText(
                        service.key(), d.key(), disabled, active));
            }
        }
        if (kept.size() == dm.entries().size()) {
            return service;
        }
        Origins origins = project.origins();
        List<YamlNode.Entry> keys = new ArrayList<>(m.entries());
        int at = indexOf(keys, "depends_on");
        keys.set(at, origins.like(new YamlNode.Entry("depends_on", keys.get(at).line(),
                origins.like(new YamlNode.Mapping(kept, dm.line()), dm)), keys.get(at)));
        return origins.like(new YamlNode.Entry(service.key(), service.line(),
                origins.like(new YamlNode.Mapping(keys, m.line()), m)), service);
    }

    private ComposeException disabledDependency(YamlNode at, String path, String service, String dep,
            Map<String, List<String>> disabled, List<String> active) {
        return project.error(at, path, disabledText(service, dep, disabled, active));
    }

    private static String disabledText(String service, String dep, Map<String, List<String>> disabled,
            List<String> active) {
        List<String> profiles = disabled.get(dep);
        return service + " depends on " + dep + ", which is disabled: its profiles (" + String.join(", ", profiles)
                + ") are not active (" + activeText(active) + "); activate one with -Dsancho.profiles="
                + profiles.get(0) + " (or COMPOSE_PROFILES), or make the dependency required: false";
    }

    private static String activeText(List<String> active) {
        return active.isEmpty() ? "no profile is active" : "active: " + String.join(", ", active);
    }

    private static String describe(Map<String, List<String>> disabled) {
        List<String> parts = new ArrayList<>();
        disabled.forEach((name, profiles) -> parts.add(name + " (" + String.join(", ", profiles) + ")"));
        return String.join(", ", parts);
    }

    // ---------------------------------------------------------------------------------------- helpers

    private static int indexOf(List<YamlNode.Entry> entries, String key) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static String firstOf(List<Map<String, String>> maps, String name) {
        for (Map<String, String> m : maps) {
            String v = m.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
