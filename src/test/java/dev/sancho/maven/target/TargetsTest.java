package dev.sancho.maven.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.common.ConfigException;
import org.junit.jupiter.api.Test;

/** sancho.target is parsed once, here: the two targets, and one line for anything else. */
class TargetsTest {

    @Test
    void engineIsTheDefaultAndSwarmTheOther() {
        assertEquals("engine", Targets.parse(null).name());
        assertEquals("engine", Targets.parse(" ").name());
        assertEquals("engine", Targets.parse("engine").name());
        assertEquals("swarm", Targets.parse("swarm").name());
    }

    @Test
    void aBadValueIsOneLineNamingTheParameterAndTheValues() {
        assertEquals("parameter target (sancho.target) is \"swarn\": use engine (one Docker engine) or swarm (a Swarm"
                + " manager)", assertThrows(ConfigException.class, () -> Targets.parse("swarn")).getMessage());
    }
}
