package dev.sancho.maven.docker;

/** @param output stdout and stderr interleaved, as far as it was produced */
public record ExecResult(int exitCode, String output) {
    /** The exit code reported when the command did not finish within its timeout (real codes are 0..255). */
    public static final int TIMED_OUT = -1;

    public boolean timedOut() {
        return exitCode == TIMED_OUT;
    }
}
