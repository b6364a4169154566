package dev.sancho.maven.plan;

import dev.sancho.maven.compose.ComposeFile;

/** Classifies services and names their containers. STUB: the compose work replaces the body. */
public final class StackResolver {
    private StackResolver() {}

    public static Stack resolve(ComposeFile compose, StackConfig config) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
