package dev.sancho.maven.target;

import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.core.EngineTarget;
import dev.sancho.maven.core.Target;
import dev.sancho.maven.swarm.SwarmTarget;

/**
 * The one parse of {@code sancho.target}: the goals get a {@link Target} and never look at the value again (nor name
 * a target's classes: {@code ArchitectureTest}).
 */
public final class Targets {
    private Targets() {}

    /** {@code engine} (also blank or unset) or {@code swarm}; anything else fails in one line. */
    public static Target parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() || v.equals("engine")) {
            return EngineTarget.INSTANCE;
        }
        if (v.equals("swarm")) {
            return SwarmTarget.INSTANCE;
        }
        throw new ConfigException("parameter target (sancho.target) is \"" + value
                + "\": use engine (one Docker engine) or swarm (a Swarm manager)");
    }
}
