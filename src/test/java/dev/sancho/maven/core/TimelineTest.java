package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The one line every deploy ends with, on virtual time. */
class TimelineTest {
    @RegisterExtension
    final VirtualTime time = new VirtualTime();

    @Test
    void eachMarkGivesTheTimeSinceThePreviousOneToItsStepInTheOrderTheyHappened() {
        Timeline t = new Timeline();
        time.sleep(Duration.ofMillis(40));
        t.mark("build");
        time.sleep(Duration.ofMillis(120));
        t.mark("lock");
        time.sleep(Duration.ofMillis(900));
        t.mark("ready");
        time.sleep(Duration.ofMillis(300));
        t.skip(); // belongs to no step, still part of the total
        time.sleep(Duration.ofMillis(250));
        t.mark("lock"); // released at the end: adds up with taking it
        assertEquals("deployed 42 in 1.6 s: build 0.0, lock 0.4, ready 0.9", t.line("deployed 42"));
    }

    @Test
    void withNoStepItIsTheTotalOnly() {
        Timeline t = new Timeline();
        assertEquals("deployed 1 in 0.0 s", t.line("deployed 1"));
        Timeline.NONE.mark("build");
        assertEquals("x in 0.0 s", Timeline.NONE.line("x"));
    }
}
