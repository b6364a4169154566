def lib = new GroovyShell().parse(new File(basedir, "../../../src/it/_lib/ItLib.groovy"))
try {
    def log = new File(basedir, "build.log").text
    assert log.contains("BUILD FAILURE")
    assert log.contains("[ERROR] Failed to execute goal dev.sancho:sancho-maven-plugin") 
    // the step total counts the LABEL steps the engine appends for sancho's build labels: only the failing step is fixed
    assert log =~ ("build of service backend failed at Step 3/\\d+ : " + java.util.regex.Pattern.quote(
            "RUN echo compiling; echo \"error: boom in Main.java:42\" >&2; exit 3: The command '/bin/sh -c echo compiling;"
            + " echo \"error: boom in Main.java:42\" >&2; exit 3' returned a non-zero code: 3"))
    assert log.contains("last output of that step:")
    assert log.contains("    compiling")
    assert log.contains("    error: boom in Main.java:42")
    assert log.contains("Deploy itfail stopped before changing any container; the previous deploy keeps serving.")
    assert !log.contains("never-reached")
    assert !log.contains("\tat dev.sancho") : "stack trace at normal log level"
    assert lib.docker("image", "inspect", "sanchobuild/backend:itfail").code != 0 : "a failed build must not be tagged"
} finally {
    if (lib.docker("image", "inspect", "sanchobuild/backend:itfail").code == 0) {
        lib.docker("rmi", "sanchobuild/backend:itfail")
    }
    // the engine keeps the image of each step that succeeded before the failing one (build cache, untagged):
    // remove exactly those of this test, recognised by the marker in their history
    lib.docker("images", "-q", "--no-trunc", "--filter", "dangling=true").out.readLines().findAll { it }.each { id ->
        if (lib.docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", id).out.contains("preparing-sancho-it-failing-step")) {
            lib.docker("rmi", id)
        }
    }
}
true
