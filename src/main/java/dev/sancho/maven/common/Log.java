package dev.sancho.maven.common;

/** The one logging abstraction of the core, so it runs without Maven (Mojos adapt Maven's Log to it). */
public interface Log {
    void info(String message);

    void warn(String message);

    void debug(String message);

    Log NONE = new Log() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
    };
}
