package dev.sancho.maven.mojo;

import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.core.CheckFailedException;
import dev.sancho.maven.core.ConfigException;
import dev.sancho.maven.core.Log;
import dev.sancho.maven.docker.DockerConnect;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.EngineUnreachableException;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.io.File;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
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

    /** Skip this goal. */
    @Parameter(property = "sancho.skip", defaultValue = "false")
    protected boolean skip;

    /** Docker engine address; else DOCKER_HOST, else the current Docker context, else the local socket. */
    @Parameter(property = "sancho.dockerHost")
    protected String dockerHost;

    /** The Compose file describing the stack. */
    @Parameter(property = "sancho.composeFile", defaultValue = "${project.basedir}/docker-compose.yml")
    protected File composeFile;

    /** Project name (labels, default names). Else compose {@code name:}, else the artifactId. */
    @Parameter(property = "sancho.project")
    protected String project;

    /**
     * Id of this deploy, used in application container names. Default: the build's start time,
     * {@code yyyyMMddHHmmss}. Must match {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}.
     */
    @Parameter(property = "sancho.deployId")
    protected String deployId;

    /** Services that are infrastructure: fixed names, never recreated. */
    @Parameter(property = "sancho.infrastructure")
    protected List<String> infrastructure;

    /** Naming pattern for application containers without a DEPLOY_ID-based {@code container_name}. */
    @Parameter(property = "sancho.appNamePattern", defaultValue = "{project}_{service}_{deployId}")
    protected String appNamePattern;

    /** Lowest-precedence values for interpolation of the compose file (after process env and .env). */
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

    /** Named volumes to ensure besides the compose file's external ones. */
    @Parameter(property = "sancho.volumes")
    protected List<String> volumes;

    /**
     * Environment variables whose values are never printed, besides every name containing PASSWORD, SECRET, TOKEN
     * or KEY (see {@link dev.sancho.maven.compose.Secrets}).
     */
    @Parameter(property = "sancho.maskedVariables")
    protected List<String> maskedVariables;

    /** Print what would be done and change nothing. */
    @Parameter(property = "sancho.dryRun", defaultValue = "false")
    protected boolean dryRun;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject mavenProject;

    @Parameter(defaultValue = "${session}", readonly = true)
    protected MavenSession session;

    private static final DateTimeFormatter DEPLOY_ID_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private String generatedDeployId;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("sancho: skipped (sancho.skip=true)");
            return;
        }
        try {
            run();
        } catch (ConfigException | ComposeException e) {
            throw new MojoExecutionException(e.getMessage(), causeIfAsked(e));
        } catch (EngineUnreachableException e) {
            throw new MojoExecutionException(e.getMessage(), causeIfAsked(e));
        } catch (DockerOperationException e) {
            throw new MojoExecutionException("Docker at " + dockerAddressForMessages() + ": " + e.getMessage(),
                    causeIfAsked(e));
        } catch (CheckFailedException e) {
            throw new MojoFailureException(e.getMessage(), causeIfAsked(e));
        }
    }

    /**
     * Maven appends the message of every cause to the error line, so an attached docker-java exception would
     * turn our one line into a run-on with Java class names. The cause is kept only when the user asked for
     * details with -e or -X.
     */
    private Throwable causeIfAsked(Throwable e) {
        boolean asked = getLog().isDebugEnabled()
                || (session != null && session.getRequest() != null && session.getRequest().isShowErrors());
        return asked ? e : null;
    }

    protected abstract void run() throws MojoExecutionException, MojoFailureException;

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

    /** Connects to the engine; the caller closes it. Fails with one line naming the address when unreachable. */
    protected DockerEngine connect() {
        DockerEngine engine = DockerConnect.connect(dockerHost, System.getenv());
        engine.ping();
        return engine;
    }

    private String dockerAddressForMessages() {
        try {
            return DockerConnect.resolveAddress(dockerHost, System.getenv());
        } catch (RuntimeException e) {
            return String.valueOf(dockerHost);
        }
    }

    /**
     * A whole-number parameter as a duration, refused with one line when below {@code min}.
     *
     * @param name the parameter's name; its user property is {@code sancho.<name>}
     */
    protected static Duration seconds(String name, int value, int min) {
        return Duration.ofSeconds(atLeast(name, value, min));
    }

    protected static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new ConfigException("parameter " + name + " (sancho." + name + ") must be "
                    + (min == 0 ? "0 or more" : "at least " + min) + ", was " + value);
        }
        return value;
    }

    /** The deploy id: the parameter, else one generated once per Mojo execution. */
    protected String deployId() {
        if (deployId != null && !deployId.isBlank()) {
            return deployId.trim();
        }
        if (generatedDeployId == null) {
            generatedDeployId = LocalDateTime.now().format(DEPLOY_ID_FORMAT);
        }
        return generatedDeployId;
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
        Map<String, String> env = ServerSecrets.overlay(System.getenv(),
                ServerSecrets.resolve(servers, settings, settingsDecrypter));
        return ComposeLoader.load(composeFile.toPath(), env, pomEnvironment(),
                ComposeLoader.builtins(deployId(), projectNameHint()), pomProperties(), log());
    }

    protected Stack loadStack() {
        ComposeFile compose = loadCompose();
        Stack stack = StackResolver.resolve(compose, new StackConfig(project, artifactId(), deployId(),
                infrastructure == null ? java.util.Set.of() : new LinkedHashSet<>(infrastructure), appNamePattern));
        stack.warnings().forEach(getLog()::warn);
        return stack;
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
