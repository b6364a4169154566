package dev.sancho.maven.mojo;

import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that change the engine, and so take {@code sancho.dryRun}. Read-only goals (status, verify, config) do not
 * declare it: a parameter a goal ignores would read as a promise.
 */
abstract class AbstractChangingMojo extends AbstractEngineMojo {

    /** Print what would be done and change nothing. */
    @Parameter(property = "sancho.dryRun", defaultValue = "false")
    protected boolean dryRun;
}
