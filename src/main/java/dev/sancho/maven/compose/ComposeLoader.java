package dev.sancho.maven.compose;

import dev.sancho.maven.core.Log;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a compose file the way Docker Compose does. STUB: the compose work replaces the body. */
public final class ComposeLoader {
    private ComposeLoader() {}

    /** The variables the plugin itself supplies. */
    public static Map<String, String> builtins(String deployId, String project) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("DEPLOY_ID", deployId);
        if (project != null) {
            m.put("SANCHO_PROJECT", project);
        }
        return m;
    }

    /**
     * @param processEnv    the process environment (highest precedence among user sources)
     * @param pomEnv        the pom's {@code <environment>} (lowest precedence)
     * @param builtins      DEPLOY_ID, SANCHO_PROJECT
     * @param pomProperties project.version etc., for {@code ${project.version}}
     */
    public static ComposeFile load(Path file, Map<String, String> processEnv, Map<String, String> pomEnv,
            Map<String, String> builtins, Map<String, String> pomProperties, Log log) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
