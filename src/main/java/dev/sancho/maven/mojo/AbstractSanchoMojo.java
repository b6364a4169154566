package dev.sancho.maven.mojo;

import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeFiles;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.common.SecretScrubber;
import dev.sancho.maven.compose.Secrets;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.EngineUnreachableException;
import dev.sancho.maven.plan.ProjectIdentity;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Parameters every goal shares, and the one place that turns the core's typed exceptions into Maven's.
 * Subclasses implement {@link #run()} and stay small: read parameters, call the core.
 */
public abstract class AbstractSanchoMojo extends AbstractMojo {

    /**
     * Fail the build on a compose key that sancho does not apply (a key it does not honour, or an unknown one),
     * with the {@code file:line} text of its warning, for teams that want the guarantee that the containers are
     * what the file says. Default: such keys are warned about and ignored.
     */
    @Parameter(property = "sancho.strict", defaultValue = "false")
    protected boolean strict;

    /** Skip this goal. */
    @Parameter(property = "sancho.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * The Compose file describing the stack, taken as given like {@code docker compose -f FILE}: no override file
     * is added. Several files, comma-separated ({@code -Dsancho.composeFile=compose.yml,compose.prod.yml}), are
     * merged in order like {@code composeFiles}. Default: what {@code docker compose} finds in the project's
     * directory, the first of {@code compose.yaml}, {@code compose.yml}, {@code docker-compose.yml},
     * {@code docker-compose.yaml}, with the first of {@code compose.override.yml}, {@code compose.override.yaml},
     * {@code docker-compose.override.yml}, {@code docker-compose.override.yaml} next to it merged over it.
     */
    @Parameter(property = "sancho.composeFile")
    protected File composeFile;

    /**
     * Compose files merged in order with Compose's merge rules, like {@code docker compose -f a.yml -f b.yml}
     * (comma-separated on the command line): each file overrides and extends the ones before it. The first file is
     * the project's: its directory's {@code .env} gives variables and relative paths in all the files resolve
     * against its directory. No override file is added. Set this or {@code composeFile}, not both.
     */
    @Parameter(property = "sancho.composeFiles")
    protected List<File> composeFiles;

    /**
     * Compose profiles to activate (comma-separated on the command line), like {@code docker compose --profile}: a
     * service with {@code profiles:} is part of the stack only when one of its profiles is active, a service
     * without is always; {@code *} activates every profile. Default: {@code COMPOSE_PROFILES} from the environment
     * or the {@code .env} file, else none.
     */
    @Parameter(property = "sancho.profiles")
    protected List<String> profiles;

    /**
     * Project name: the label {@code sancho.project} on everything the plugin creates, and the prefix of default
     * names. Default: the compose file's {@code name:}, else the artifactId.
     */
    @Parameter(property = "sancho.project")
    protected String project;

    /**
     * Who owns the project's containers on the engine, recorded in the label {@code sancho.identity} on everything
     * sancho creates; a goal refuses to act on a project of the same name whose objects carry another identity.
     * Default: {@code groupId:artifactId:compose-file}, the main compose file's path relative to the project's
     * directory (the same from every checkout, laptop or CI runner). Set it when the project moved (another groupId,
     * artifactId or compose file) to the identity its containers carry.
     */
    @Parameter(property = "sancho.identity")
    protected String identity;

    /**
     * Id of this deploy: part of application container names and the value of <code>${DEPLOY_ID}</code> in the compose
     * file. Default: the build's start time to the millisecond, {@code yyyyMMddHHmmssSSS} (the same for every goal
     * of one build; two builds started in the same second still get different ids). Must match
     * {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}.
     */
    @Parameter(property = "sancho.deployId")
    protected String deployId;

    /** Services that are infrastructure: fixed names, never recreated. */
    @Parameter(property = "sancho.infrastructure")
    protected List<String> infrastructure;

    /**
     * Name of application containers whose {@code container_name} does not use <code>${DEPLOY_ID}</code>; placeholders
     * <code>{project}</code>, <code>{service}</code>, <code>{deployId}</code>.
     */
    @Parameter(property = "sancho.appNamePattern", defaultValue = "{project}_{service}_{deployId}")
    protected String appNamePattern;

    /**
     * Values for <code>${VAR}</code> in the compose file, with the lowest precedence (after the environment of the Maven
     * process and the {@code .env} file).
     */
    @Parameter
    protected Map<String, String> environment;

    /**
     * Interpolation variables taken from settings.xml servers: variable name -> server id, e.g.
     * {@code <servers><DB_PASSWORD>prod-db</DB_PASSWORD></servers>}. The server's password, decrypted by Maven,
     * becomes the variable and wins over the environment and .env. Values are never logged.
     */
    @Parameter
    protected Map<String, String> servers;

    @Parameter(defaultValue = "${settings}", readonly = true)
    protected Settings settings;

    @Component
    protected SettingsDecrypter settingsDecrypter;

    /**
     * More variable names whose values are never printed (comma-separated on the command line), besides every
     * variable from {@code <servers>} and every name that looks secret: containing {@code PASSWORD}, {@code PASSWD},
     * {@code PASSPHRASE}, {@code SECRET} or {@code TOKEN}, or with a word or ending {@code PASS}, {@code PWD},
     * {@code KEY} or {@code KEYS} ({@code SMTP_PASS}, {@code PGPASS}, {@code API_KEY}). Such a value is scrubbed
     * from everything sancho prints or writes, wherever it ends up.
     */
    @Parameter(property = "sancho.maskedVariables")
    protected List<String> maskedVariables;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject mavenProject;

    @Parameter(defaultValue = "${session}", readonly = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    protected MojoExecution mojoExecution;

    /** Plugin-context key under which sancho:deploy leaves what it did for a later goal of the same build. */
    static final String DEPLOYED_IN_THIS_BUILD = "sancho.deployedInThisBuild";
    /** The value of {@link #DEPLOYED_IN_THIS_BUILD} after a dry-run deploy. */
    static final String DRY_RUN_DEPLOY = "dry-run";

    private static final DateTimeFormatter DEPLOY_ID_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");
    private String generatedDeployId;

    /**
     * Every secret value known so far (see {@link #secrets()}); everything this mojo logs, throws or writes passes
     * through it.
     */
    private final SecretScrubber scrubber = new SecretScrubber();
    private ScrubbingLog scrubbingLog;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("sancho: skipped (sancho.skip=true)");
            return;
        }
        try {
            scrubber.addAll(Secrets.secretValues(System.getenv(), maskedVariables()));
            scrubber.addAll(Secrets.secretValues(pomEnvironment(), maskedVariables()));
            run();
        } catch (ConfigException | ComposeException e) {
            throw failed(new MojoExecutionException(scrub(e.getMessage()), causeIfAsked(e)));
        } catch (EngineUnreachableException e) {
            throw failed(new MojoExecutionException(scrub(e.getMessage()), causeIfAsked(e)));
        } catch (DockerOperationException e) {
            throw failed(new MojoExecutionException(scrub("Docker at " + engineAddressForMessages() + ": "
                    + e.getMessage()), causeIfAsked(e)));
        } catch (CheckFailedException e) {
            throw failed(new MojoFailureException(scrub(e.getMessage()), causeIfAsked(e)));
        } catch (MojoFailureException e) {
            MojoFailureException scrubbed = new MojoFailureException(scrub(e.getMessage()), scrubbed(e.getCause()));
            scrubbed.setStackTrace(e.getStackTrace());
            throw failed(scrubbed);
        } catch (MojoExecutionException e) {
            MojoExecutionException scrubbed = new MojoExecutionException(scrub(e.getMessage()),
                    scrubbed(e.getCause()));
            scrubbed.setStackTrace(e.getStackTrace());
            throw failed(scrubbed);
        } catch (RuntimeException e) {
            // not one of ours: Maven prints it with its stack trace, so its messages (a library's, quoting what it
            // was given) are scrubbed like everything else
            throw failed(ScrubbedException.copy(e, scrubber));
        }
    }

    /** Tells {@link #recordFailure} about the (scrubbed) exception on its way out, then returns it to be thrown. */
    private <T extends Exception> T failed(T e) {
        try {
            recordFailure(e.getMessage());
        } catch (RuntimeException writing) {
            // the goal's own error is what the user must see, not a failure to record it
            getLog().debug("sancho: could not record the failure: " + scrub(String.valueOf(writing.getMessage())));
        }
        return e;
    }

    /**
     * Called with the goal's scrubbed error line when it fails, whatever failed (a bad parameter, the compose file,
     * the engine): a goal that writes a result file records the failure there too. Nothing by default.
     */
    protected void recordFailure(String message) {}

    /** The text with every secret value known so far replaced by {@code ******}. */
    protected String scrub(String text) {
        return scrubber.scrub(text);
    }

    /** The secret values known so far, for what this mojo writes itself (an output file). */
    protected SecretScrubber secrets() {
        return scrubber;
    }

    private Throwable scrubbed(Throwable t) {
        return ScrubbedException.copy(t, scrubber);
    }

    /** Maven's log, every line (and attached throwable) scrubbed of secret values: the only log of this plugin. */
    @Override
    public org.apache.maven.plugin.logging.Log getLog() {
        org.apache.maven.plugin.logging.Log mavenLog = super.getLog();
        ScrubbingLog current = scrubbingLog;
        if (current == null || current.delegate() != mavenLog) {
            current = new ScrubbingLog(mavenLog, scrubber);
            scrubbingLog = current;
        }
        return current;
    }

    /**
     * Maven appends the message of every cause to the error line, so an attached docker-java exception would
     * turn our one line into a run-on with Java class names. The cause is kept only when the user asked for
     * details with -e or -X, scrubbed of secret values like the line itself.
     */
    private Throwable causeIfAsked(Throwable e) {
        boolean asked = getLog().isDebugEnabled()
                || (session != null && session.getRequest() != null && session.getRequest().isShowErrors());
        return asked ? scrubbed(e) : null;
    }

    protected abstract void run() throws MojoExecutionException, MojoFailureException;

    /**
     * The goals of this plugin that the project binds to lifecycle phases (executions in the pom), when this goal runs
     * from such a binding itself; empty when it was called on the command line ({@code mvn sancho:deploy}), which
     * always means the whole procedure.
     */
    protected Set<String> goalsBoundInThisBuild() {
        if (mojoExecution == null || mojoExecution.getSource() != MojoExecution.Source.LIFECYCLE
                || mavenProject == null || mojoExecution.getPlugin() == null) {
            return Set.of();
        }
        Plugin plugin = mavenProject.getPlugin(mojoExecution.getPlugin().getKey());
        if (plugin == null) {
            return Set.of();
        }
        Set<String> goals = new LinkedHashSet<>();
        plugin.getExecutions().forEach(e -> goals.addAll(e.getGoals()));
        return goals;
    }

    @SuppressWarnings("unchecked")
    protected void rememberForThisBuild(String key, String value) {
        Map<Object, Object> context = getPluginContext();
        if (context != null) {
            context.put(key, value);
        }
    }

    protected String recalledFromThisBuild(String key) {
        Map<?, ?> context = getPluginContext();
        Object value = context == null ? null : context.get(key);
        return value == null ? null : value.toString();
    }

    protected Log log() {
        org.apache.maven.plugin.logging.Log mavenLog = getLog();
        return new Log() {
            @Override
            public void info(String message) {
                mavenLog.info(message);
            }

            @Override
            public void warn(String message) {
                mavenLog.warn(message);
            }

            @Override
            public void debug(String message) {
                mavenLog.debug(message);
            }
        };
    }

    /** The engine's address for an error line; only goals that talk to an engine have one. */
    protected String engineAddressForMessages() {
        return "the engine";
    }

    /**
     * A time parameter (seconds or a Go duration, see {@link DurationParameter}), refused with one line when it is
     * not a duration or below {@code min}.
     *
     * @param name the parameter's name; its user property is {@code sancho.<name>}
     */
    protected static Duration duration(String name, String value, Duration min) {
        return DurationParameter.parse(name, value, min);
    }

    protected static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new ConfigException("parameter " + name + " (sancho." + name + ") must be "
                    + (min == 0 ? "0 or more" : "at least " + min) + ", was " + value);
        }
        return value;
    }

    /**
     * The deploy id: the parameter, else the build's start time. The start time is the same for every goal of one
     * build, so goals bound to lifecycle phases (deploy, then verify) agree on the id without configuring one.
     */
    protected String deployId() {
        if (deployId != null && !deployId.isBlank()) {
            return deployId.trim();
        }
        if (generatedDeployId == null) {
            java.util.Date started = session == null || session.getRequest() == null ? null
                    : session.getRequest().getStartTime();
            LocalDateTime at = started == null ? LocalDateTime.now()
                    : LocalDateTime.ofInstant(started.toInstant(), java.time.ZoneId.systemDefault());
            generatedDeployId = at.format(DEPLOY_ID_FORMAT);
        }
        return generatedDeployId;
    }

    /**
     * A parameter's value, falling back to the older parameter that meant the same on this goal, with a warning
     * naming the new one. Names given to users are public contract: the old one keeps working.
     *
     * @param meaning what the old parameter means on this goal, for the warning
     * @return the trimmed value, or null when neither is set
     */
    protected String deprecatedAlias(String name, String value, String oldName, String oldValue, String meaning) {
        if (value != null && !value.isBlank()) {
            return value.trim();
        }
        if (oldValue == null || oldValue.isBlank()) {
            return null;
        }
        getLog().warn("sancho." + oldName + " " + meaning + " on this goal; that use is deprecated: use sancho." + name
                + " (-Dsancho." + name + "=" + oldValue.trim() + ")");
        return oldValue.trim();
    }

    /** The configured names plus every variable that comes from a settings.xml server: those are secrets by definition. */
    protected List<String> maskedVariables() {
        List<String> names = new java.util.ArrayList<>(maskedVariables == null ? List.of() : maskedVariables);
        if (servers != null) {
            servers.keySet().stream().filter(k -> !names.contains(k)).forEach(names::add);
        }
        return List.copyOf(names);
    }

    protected Map<String, String> pomEnvironment() {
        return environment == null ? Map.of() : new LinkedHashMap<>(environment);
    }

    protected ComposeFile loadCompose() {
        List<Path> files = composePaths();
        if (files.isEmpty()) {
            throw new ConfigException("no compose file in " + basedir() + ": looked for "
                    + String.join(", ", ComposeFiles.NAMES) + " (set <composeFile> or -Dsancho.composeFile to the file"
                    + " describing the stack)");
        }
        Map<String, String> fromServers = ServerSecrets.resolve(servers, settings, settingsDecrypter);
        scrubber.addAll(fromServers.values()); // secret by where they come from, whatever they are called
        Map<String, String> env = ServerSecrets.overlay(System.getenv(), fromServers);
        Map<String, String> builtins = ComposeLoader.builtins(deployId(), projectNameHint());
        if (project != null && !project.isBlank()) { // else the compose file's name: decides, as it names the project
            builtins.put(ComposeLoader.PROJECT_NAME, project);
        }
        scrubber.addAll(Secrets.secretValues(ComposeLoader.dotEnvOf(files.get(0), builtins, env), maskedVariables()));
        // the loader's warnings wait until the compose file's own secrets (a secret file, an environment: source)
        // are known to the scrubber
        List<Runnable> held = new ArrayList<>();
        Log log = log();
        Log holding = new Log() {
            @Override
            public void info(String message) {
                held.add(() -> log.info(message));
            }

            @Override
            public void warn(String message) {
                held.add(() -> log.warn(message));
            }

            @Override
            public void debug(String message) {
                held.add(() -> log.debug(message));
            }
        };
        ComposeFile compose;
        try {
            compose = ComposeLoader.load(files, profiles, env, pomEnvironment(), builtins, pomProperties(),
                    swarmStack(), holding);
            scrubber.addAll(Secrets.valuesOf(compose, maskedVariables()));
        } finally {
            held.forEach(Runnable::run);
        }
        if (strict) {
            compose.requireAllApplied();
        }
        return compose;
    }

    /**
     * The compose files of the stack, the main one first: {@code composeFiles}, else {@code composeFile} (split at
     * commas), else the compose file of the project's directory and its override file, as {@code docker compose}
     * finds them. Empty when none is configured and the directory has none.
     */
    protected List<Path> composePaths() {
        Path basedir = basedir();
        boolean list = composeFiles != null && composeFiles.stream().anyMatch(f -> f != null && !f.getPath().isBlank());
        if (list && composeFile != null) {
            throw new ConfigException("set composeFile (sancho.composeFile) or composeFiles (sancho.composeFiles),"
                    + " not both: composeFile " + composeFile + ", composeFiles " + composeFiles);
        }
        List<Path> files = new ArrayList<>();
        if (list) {
            for (File f : composeFiles) {
                addAll(files, basedir, f == null ? "" : f.getPath());
            }
        } else if (composeFile != null) {
            if (composeFile.isFile() || composeFile.getPath().indexOf(',') < 0) {
                files.add(basedir.resolve(composeFile.toPath()));
            } else {
                addAll(files, basedir, composeFile.getPath());
            }
        } else {
            files.addAll(ComposeFiles.discover(basedir, log()));
        }
        return files.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    }

    /** Each comma-separated path; relative ones against the project's directory (Maven aligns only the first). */
    private static void addAll(List<Path> files, Path basedir, String paths) {
        for (String part : paths.split(",")) {
            if (!part.isBlank()) {
                files.add(basedir.resolve(part.strip()));
            }
        }
    }

    /** The project's directory, where compose files are looked for and relative ones resolve. */
    protected Path basedir() {
        File dir = mavenProject == null ? null : mavenProject.getBasedir();
        return dir != null ? dir.toPath().toAbsolutePath() : Path.of("").toAbsolutePath();
    }

    protected Stack loadStack() {
        ComposeFile compose = loadCompose();
        Stack stack = StackResolver.resolve(compose, new StackConfig(project, artifactId(), deployId(),
                infrastructure == null ? java.util.Set.of() : new LinkedHashSet<>(infrastructure), appNamePattern,
                swarmStack(), identity(compose.path())));
        stack.warnings().forEach(getLog()::warn);
        return stack;
    }

    /** {@code sancho.identity}, else {@code groupId:artifactId:compose-file} ({@link ProjectIdentity}). */
    private String identity(Path mainComposeFile) {
        if (identity != null && !identity.isBlank()) {
            return ProjectIdentity.explicit(identity);
        }
        if (mavenProject == null || mainComposeFile == null) {
            return null;
        }
        return ProjectIdentity.derive(mavenProject.getGroupId(), mavenProject.getArtifactId(), mainComposeFile,
                basedir());
    }

    /** True when the stack is deployed onto a swarm ({@code sancho.target}, a parameter of the engine goals). */
    protected boolean swarmStack() {
        return false;
    }

    /** Project name before the compose file is read (for SANCHO_PROJECT); may be refined by compose name:. */
    protected String projectNameHint() {
        return project != null && !project.isBlank() ? project : artifactId();
    }

    private String artifactId() {
        return mavenProject == null ? null : mavenProject.getArtifactId();
    }

    /** project.* and the pom's properties, for {@code ${project.version}} in the compose file. */
    protected Map<String, String> pomProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        if (mavenProject != null) {
            mavenProject.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
            props.put("project.groupId", mavenProject.getGroupId());
            props.put("project.artifactId", mavenProject.getArtifactId());
            props.put("project.version", mavenProject.getVersion());
            props.put("project.name", String.valueOf(mavenProject.getName()));
        }
        return props;
    }
}
